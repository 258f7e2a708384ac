package browsertest

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chrome is the package's one browser, started by the first test that
// needs it and stopped by TestMain.
var chrome = &chromium{}

func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	if err := chrome.stop(); err != nil {
		fmt.Fprintln(os.Stderr, "browsertest:", err)
		if code == 0 {
			code = 1
		}
	}
	os.Exit(code)
}

// chromiumPath is the browser binary: $CHROMIUM, else Debian's.
func chromiumPath() string {
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	return "/usr/bin/chromium"
}

// chromium is one Chromium process with a fresh profile directory.
type chromium struct {
	once    sync.Once
	err     error
	dataDir string
	// ctx is the browser's first tab; every test opens its own tab from it.
	ctx         context.Context
	cancelTab   context.CancelFunc
	cancelAlloc context.CancelFunc
}

// context returns the browser's root context, starting the browser the
// first time.
func (b *chromium) context() (context.Context, error) {
	b.once.Do(func() { b.err = b.start() })
	return b.ctx, b.err
}

func (b *chromium) start() error {
	path := chromiumPath()
	if _, err := exec.LookPath(path); err != nil {
		return fmt.Errorf("chromium not found at %s: install it (scripts/deps.sh install "+
			"adds Debian's chromium) or set CHROMIUM to its path: %w", path, err)
	}
	dir, err := os.MkdirTemp("", "duo-kazoo-chromium-")
	if err != nil {
		return fmt.Errorf("creating the profile directory: %w", err)
	}
	b.dataDir = dir

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("lang", "en-US"),
		chromedp.WindowSize(1280, 900),
		chromedp.UserDataDir(dir),
		chromedp.Env("XDG_CONFIG_HOME="+filepath.Join(dir, "config")),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(allocCtx)
	if err := chromedp.Do(ctx); err != nil {
		cancelTab()
		cancelAlloc()
		return fmt.Errorf("starting %s: %w", path, err)
	}
	b.ctx, b.cancelTab, b.cancelAlloc = ctx, cancelTab, cancelAlloc
	return nil
}

// errLeftovers means browser processes outlived the browser.
var errLeftovers = errors.New("chromium processes were left running")

// stop closes the browser, if it started, then makes sure no process of
// its profile is left: those still running after a grace period are
// killed by pid and reported.
func (b *chromium) stop() error {
	if b.ctx == nil {
		if b.dataDir != "" {
			return os.RemoveAll(b.dataDir)
		}
		return nil
	}
	closeCtx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	err := chromedp.Cancel(closeCtx)
	cancel()
	b.cancelTab()
	b.cancelAlloc()
	if err != nil && !errors.Is(err, context.Canceled) {
		err = fmt.Errorf("closing chromium: %w", err)
	} else {
		err = nil
	}

	deadline := time.Now().Add(5 * time.Second)
	left := processesUsing(b.dataDir)
	for len(left) > 0 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
		left = processesUsing(b.dataDir)
	}
	if len(left) > 0 {
		for _, pid := range left {
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
		err = errors.Join(err, fmt.Errorf("%w: killed pids %v", errLeftovers, left))
	}
	return errors.Join(err, os.RemoveAll(b.dataDir))
}

// processesUsing lists the pids of the browser whose profile is dir: those
// whose command line names dir (the browser and the processes it starts
// with --user-data-dir, and the crash handlers, whose database lives in
// dir through XDG_CONFIG_HOME), and every descendant of those (utility
// processes name no profile). Chromium rewrites its helpers' command
// lines into one string, so dir is searched as a substring.
func processesUsing(dir string) []int {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	parent := map[int]int{}
	var marked []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == os.Getpid() {
			continue
		}
		stat, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		// stat is "pid (comm) state ppid ...", comm may hold spaces.
		if i := bytes.LastIndexByte(stat, ')'); i > 0 {
			fields := strings.Fields(string(stat[i+1:]))
			if len(fields) > 1 {
				parent[pid], _ = strconv.Atoi(fields[1])
			}
		}
		cmdline, err := os.ReadFile("/proc/" + e.Name() + "/cmdline")
		if err == nil && bytes.Contains(cmdline, []byte(dir)) {
			marked = append(marked, pid)
		}
	}

	found := map[int]bool{}
	for _, pid := range marked {
		found[pid] = true
	}
	for grew := true; grew; {
		grew = false
		for pid, ppid := range parent {
			if found[ppid] && !found[pid] {
				found[pid] = true
				grew = true
			}
		}
	}
	pids := make([]int, 0, len(found))
	for pid := range found {
		pids = append(pids, pid)
	}
	sort.Ints(pids)
	return pids
}

// TestLeftoverCheckSeesBrowser keeps TestMain's leftover check honest:
// while the browser runs, processesUsing finds it and its helpers (at
// least the launcher, the browser, a zygote and a renderer).
func TestLeftoverCheckSeesBrowser(t *testing.T) {
	newTab(t)
	if pids := processesUsing(chrome.dataDir); len(pids) < 4 {
		t.Errorf("got pids %v for the running browser, want it and its helpers", pids)
	}
}
