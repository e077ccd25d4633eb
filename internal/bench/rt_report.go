package bench

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// machine describes where a run happened, for the report.
func machine() string {
	model := "unknown CPU"
	if f, err := os.Open("/proc/cpuinfo"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
				model = strings.TrimSpace(v)
				break
			}
		}
		f.Close()
	}
	load := "?"
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		load = strings.Join(strings.Fields(string(b))[:3], " ")
	}
	return fmt.Sprintf("%d CPUs (%s), GOMAXPROCS %d, %s, %s/%s, load average %s (other work on the machine shows here)",
		runtime.NumCPU(), model, runtime.GOMAXPROCS(0), runtime.Version(), runtime.GOOS, runtime.GOARCH, load)
}

// row is one line of a latency table; limit 0 means informative.
type row struct {
	name  string
	d     []time.Duration
	limit map[string]time.Duration // "p50", "p99": the target
}

func quantile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(q*float64(len(sorted))+0.999999) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

// verdict is "pass", "FAIL" or "-" (no target), with the target text.
func verdict(sorted []time.Duration, limit map[string]time.Duration) (target, result string) {
	if len(limit) == 0 {
		return "(informative)", "-"
	}
	var parts []string
	pass := len(sorted) > 0
	for _, k := range []string{"p50", "p99"} {
		l, ok := limit[k]
		if !ok {
			continue
		}
		parts = append(parts, fmt.Sprintf("%s ≤ %s", k, fmtDur(l)))
		q := map[string]float64{"p50": 0.5, "p99": 0.99}[k]
		if quantile(sorted, q) > l {
			pass = false
		}
	}
	if pass {
		return strings.Join(parts, ", "), "pass"
	}
	return strings.Join(parts, ", "), "FAIL"
}

func printLatency(out io.Writer, rows []row) {
	fmt.Fprintf(out, "%-40s %7s %9s %9s %9s %9s  %-22s %s\n", "latency", "n", "median", "p90", "p99", "max", "target", "result")
	for _, r := range rows {
		d := slices.Clone(r.d)
		slices.Sort(d)
		var mx time.Duration
		if len(d) > 0 {
			mx = d[len(d)-1]
		}
		target, res := verdict(d, r.limit)
		fmt.Fprintf(out, "%-40s %7d %9s %9s %9s %9s  %-22s %s\n", r.name, len(d), fmtDur(quantile(d, 0.5)),
			fmtDur(quantile(d, 0.9)), fmtDur(quantile(d, 0.99)), fmtDur(mx), target, res)
	}
}

func fmtDur(d time.Duration) string {
	switch {
	case d < 0:
		return "-" + fmtDur(-d)
	case d < 10*time.Millisecond:
		return fmt.Sprintf("%.2fms", float64(d)/1e6)
	case d < 10*time.Second:
		return fmt.Sprintf("%.1fms", float64(d)/1e6)
	default:
		return d.Round(time.Millisecond).String()
	}
}

// memory is what the process holds: the Go heap and stacks in use, and the
// resident set the kernel reports.
type memory struct {
	heap, stack uint64 // runtime.MemStats HeapInuse, StackInuse
	rss         uint64 // VmRSS of /proc/self/status
	goroutines  int
}

func readMemory() memory {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return memory{heap: ms.HeapInuse, stack: ms.StackInuse, rss: procStatus("VmRSS"), goroutines: runtime.NumGoroutine()}
}

// procStatus reads one "kB" field of /proc/self/status, in bytes.
func procStatus(field string) uint64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			f := strings.Fields(v)
			if len(f) > 0 {
				n, _ := strconv.ParseUint(f[0], 10, 64)
				return n << 10
			}
		}
	}
	return 0
}

// openFiles counts this process's file descriptors.
func openFiles() int {
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return 0
	}
	return len(ents)
}

// raiseFileLimit lifts RLIMIT_NOFILE to want if the process may (root with
// CAP_SYS_RESOURCE), else the soft limit to the hard one. It returns the
// limit in force.
func raiseFileLimit(want uint64) uint64 {
	var l syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l); err != nil {
		return 0
	}
	if l.Max < want {
		try := syscall.Rlimit{Cur: want, Max: want}
		if syscall.Setrlimit(syscall.RLIMIT_NOFILE, &try) == nil {
			return want
		}
	}
	l.Cur = l.Max
	_ = syscall.Setrlimit(syscall.RLIMIT_NOFILE, &l)
	_ = syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l)
	return l.Cur
}

func kib(b float64) string { return fmt.Sprintf("%.1f KiB", b/1024) }

func mib(b int64) string { return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20)) }

// procCPU is the CPU time this process has used (user + system).
func procCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
