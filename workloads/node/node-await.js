// SPDX-License-Identifier: GPL-2.0
/*
 * node-await — two async functions hand a value back and forth through
 * promises: Node's answer to a coroutine switch (the seed article's
 * continuation resumed from the microtask queue). Ping resolves the promise
 * pong awaits and awaits its own; pong, resumed, resolves ping's and awaits
 * the next. Each hand-off is one continuation resumed: a switch. A round
 * trip is two. Compare coro-chan and go-chan.
 *
 * At a gate the main thread blocks in readSync() with pong suspended in
 * its await: nothing else runs.
 */
'use strict';
const wl = require('./wl.js');

const spec = {
	name: 'node-await',
	switchDef: 'one async function resuming the other by resolving the promise it awaits ' +
		   '(a continuation from the microtask queue, no thread switch)',
	details: 'Two async functions ping-pong a value: ping resolves the promise pong awaits\n' +
		 'and awaits its own, which pong resolves once resumed. Each hand-off resumes a\n' +
		 'continuation captured by await (V8 runs it from the microtask queue); a round\n' +
		 'trip is two switches, on one thread, with no system call.',
	switchesPerIter: 2,
	roundTripsPerIter: 1,
	defaultIterations: 1000000,
	defaultWarmup: 100000,
	defaultRepeats: 5,
};

let toPong = null;	/* resolves the promise pong awaits */
let toPing = null;	/* resolves the promise ping awaits */

async function pong() {
	for (;;) {
		const v = await new Promise(resolve => { toPong = resolve; });
		if (v === null)
			return;
		toPing(v);
	}
}

async function loop(n) {
	for (let i = 0; i < n; i++) {
		const reply = new Promise(resolve => { toPing = resolve; });
		toPong(i);
		if ((await reply) !== i)
			wl.die('a value came back changed; this is a bug in the workload');
	}
}

wl.main(spec, async run => {
	const done = pong();	/* runs to its first await */
	run.reportTids();
	await run.measure(loop);
	toPong(null);
	await done;
});
