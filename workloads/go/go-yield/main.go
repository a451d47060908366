// SPDX-License-Identifier: GPL-2.0

// go-yield: two goroutines take turns with runtime.Gosched() under
// GOMAXPROCS=1, the seed article's BenchmarkGoroutineSwitchGosched, on the
// result protocol of the C workloads (package wl). One switch is one
// Gosched handing the only P to the other goroutine; an iteration is A
// yielding to B and B yielding back. Compare coro-yield.
//
// Side A is the main goroutine. B yields exactly as often as A in each
// window and then waits on a channel, so at a gate B is blocked, not
// spinning through Gosched.
package main

import (
	"runtime"

	"schedtrace/workloads/go/wl"
)

var spec = wl.Spec{
	Name:      "go-yield",
	SwitchDef: "one goroutine yielding the only P to the other with runtime.Gosched() (GOMAXPROCS=1)",
	Details: "Two goroutines on GOMAXPROCS=1 call runtime.Gosched() in turn, as the seed's\n" +
		"BenchmarkGoroutineSwitchGosched does: each call hands the P to the other\n" +
		"goroutine, a switch inside the Go runtime without a system call. An iteration\n" +
		"is A yielding to B and B yielding back: two switches. Needs go to build.",
	SwitchesPerIter:   2,
	DefaultIterations: 2000000,
	DefaultWarmup:     200000,
	DefaultRepeats:    5,
}

func main() {
	wl.Main(&spec, func(r *wl.Run) {
		runtime.GOMAXPROCS(1)
		start := make(chan int64)
		done := make(chan struct{})
		go func() {
			for n := range start {
				for i := int64(0); i < n; i++ {
					runtime.Gosched()
				}
				done <- struct{}{}
			}
		}()
		r.ReportTids()
		r.Measure(func(n int64) {
			start <- n // B is runnable; it takes its first turn at A's first Gosched
			for i := int64(0); i < n; i++ {
				runtime.Gosched()
			}
			<-done
		})
		close(start)
	})
}
