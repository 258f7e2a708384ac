package browsertest

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

const (
	// tabTimeout bounds everything one test does in its tab.
	tabTimeout = 45 * time.Second
	// waitTimeout bounds one wait for the page to reach a state.
	waitTimeout = 10 * time.Second
)

// artifactsDir is where screenshots go: the repository's artifacts/.
var artifactsDir = filepath.Join("..", "..", "artifacts", "screenshots")

// tab is one browser tab of a test. Its helpers fail the test on error.
type tab struct {
	t   *testing.T
	ctx context.Context
}

// newTab opens a tab in the package's browser, closed when the test ends.
// An uncaught exception or unhandled rejection in the page fails the
// test; so does a failing test leave a screenshot in artifacts/.
func newTab(t *testing.T) *tab {
	t.Helper()
	if testing.Short() {
		t.Skip("browser test: skipped with -short")
	}
	root, err := chrome.context()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := chromedp.NewContext(root)
	if err := chromedp.Do(ctx); err != nil {
		cancel()
		t.Fatalf("opening a tab: %v", err)
	}

	var mu sync.Mutex
	var exceptions []string
	done := make(chan struct{})
	messages := chromedp.Console(ctx)
	go func() {
		defer close(done)
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.IsException() {
				mu.Lock()
				exceptions = append(exceptions, m.URL+": "+m.Text)
				mu.Unlock()
			}
		}
	}()

	tctx, tcancel := context.WithTimeout(ctx, tabTimeout)
	tb := &tab{t: t, ctx: tctx}
	t.Cleanup(func() {
		if t.Failed() {
			tb.saveScreenshot("failed-" + strings.ReplaceAll(t.Name(), "/", "-"))
		}
		tcancel()
		cancel()
		<-done
		for _, e := range exceptions {
			t.Errorf("page threw: %s", e)
		}
	})
	return tb
}

// on returns the tab with its helpers failing t (a subtest) instead.
func (tb *tab) on(t *testing.T) *tab { return &tab{t: t, ctx: tb.ctx} }

// do runs actions in order.
func (tb *tab) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	if err := chromedp.Do(tb.ctx, actions...); err != nil {
		tb.t.Fatalf("%s: %v", what, err)
	}
}

// reloads runs action, which makes the page load a new document, and
// waits for that document's load event: waits never span a navigation.
func (tb *tab) reloads(what string, action func()) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, waitTimeout)
	defer cancel()
	loads := chromedp.Events(ctx, page.LoadEventFired)
	action()
	for _, err := range loads {
		if err != nil {
			tb.t.Fatalf("%s: waiting for the page to load: %v", what, err)
		}
		return
	}
}

// eval evaluates a JavaScript expression, awaiting a Promise result.
func eval[T any](tb *tab, expr string) T {
	tb.t.Helper()
	v, err := chromedp.Run(tb.ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		tb.t.Fatalf("evaluating %s: %v", expr, err)
	}
	return v
}

// js quotes s as a JavaScript string literal.
func js(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// waitFor waits until the expression is truthy; what names the awaited
// state in the failure, with describe (an expression) showing what the
// page had instead.
func (tb *tab) waitFor(what, expr, describe string) {
	tb.t.Helper()
	_, err := chromedp.Run(tb.ctx, chromedp.Poll[chromedp.Void](expr,
		chromedp.WithPollingInterval(30*time.Millisecond),
		chromedp.WithPollingTimeout(waitTimeout)))
	if err == nil {
		return
	}
	got := ""
	if describe != "" {
		got, _ = chromedp.Run(tb.ctx, chromedp.Evaluate[string](describe))
	}
	tb.t.Fatalf("waiting for %s: %v; page has %q", what, err, got)
}

// textOf is the expression of the trimmed text of the first match of sel.
func textOf(sel string) string {
	return `((document.querySelector(` + js(sel) + `) || {}).textContent || '').trim()`
}

// waitText waits until the first match of sel contains want.
func (tb *tab) waitText(sel, want string) {
	tb.t.Helper()
	tb.waitFor(sel+" containing "+want, textOf(sel)+`.includes(`+js(want)+`)`, textOf(sel))
}

// waitVisible waits until sel matches an element that is rendered.
func (tb *tab) waitVisible(sel string) {
	tb.t.Helper()
	tb.waitFor(sel+" visible", `(function(el) { return !!el && el.getClientRects().length > 0; })`+
		`(document.querySelector(`+js(sel)+`))`, "")
}

// text returns the trimmed text of the first match of sel ("" if none).
func (tb *tab) text(sel string) string {
	tb.t.Helper()
	return eval[string](tb, textOf(sel))
}

// count returns how many elements match sel.
func (tb *tab) count(sel string) int {
	tb.t.Helper()
	return eval[int](tb, `document.querySelectorAll(`+js(sel)+`).length`)
}

// click clicks the first match of sel with the mouse.
func (tb *tab) click(sel string) {
	tb.t.Helper()
	tb.do("clicking "+sel, chromedp.Click(chromedp.CSS(sel)))
}

// fill replaces the value of the input sel as a user would: focus it,
// empty it, then type (insert) the text, which fires input events.
func (tb *tab) fill(sel, value string) {
	tb.t.Helper()
	tb.do("focusing "+sel, chromedp.Focus(chromedp.CSS(sel)))
	eval[bool](tb, `(function(el) { el.value = ''; return true; })(document.activeElement)`)
	tb.insertText(value)
}

// choose selects the option value of the select sel and fires change,
// unless it is selected already (a browser fires nothing then either).
func (tb *tab) choose(sel, value string) {
	tb.t.Helper()
	ok := eval[bool](tb, `(function(el) {
		if (!el || !Array.prototype.some.call(el.options, function(o) { return o.value === `+
		js(value)+`; })) { return false; }
		el.focus();
		if (el.value === `+js(value)+`) { return true; }
		el.value = `+js(value)+`;
		el.dispatchEvent(new Event('change', { bubbles: true }));
		return true;
	})(document.querySelector(`+js(sel)+`))`)
	if !ok {
		tb.t.Fatalf("%s has no option %q", sel, value)
	}
}

// insertText types text into the focused element.
func (tb *tab) insertText(text string) {
	tb.t.Helper()
	if _, err := chromedp.Call(tb.ctx, input.InsertText,
		input.InsertTextParams{Text: text}); err != nil {
		tb.t.Fatalf("typing: %v", err)
	}
}

// press sends keys (kb constants or text) to the focused element.
func (tb *tab) press(keys string, opts ...chromedp.KeyOption) {
	tb.t.Helper()
	tb.do("pressing keys", chromedp.KeyEvent(keys, opts...))
}

// value returns the value of the first match of sel.
func (tb *tab) value(sel string) string {
	tb.t.Helper()
	return eval[string](tb, `(document.querySelector(`+js(sel)+`) || {}).value || ''`)
}

// saveScreenshot writes the visible page to artifacts/screenshots/name.png
// and returns the image; failures are logged, not fatal.
func (tb *tab) saveScreenshot(name string) []byte {
	png, err := chromedp.Run(tb.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		tb.t.Logf("screenshot %s: %v", name, err)
		return nil
	}
	if err := os.MkdirAll(artifactsDir, 0o755); err != nil {
		tb.t.Logf("screenshot %s: %v", name, err)
		return png
	}
	if err := os.WriteFile(filepath.Join(artifactsDir, name+".png"), png, 0o644); err != nil {
		tb.t.Logf("screenshot %s: %v", name, err)
	}
	return png
}
