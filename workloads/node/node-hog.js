// SPDX-License-Identifier: GPL-2.0
/*
 * node-hog — the CPU-hog experiment (workloads/common/hog.h) on Node's own
 * event loop: the hog is a callback that computes for H ms and queues
 * itself again with setImmediate; the probe is setTimeout(probe, 1), which
 * records how late it fired and re-arms. Nothing interrupts a callback, so
 * the timer waits for the chunk: the seed article's "a 200 ms callback
 * freezes the event loop". Reports the same keys as hog-loop (lateness_*,
 * hog_units*). Compare hog-loop, hog-coro, hog-threads.
 */
'use strict';
const wl = require('./wl.js');

const PROBE_PERIOD_NS = 1000000n;
const hogOption = { name: 'hog', arg: 'MS', help: 'the hog computes this long between chances to yield',
		    min: 1, max: 60000, value: 200 };

const spec = {
	name: 'node-hog',
	switchDef: 'one chunk of the hog callback (H ms of computing, then back to the event loop) ' +
		   'with a 1 ms setTimeout due on the same loop',
	details: 'The CPU-hog experiment on Node\'s event loop. The hog is a callback that\n' +
		 'computes for H ms (--hog) and queues itself again with setImmediate; the probe\n' +
		 'is setTimeout(probe, 1), which records how late it fires and re-arms. A callback\n' +
		 'is never interrupted, so the timer waits for the chunk: lateness ~ H. Prints the\n' +
		 'lateness (p50, p99, max) and the hog\'s throughput after the ns/switch line.',
	switchesPerIter: 1,
	roundTripsPerIter: 0,
	defaultIterations: 5,
	defaultWarmup: 1,
	defaultRepeats: 3,
	options: [hogOption],
};

let units = 0;
let sink = 1;
let lateness = [];
const all = [];
const rates = [];

/* One unit of work: 48 rounds of 32-bit xorshift-multiply, a dependent chain. */
function unit(x) {
	for (let i = 0; i < 48; i++) {
		x ^= x << 13;
		x ^= x >>> 17;
		x ^= x << 5;
		x = Math.imul(x, 0x2545F491) | 0;
	}
	return x;
}

function chunk() {
	const end = wl.nowNs() + BigInt(hogOption.value) * 1000000n;
	let x = sink | 1;
	do {
		x = unit(x);
		units++;
	} while (wl.nowNs() < end);
	sink = x;
}

/* n chunks; resolves after the last, with the probe stopped. */
function loop(n) {
	return new Promise(resolve => {
		let active = true, left = n, timer, deadline;
		const probe = () => {
			const now = wl.nowNs();
			if (!active)
				return;
			lateness.push(now > deadline ? now - deadline : 0n);
			deadline = now + PROBE_PERIOD_NS;
			timer = setTimeout(probe, 1);
		};
		const hog = () => {
			chunk();
			if (--left > 0) {
				setImmediate(hog);
				return;
			}
			active = false;
			clearTimeout(timer);
			resolve();
		};
		/* armed from the loop, not here: after a gate the loop's cached clock is
		 * stale, and a timer set now would be due before the 1 ms has passed */
		setImmediate(() => {
			deadline = wl.nowNs() + PROBE_PERIOD_NS;
			timer = setTimeout(probe, 1);
			hog();
		});
	});
}

function afterRepeat(run, windowNs) {
	if (run) {
		const rate = windowNs > 0 ? units / (windowNs / 1e6) : 0;
		all.push(...lateness);
		run.reportDist('lateness', lateness);
		run.report('hog_units', units);
		run.report('hog_units_per_ms', rate.toFixed(3));
		rates.push(rate);
	}
	lateness = [];
	units = 0;
}

wl.main(spec, async run => {
	run.reportTids();
	run.report('hog_ms', hogOption.value);
	run.report('probe_period_ns', PROBE_PERIOD_NS);
	await run.measure(loop, afterRepeat);
	return r => {
		const s = wl.sorted(all);
		r.reportDist('lateness_all', all);
		const v = [...rates].sort((a, b) => a - b), n = v.length;
		const med = n % 2 ? v[(n - 1) / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
		r.report('median_hog_units_per_ms', med.toFixed(3));
		process.stdout.write(s.length ? `lateness-ns: p50 ${wl.percentile(s, 500)} (p99 ${wl.percentile(s, 990)}, ` +
				     `max ${s[s.length - 1]}, n ${s.length})\n` : 'lateness-ns: p50 0 (p99 0, max 0, n 0)\n');
		process.stdout.write(`hog-units/ms: median ${med.toFixed(1)} (min ${v[0].toFixed(1)}, ` +
				     `max ${v[n - 1].toFixed(1)}, n ${n})\n`);
	};
});
