// SPDX-License-Identifier: GPL-2.0
/*
 * wl.js — the Node side of the workload harness (workloads/common/
 * workload.h): the same command line (-n -w -r -C -h and the workload's own
 * long options, strictly parsed, the same messages), the same result
 * protocol on SCHEDTRACE_RESULT_FD and gates on SCHEDTRACE_GATE_FD
 * (docs/result-protocol.md), the same human lines, and the latency
 * distribution keys of dist.c.
 *
 * Pinning is the wrapper's (build/workloads/node-*, from wrapper.sh): it
 * starts node under taskset, so every thread of the process is on the CPU.
 * A gate blocks the main thread in readSync(): the event loop stops, the
 * way a C workload's thread stops in read().
 */
'use strict';
const fs = require('fs');

const MAX_ITERATIONS = 1000000000000;
const MAX_REPEATS = 1000000;

let name = 'workload';
let errorFd = -1;

function die(msg) {
	process.stderr.write(`${name}: ${msg}\n`);
	if (errorFd >= 0) {
		try { fs.writeSync(errorFd, `error=${name}: ${msg}\n`); } catch (e) { /* best effort */ }
	}
	process.exit(1);
}

function usageError(msg) {
	process.stderr.write(`${name}: ${msg}\n`);
	process.exit(2);
}

/* wl_parse_count: digits only, min..max; null when not. */
function parseCount(s, min, max) {
	if (typeof s !== 'string' || !/^[0-9]+$/.test(s))
		return null;
	const v = BigInt(s);
	if (v < BigInt(min) || v > BigInt(max))
		return null;
	return Number(v);
}

/* The CPUs this process may use, from /proc/self/status. */
function allowedCpus() {
	const m = /^Cpus_allowed_list:\s*(\S+)/m.exec(fs.readFileSync('/proc/self/status', 'utf8'));
	const set = new Set();
	for (const part of m ? m[1].split(',') : []) {
		const [lo, hi] = part.split('-').map(Number);
		for (let c = lo; c <= (hi === undefined ? lo : hi); c++)
			set.add(c);
	}
	return set;
}

function usage(spec) {
	const opts = (spec.options || []).map(o => ` [--${o.name}${o.arg ? ' ' + o.arg : ''}]`).join('');
	let t = `usage: ${spec.name} [-n ITERATIONS] [-w WARMUP] [-r REPEATS] [-C CPUS]${opts} [-h]\n`;
	t += `One switch: ${spec.switchDef}\n`;
	t += `One iteration: ${spec.switchesPerIter} switch${spec.switchesPerIter === 1 ? '' : 'es'}`;
	if (spec.roundTripsPerIter)
		t += ` = ${spec.roundTripsPerIter} round trip${spec.roundTripsPerIter === 1 ? '' : 's'}`;
	t += `.\n${spec.details}\n\n`;
	t += `  -n ITERATIONS  measured iterations per repeat (default ${spec.defaultIterations})\n`;
	t += `  -w WARMUP      unmeasured iterations before the first repeat, 0 for none (default ${spec.defaultWarmup})\n`;
	t += `  -r REPEATS     measured repeats; the result gives their median, min, max (default ${spec.defaultRepeats})\n`;
	t += '  -C CPU         CPU to pin to (default: CPU 0, or the first allowed CPU)\n';
	for (const o of spec.options || [])
		t += `  ${('--' + o.name + (o.arg ? ' ' + o.arg : '')).padEnd(14)} ${o.help} (${o.min} to ${o.max}, default ${o.value})\n`;
	t += '  -h             this help\n\n';
	t += 'Prints: ns/switch: median X (min Y, max Z, n REPEATS)\n';
	if (spec.roundTripsPerIter)
		t += '        ns/round-trip: median X (min Y, max Z, n REPEATS)\n';
	t += 'With SCHEDTRACE_RESULT_FD and SCHEDTRACE_GATE_FD set it also talks to the\n' +
	     'collector (docs/result-protocol.md). Runs through its wrapper in build/workloads,\n' +
	     'which pins node to the CPU with taskset; needs node.\n';
	process.stdout.write(t);
}

/* wl_parse_args: fills run, or exits (0 after -h, 2 on a usage error). */
function parseArgs(spec, run, args) {
	const allowed = allowedCpus();
	run.iterations = spec.defaultIterations;
	run.warmup = spec.defaultWarmup;
	run.repeats = spec.defaultRepeats;
	run.cpu = allowed.has(0) ? 0 : Math.min(...allowed);
	const longs = new Map((spec.options || []).map(o => [o.name, o]));
	for (let i = 0; i < args.length; i++) {
		const a = args[i];
		if (a === '--') {
			if (i + 1 < args.length)
				usageError(`unexpected argument '${args[i + 1]}'; options only, see ${spec.name} -h`);
			break;
		}
		if (a.startsWith('--')) {
			const eq = a.indexOf('=');
			const o = longs.get(eq < 0 ? a.slice(2) : a.slice(2, eq));
			if (!o)
				usageError(`unknown option '${a}'; see ${spec.name} -h`);
			let val = eq < 0 ? args[++i] : a.slice(eq + 1);
			if (val === undefined)
				usageError(`--${o.name} needs a value; see ${spec.name} -h`);
			const v = parseCount(val, o.min, o.max);
			if (v === null)
				usageError(`--${o.name} wants a whole number from ${o.min} to ${o.max}, got '${val}'; see ${spec.name} -h`);
			o.value = v;
			continue;
		}
		if (a.length < 2 || a[0] !== '-')
			usageError(`unexpected argument '${a}'; options only, see ${spec.name} -h`);
		const opt = a[1];
		if (opt === 'h') {
			usage(spec);
			process.exit(0);
		}
		if (!'nwrC'.includes(opt))
			usageError(`unknown option -${opt}; see ${spec.name} -h`);
		let val = a.slice(2);
		if (val === '') {
			if (i + 1 >= args.length)
				usageError(`-${opt} needs a value; see ${spec.name} -h`);
			val = args[++i];
		}
		let v;
		switch (opt) {
		case 'n':
			if ((v = parseCount(val, 1, MAX_ITERATIONS)) === null)
				usageError(`-n wants a whole number from 1 to ${MAX_ITERATIONS}, got '${val}'; see ${spec.name} -h`);
			run.iterations = v;
			break;
		case 'w':
			if ((v = parseCount(val, 0, MAX_ITERATIONS)) === null)
				usageError(`-w wants a whole number from 0 to ${MAX_ITERATIONS}, got '${val}'; see ${spec.name} -h`);
			run.warmup = v;
			break;
		case 'r':
			if ((v = parseCount(val, 1, MAX_REPEATS)) === null)
				usageError(`-r wants a whole number from 1 to ${MAX_REPEATS}, got '${val}'; see ${spec.name} -h`);
			run.repeats = v;
			break;
		case 'C':
			if ((v = parseCount(val, 0, 1023)) === null)
				usageError(`-C wants one CPU number (e.g. 0), got '${val}'; see ${spec.name} -h`);
			if (!allowed.has(v))
				usageError(`CPU ${v} is not online or not allowed for this process; pick one listed by 'taskset -cp $$'`);
			run.cpu = v;
			break;
		}
	}
	if (!Number.isFinite(run.cpu))
		usageError("no CPU is allowed for this process; check its affinity with 'taskset -cp $$'");
	const total = BigInt(run.iterations) * BigInt(run.repeats) + BigInt(run.warmup);
	if (total * BigInt(spec.switchesPerIter) > BigInt(Number.MAX_SAFE_INTEGER))
		usageError('-n x -r + -w is too large; lower -n or -r');
}

/* wl_env_fd: -1 if unset; exits 2 when set but not an open fd with the access wanted. */
function envFd(v, wantWrite) {
	const s = process.env[v];
	if (s === undefined)
		return -1;
	const fd = parseCount(s, 0, 1 << 20);
	if (fd === null)
		usageError(`${v}='${s}' is not an fd number; set it to an open fd or unset it`);
	let flags;
	try {
		flags = parseInt(/^flags:\s*([0-7]+)/m.exec(fs.readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'))[1], 8);
	} catch (e) {
		usageError(`${v}=${fd} is not an open fd; pass the fd to the workload or unset ${v}`);
	}
	const mode = flags & 3;	/* O_ACCMODE: 0 read, 1 write, 2 both */
	if (wantWrite ? mode === 0 : mode === 1)
		usageError(`${v}=${fd} is not open for ${wantWrite ? 'writing' : 'reading'}; open it ${wantWrite ? 'for writing' : 'for reading'}`);
	return fd;
}

const nowNs = () => process.hrtime.bigint();	/* CLOCK_MONOTONIC, as the collector's */

function sorted(v) {
	return [...v].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/* dist.c's nearest-rank percentile of sorted samples, per_mille 1..1000. */
function percentile(s, perMille) {
	let rank = Math.ceil((perMille * s.length) / 1000);
	rank = Math.min(Math.max(rank, 1), s.length);
	return s[rank - 1];
}

function histPow2(s) {
	const counts = new Map();
	for (const x of s) {
		const b = x < 2n ? 0 : x.toString(2).length - 1;
		counts.set(b, (counts.get(b) || 0) + 1);
	}
	return [...counts.keys()].sort((a, b) => a - b).map(b => `${b}:${counts.get(b)}`).join(',');
}

class Run {
	constructor(spec) {
		this.spec = spec;
		this.resultFd = -1;
		this.gateFd = -1;
		this.repeat = 0;
		this.nsPerSwitch = [];
	}

	emit(line) {
		if (this.resultFd < 0)
			return;
		try {
			fs.writeSync(this.resultFd, line + '\n');
		} catch (e) {
			die(`writing to SCHEDTRACE_RESULT_FD failed (${e.code || e.message}); is the collector still reading?`);
		}
	}

	report(key, value) {
		this.emit(`${key}=${value}`);
	}

	/* NAME_samples, NAME_p50_ns ... as wl_report_dist; samples are BigInt ns. */
	reportDist(dname, samples) {
		const s = sorted(samples);
		this.report(`${dname}_samples`, s.length);
		if (!s.length)
			return;
		const sum = s.reduce((a, b) => a + b, 0n);
		this.report(`${dname}_min_ns`, s[0]);
		for (const [k, pm] of [['p50', 500], ['p90', 900], ['p99', 990], ['p999', 999]])
			this.report(`${dname}_${k}_ns`, percentile(s, pm));
		this.report(`${dname}_max_ns`, s[s.length - 1]);
		this.report(`${dname}_mean_ns`, (Number(sum) / s.length).toFixed(3));
		this.report(`${dname}_hist_pow2_ns`, histPow2(s));
	}

	reportTids() {
		this.emit(`tids=${process.pid}`);	/* JavaScript runs on the main thread only */
	}

	waitGate() {
		if (this.gateFd < 0)
			return;
		const b = Buffer.alloc(1);
		for (;;) {
			let n;
			try {
				n = fs.readSync(this.gateFd, b, 0, 1, null);
			} catch (e) {
				if (e.code === 'EINTR' || e.code === 'EAGAIN')
					continue;
				die(`reading SCHEDTRACE_GATE_FD failed (${e.code}); is it the read end of a pipe?`);
			}
			if (n === 1)
				return;
			die("the collector closed SCHEDTRACE_GATE_FD; stopping without a result (see the collector's own error)");
		}
	}

	/* loop(n) runs n iterations and may return a promise; after(run) adds a repeat's keys. */
	async measure(loop, after) {
		if (this.warmup > 0) {
			await loop(this.warmup);
			if (after)
				after(null);
		}
		for (let r = 0; r < this.repeats; r++) {
			this.emit('gate=start');
			this.waitGate();
			const start = nowNs();
			await loop(this.iterations);
			const end = nowNs();
			const switches = this.iterations * this.spec.switchesPerIter;
			const ns = Number(end - start) / switches;
			this.emit('gate=end');
			this.waitGate();
			this.emit(`repeat=${this.repeat}`);
			this.emit(`switches=${switches}`);
			if (this.spec.roundTripsPerIter)
				this.emit(`round_trips=${this.iterations * this.spec.roundTripsPerIter}`);
			this.emit(`start_ns=${start}`);
			this.emit(`end_ns=${end}`);
			this.emit(`ns_per_switch=${ns.toFixed(3)}`);
			this.nsPerSwitch.push(ns);
			this.repeat++;
			if (after)
				after(this, Number(end - start));
		}
	}

	finish(extra) {
		const v = [...this.nsPerSwitch].sort((a, b) => a - b), n = v.length;
		const med = n % 2 ? v[(n - 1) / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
		const spec = this.spec;
		let out = `ns/switch: median ${med.toFixed(1)} (min ${v[0].toFixed(1)}, max ${v[n - 1].toFixed(1)}, n ${n})\n`;
		const k = spec.roundTripsPerIter ? spec.switchesPerIter / spec.roundTripsPerIter : 0;
		if (k)
			out += `ns/round-trip: median ${(med * k).toFixed(1)} (min ${(v[0] * k).toFixed(1)}, max ${(v[n - 1] * k).toFixed(1)}, n ${n})\n`;
		process.stdout.write(out);
		this.emit(`median_ns_per_switch=${med.toFixed(3)}`);
		if (k)
			this.emit(`median_ns_per_round_trip=${(med * k).toFixed(3)}`);
		if (extra)
			extra(this);
		this.emit('done=1');
	}
}

/* main: parse, open the fds, header lines, then body(run) (async), then the result. */
async function main(spec, body) {
	name = spec.name;
	const run = new Run(spec);
	parseArgs(spec, run, process.argv.slice(2));
	run.resultFd = envFd('SCHEDTRACE_RESULT_FD', true);
	run.gateFd = envFd('SCHEDTRACE_GATE_FD', false);
	errorFd = run.resultFd;
	run.emit(`workload=${spec.name}`);
	run.emit(`switch=${spec.switchDef}`);
	run.emit(`iterations=${run.iterations}`);
	run.emit(`repeats=${run.repeats}`);
	run.emit(`warmup=${run.warmup}`);
	run.emit(`switches_per_iteration=${spec.switchesPerIter}`);
	run.emit(`cpus=${run.cpu}`);
	run.emit(`node_version=${process.version}`);
	const extra = await body(run);
	if (run.repeat !== run.repeats)
		die(`measured ${run.repeat} of ${run.repeats} repeats; this is a bug in the workload, please report it`);
	run.finish(extra);
}

module.exports = { main, die, nowNs, percentile, sorted };
