// SPDX-License-Identifier: GPL-2.0

// go-chan: two goroutines ping-pong over an unbuffered channel under
// GOMAXPROCS=1, the seed article's BenchmarkGoroutineSwitchChannel, on the
// result protocol of the C workloads (package wl). A round trip is two
// switches, one per hand-off. Compare coro-chan.
//
// Side A is the main goroutine; at a gate the pong goroutine is blocked
// receiving.
package main

import (
	"runtime"

	"schedtrace/workloads/go/wl"
)

var spec = wl.Spec{
	Name:      "go-chan",
	SwitchDef: "one goroutine handing a value to the other over an unbuffered channel (GOMAXPROCS=1)",
	Details: "Two goroutines on GOMAXPROCS=1 ping-pong over one unbuffered channel, as the\n" +
		"seed's BenchmarkGoroutineSwitchChannel does: ping sends and waits for the\n" +
		"reply, pong receives and sends it back. A round trip is two switches inside\n" +
		"the Go runtime, no system call. Needs go to build.",
	SwitchesPerIter:   2,
	RoundTripsPerIter: 1,
	DefaultIterations: 1000000,
	DefaultWarmup:     100000,
	DefaultRepeats:    5,
}

func main() {
	wl.Main(&spec, func(r *wl.Run) {
		runtime.GOMAXPROCS(1)
		ch := make(chan struct{})
		go func() {
			for range ch {
				ch <- struct{}{}
			}
		}()
		r.ReportTids()
		r.Measure(func(n int64) {
			for i := int64(0); i < n; i++ {
				ch <- struct{}{}
				<-ch
			}
		})
		close(ch)
	})
}
