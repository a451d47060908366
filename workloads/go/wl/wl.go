// SPDX-License-Identifier: GPL-2.0

// Package wl is the Go side of the workload harness (workloads/common/
// workload.h): the same command line (-n -w -r -C -h, strictly parsed,
// the same messages), the same result protocol on SCHEDTRACE_RESULT_FD and
// gates on SCHEDTRACE_GATE_FD (docs/result-protocol.md), the same human
// line. A Go workload is a Spec and a loop:
//
//	func main() { wl.Main(&spec, body) }
//
// Pinning: -C pins the whole process, every thread the Go runtime has and
// will start. Threads inherit the affinity of the thread that creates
// them, so Main re-executes the program once from a thread pinned to the
// CPU: the new process starts pinned, and so does every thread after.
package wl

import (
	"fmt"
	"math"
	"os"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"unsafe"
)

// Spec describes a workload, as struct wl_spec does.
type Spec struct {
	Name              string
	SwitchDef         string // one line: what one switch is
	Details           string // -h paragraph
	SwitchesPerIter   int64
	RoundTripsPerIter int64 // 0: no round-trip line
	DefaultIterations int64
	DefaultWarmup     int64
	DefaultRepeats    int64
}

// Run is one run of a workload: its options and the protocol's state.
type Run struct {
	Spec       *Spec
	Iterations int64
	Warmup     int64
	Repeats    int64
	CPU        int

	resultFD, gateFD int
	repeat           int64
	startNs          uint64
	nsPerSwitch      []float64
}

const (
	maxIterations = 1000000000000
	maxRepeats    = 1000000
	pinnedEnv     = "SCHEDTRACE_GO_PINNED" // set across the re-exec that pins
)

var name = "workload"
var errorFD = -1

// Die prints "NAME: message" on stderr (and error= on the result fd) and exits 1.
func Die(format string, a ...interface{}) {
	msg := fmt.Sprintf(format, a...)
	fmt.Fprintf(os.Stderr, "%s: %s\n", name, msg)
	if errorFD >= 0 {
		syscall.Write(errorFD, []byte("error="+name+": "+msg+"\n"))
	}
	os.Exit(1)
}

func usageError(format string, a ...interface{}) {
	fmt.Fprintf(os.Stderr, "%s: %s\n", name, fmt.Sprintf(format, a...))
	os.Exit(2)
}

// parseCount is wl_parse_count: digits only, min..max.
func parseCount(s string, min, max int64) (int64, bool) {
	if s == "" {
		return 0, false
	}
	var v int64
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, false
		}
		d := int64(c - '0')
		if v > (max-d)/10 {
			return 0, false
		}
		v = v*10 + d
	}
	if v < min || v > max {
		return 0, false
	}
	return v, true
}

func allowedCPUs() (set [16]uint64, ok bool) {
	_, _, e := syscall.RawSyscall(syscall.SYS_SCHED_GETAFFINITY, 0, unsafe.Sizeof(set),
		uintptr(unsafe.Pointer(&set)))
	return set, e == 0
}

func cpuAllowed(cpu int) bool {
	set, ok := allowedCPUs()
	return ok && cpu >= 0 && cpu < 1024 && set[cpu/64]&(1<<(uint(cpu)%64)) != 0
}

func defaultCPU() int {
	for c := 0; c < 1024; c++ {
		if cpuAllowed(c) {
			return c
		}
	}
	return -1
}

func plural(n int64, suffix string) string {
	if n == 1 {
		return ""
	}
	return suffix
}

func usage(s *Spec) {
	fmt.Printf("usage: %s [-n ITERATIONS] [-w WARMUP] [-r REPEATS] [-C CPUS] [-h]\n", s.Name)
	fmt.Printf("One switch: %s\n", s.SwitchDef)
	fmt.Printf("One iteration: %d switch%s", s.SwitchesPerIter, plural(s.SwitchesPerIter, "es"))
	if s.RoundTripsPerIter > 0 {
		fmt.Printf(" = %d round trip%s", s.RoundTripsPerIter, plural(s.RoundTripsPerIter, "s"))
	}
	fmt.Printf(".\n%s\n\n", s.Details)
	fmt.Printf("  -n ITERATIONS  measured iterations per repeat (default %d)\n", s.DefaultIterations)
	fmt.Printf("  -w WARMUP      unmeasured iterations before the first repeat, 0 for none (default %d)\n", s.DefaultWarmup)
	fmt.Printf("  -r REPEATS     measured repeats; the result gives their median, min, max (default %d)\n", s.DefaultRepeats)
	fmt.Printf("  -C CPU         CPU to pin to, the whole process (default: CPU 0, or the first allowed CPU)\n")
	fmt.Printf("  -h             this help\n\n")
	fmt.Printf("Prints: ns/switch: median X (min Y, max Z, n REPEATS)\n")
	if s.RoundTripsPerIter > 0 {
		fmt.Printf("        ns/round-trip: median X (min Y, max Z, n REPEATS)\n")
	}
	fmt.Printf("With SCHEDTRACE_RESULT_FD and SCHEDTRACE_GATE_FD set it also talks to the\ncollector (docs/result-protocol.md).\n")
}

// parseArgs is wl_parse_args for -n -w -r -C -h. Returns false after -h.
func parseArgs(s *Spec, r *Run, args []string) bool {
	r.Iterations, r.Warmup, r.Repeats, r.CPU = s.DefaultIterations, s.DefaultWarmup, s.DefaultRepeats, defaultCPU()
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			if i+1 < len(args) {
				usageError("unexpected argument '%s'; options only, see %s -h", args[i+1], s.Name)
			}
			break
		}
		if strings.HasPrefix(a, "--") {
			usageError("unknown option '%s'; see %s -h", a, s.Name)
		}
		if len(a) < 2 || a[0] != '-' {
			usageError("unexpected argument '%s'; options only, see %s -h", a, s.Name)
		}
		opt := a[1]
		if opt == 'h' {
			return false
		}
		if !strings.ContainsRune("nwrC", rune(opt)) {
			usageError("unknown option -%c; see %s -h", opt, s.Name)
		}
		val := a[2:]
		if val == "" {
			if i+1 >= len(args) {
				usageError("-%c needs a value; see %s -h", opt, s.Name)
			}
			i++
			val = args[i]
		}
		var ok bool
		switch opt {
		case 'n':
			if r.Iterations, ok = parseCount(val, 1, maxIterations); !ok {
				usageError("-n wants a whole number from 1 to %d, got '%s'; see %s -h", int64(maxIterations), val, s.Name)
			}
		case 'w':
			if r.Warmup, ok = parseCount(val, 0, maxIterations); !ok {
				usageError("-w wants a whole number from 0 to %d, got '%s'; see %s -h", int64(maxIterations), val, s.Name)
			}
		case 'r':
			if r.Repeats, ok = parseCount(val, 1, maxRepeats); !ok {
				usageError("-r wants a whole number from 1 to %d, got '%s'; see %s -h", maxRepeats, val, s.Name)
			}
		case 'C':
			c, ok := parseCount(val, 0, 1023)
			if !ok {
				usageError("-C wants one CPU number (e.g. 0), got '%s'; see %s -h", val, s.Name)
			}
			if !cpuAllowed(int(c)) {
				usageError("CPU %d is not online or not allowed for this process; pick one listed by 'taskset -cp $$'", c)
			}
			r.CPU = int(c)
		}
	}
	if r.CPU < 0 {
		usageError("no CPU is allowed for this process; check its affinity with 'taskset -cp $$'")
	}
	// side B serves warmup + repeats * n iterations; every count must fit
	if r.Iterations > math.MaxInt64/r.Repeats || r.Iterations*r.Repeats > math.MaxInt64-r.Warmup ||
		r.Iterations*r.Repeats+r.Warmup > math.MaxInt64/s.SwitchesPerIter {
		usageError("-n x -r + -w is too large; lower -n or -r")
	}
	return true
}

// envFD is wl_env_fd: -1 if unset; exits 2 if set but not an open fd with the access wanted.
func envFD(v string, wantWrite bool) int {
	s, set := os.LookupEnv(v)
	if !set {
		return -1
	}
	fd, ok := parseCount(s, 0, 1<<20)
	if !ok {
		usageError("%s='%s' is not an fd number; set it to an open fd or unset it", v, s)
	}
	fl, _, e := syscall.Syscall(syscall.SYS_FCNTL, uintptr(fd), syscall.F_GETFL, 0)
	if e != 0 {
		usageError("%s=%d is not an open fd; pass the fd to the workload or unset %s", v, fd, v)
	}
	mode := fl & syscall.O_ACCMODE
	if (wantWrite && mode == syscall.O_RDONLY) || (!wantWrite && mode == syscall.O_WRONLY) {
		what, how := "reading", "for reading"
		if wantWrite {
			what, how = "writing", "for writing"
		}
		usageError("%s=%d is not open for %s; open it %s", v, fd, what, how)
	}
	return int(fd)
}

// pin makes the whole process run on cpu: if it does not already, it
// re-executes itself from a thread pinned there (see the package comment).
func pin(cpu int) {
	set, ok := allowedCPUs()
	var want [16]uint64
	want[cpu/64] = 1 << (uint(cpu) % 64)
	if ok && set == want {
		return
	}
	if os.Getenv(pinnedEnv) != "" {
		Die("could not pin to CPU %d; pick another with -C", cpu)
	}
	runtime.LockOSThread()
	if _, _, e := syscall.RawSyscall(syscall.SYS_SCHED_SETAFFINITY, 0, unsafe.Sizeof(want),
		uintptr(unsafe.Pointer(&want))); e != 0 {
		Die("cannot pin to CPU %d (%s); pick another with -C", cpu, e)
	}
	os.Setenv(pinnedEnv, "1")
	exe, err := os.Executable()
	if err != nil {
		Die("cannot find this program to re-execute it pinned (%s)", err)
	}
	err = syscall.Exec(exe, os.Args, os.Environ())
	Die("cannot re-execute pinned to CPU %d (%s)", cpu, err)
}

// NowNs is CLOCK_MONOTONIC in ns, the clock the collector reads.
func NowNs() uint64 {
	var ts syscall.Timespec
	syscall.RawSyscall(syscall.SYS_CLOCK_GETTIME, 1 /* CLOCK_MONOTONIC */, uintptr(unsafe.Pointer(&ts)), 0)
	return uint64(ts.Sec)*1000000000 + uint64(ts.Nsec)
}

func (r *Run) emit(format string, a ...interface{}) {
	if r.resultFD < 0 {
		return
	}
	line := []byte(fmt.Sprintf(format, a...) + "\n")
	for {
		n, err := syscall.Write(r.resultFD, line)
		if err == syscall.EINTR {
			continue
		}
		if err != nil || n != len(line) {
			why := "short write"
			if err != nil {
				why = err.Error()
			}
			Die("writing to SCHEDTRACE_RESULT_FD failed (%s); is the collector still reading?", why)
		}
		return
	}
}

// Report writes key=value (workload-specific keys, before the first gate).
func (r *Run) Report(key, format string, a ...interface{}) {
	r.emit("%s=%s", key, fmt.Sprintf(format, a...))
}

// ReportTids reports every thread of the process: Go runs goroutines on any of them.
func (r *Run) ReportTids() {
	ents, err := os.ReadDir("/proc/self/task")
	if err != nil {
		Die("cannot list /proc/self/task (%s); is /proc mounted?", err)
	}
	var tids []string
	for _, e := range ents {
		tids = append(tids, e.Name())
	}
	r.emit("tids=%s", strings.Join(tids, ","))
}

func (r *Run) waitGate() {
	if r.gateFD < 0 {
		return
	}
	var b [1]byte
	for {
		n, err := syscall.Read(r.gateFD, b[:])
		if err == syscall.EINTR {
			continue
		}
		if n == 1 {
			return
		}
		if n == 0 && err == nil {
			Die("the collector closed SCHEDTRACE_GATE_FD; stopping without a result (see the collector's own error)")
		}
		Die("reading SCHEDTRACE_GATE_FD failed (%s); is it the read end of a pipe?", err)
	}
}

// Measure runs loop(warmup), then per repeat: gate, loop(iterations), gate, the repeat's lines.
func (r *Run) Measure(loop func(n int64)) {
	if r.Warmup > 0 {
		loop(r.Warmup)
	}
	for i := int64(0); i < r.Repeats; i++ {
		r.emit("gate=start")
		r.waitGate()
		r.startNs = NowNs()
		loop(r.Iterations)
		end := NowNs()
		switches := r.Iterations * r.Spec.SwitchesPerIter
		ns := float64(end-r.startNs) / float64(switches)
		r.emit("gate=end")
		r.waitGate()
		r.emit("repeat=%d", r.repeat)
		r.emit("switches=%d", switches)
		if r.Spec.RoundTripsPerIter > 0 {
			r.emit("round_trips=%d", r.Iterations*r.Spec.RoundTripsPerIter)
		}
		r.emit("start_ns=%d", r.startNs)
		r.emit("end_ns=%d", end)
		r.emit("ns_per_switch=%.3f", ns)
		r.nsPerSwitch = append(r.nsPerSwitch, ns)
		r.repeat++
	}
}

func (r *Run) finish() {
	v := append([]float64(nil), r.nsPerSwitch...)
	sort.Float64s(v)
	n := len(v)
	med := v[n/2]
	if n%2 == 0 {
		med = (v[n/2-1] + v[n/2]) / 2
	}
	s := r.Spec
	fmt.Printf("ns/switch: median %.1f (min %.1f, max %.1f, n %d)\n", med, v[0], v[n-1], n)
	if s.RoundTripsPerIter > 0 {
		k := float64(s.SwitchesPerIter) / float64(s.RoundTripsPerIter)
		fmt.Printf("ns/round-trip: median %.1f (min %.1f, max %.1f, n %d)\n", med*k, v[0]*k, v[n-1]*k, n)
	}
	os.Stdout.Sync()
	r.emit("median_ns_per_switch=%.3f", med)
	if s.RoundTripsPerIter > 0 {
		r.emit("median_ns_per_round_trip=%.3f", med*float64(s.SwitchesPerIter)/float64(s.RoundTripsPerIter))
	}
	r.emit("done=1")
}

// Main parses the command line, pins, opens the collector's fds, runs body and prints the result.
func Main(s *Spec, body func(r *Run)) {
	name = s.Name
	r := &Run{Spec: s, resultFD: -1, gateFD: -1}
	if !parseArgs(s, r, os.Args[1:]) {
		usage(s)
		os.Exit(0)
	}
	r.resultFD = envFD("SCHEDTRACE_RESULT_FD", true)
	r.gateFD = envFD("SCHEDTRACE_GATE_FD", false)
	pin(r.CPU)
	os.Unsetenv(pinnedEnv)
	errorFD = r.resultFD
	r.emit("workload=%s", s.Name)
	r.emit("switch=%s", s.SwitchDef)
	r.emit("iterations=%d", r.Iterations)
	r.emit("repeats=%d", r.Repeats)
	r.emit("warmup=%d", r.Warmup)
	r.emit("switches_per_iteration=%d", s.SwitchesPerIter)
	r.emit("cpus=%d", r.CPU)
	r.emit("go_version=%s", runtime.Version())
	r.emit("gomaxprocs=%s", strconv.Itoa(runtime.GOMAXPROCS(0)))
	body(r)
	if r.repeat != r.Repeats {
		Die("measured %d of %d repeats; this is a bug in the workload, please report it", r.repeat, r.Repeats)
	}
	r.finish()
}
