package browsertest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/accessibility"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/duo-kazoo/duo-kazoo/app/apptest"
)

// focused is the expression describing the focused element for messages.
const focused = `(function(el) { return el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ` +
	`(el.getAttribute('data-action') ? '[' + el.getAttribute('data-action') + ']' : ''); })` +
	`(document.activeElement)`

// tabTo presses Tab (Shift+Tab when back) until the focused element
// matches sel, failing after 40 presses.
func (tb *tab) tabTo(sel string, back bool) {
	tb.t.Helper()
	var opts []chromedp.KeyOption
	if back {
		opts = append(opts, chromedp.KeyModifiers(chromedp.ModifierShift))
	}
	var path []string
	for range 40 {
		tb.press(kb.Tab, opts...)
		if eval[bool](tb, `document.activeElement.matches(`+js(sel)+`)`) {
			return
		}
		path = append(path, eval[string](tb, focused))
	}
	tb.t.Fatalf("Tab never reached %s; focus went %s", sel, strings.Join(path, " > "))
}

// wantFocus fails unless the focused element matches sel.
func (tb *tab) wantFocus(sel string) {
	tb.t.Helper()
	if !eval[bool](tb, `document.activeElement.matches(`+js(sel)+`)`) {
		tb.t.Fatalf("focus is on %s, want %s", eval[string](tb, focused), sel)
	}
}

// TestKeyboardOnly signs in, works both tabs, creates and deletes a
// configuration with the keyboard alone: no click, no value set by script.
func TestKeyboardOnly(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	s := &session{tab: newTab(t), env: env}
	s.do("opening the site", chromedp.Navigate(env.URL+"/i18n/index.json"))
	eval[bool](s.tab, `sessionStorage.setItem('duo-kazoo.language', 'en-US'), true`)
	s.do("opening the sign-in page", chromedp.Navigate(env.URL+"/"))
	s.waitVisible("#duo-signin-token")

	s.wantFocus("#duo-signin-token")
	s.insertText(env.KAZOO.Sub.Admin.Token)
	s.tabTo("#duo-signin-account", false)
	s.insertText(env.KAZOO.Sub.ID)
	s.press(kb.Enter)
	s.waitVisible(selName)
	s.settled()

	s.tabTo(selTabSet, false)
	s.press(kb.ArrowRight)
	s.wantFocus(selTabLogs)
	if got := eval[string](s.tab, `document.querySelector(`+js(selTabLogs)+
		`).getAttribute('aria-selected')`); got != "true" {
		t.Errorf("Failure Logs tab: got aria-selected %q, want true", got)
	}
	s.logsSettled()
	s.wantRows(1, "No results.")
	if !eval[bool](s.tab, `document.querySelector('#duo-panel-settings').hidden`) {
		t.Error("the Settings panel is still shown")
	}
	s.press(kb.ArrowLeft)
	s.wantFocus(selTabSet)

	s.tabTo(selName, false)
	s.insertText("Keyboard")
	s.tabTo("[data-action=generate]", false)
	s.press(kb.Enter)
	s.waitFor("a generated key in focus", `document.activeElement.matches(`+js(selAppKey)+
		`) && document.activeElement.value.length >= 40`, focused)
	s.tabTo(selIKey, false)
	s.insertText(testIKey)
	s.tabTo(selSKey, false)
	s.insertText(testSKey)
	s.tabTo(selHost, false)
	s.insertText(testHost)
	s.press(kb.Enter)
	s.waitText(selStatus, "Configuration “Keyboard” created.")

	s.tabTo("[data-action=delete]", false)
	s.press(kb.Enter)
	s.waitVisible("dialog[open]")
	s.wantFocus("dialog[open] button[value=cancel]")
	s.press(kb.Escape)
	s.waitFor("the dialog to close", `!document.querySelector('dialog')`, "")
	s.wantFocus("[data-action=delete]")
	s.press(kb.Enter)
	s.waitVisible("dialog[open]")
	s.press(kb.Tab)
	s.wantFocus("dialog[open] button[value=confirm]")
	s.press(kb.Enter)
	s.waitText(selStatus, "Configuration “Keyboard” deleted.")
	if n := len(s.configs()); n != 0 {
		t.Errorf("got %d configurations after deleting, want none", n)
	}

	s.tabTo(selTabSet, true)
	s.press(kb.ArrowRight)
	s.tabTo("#duo-log-q", false)
	s.insertText("nobody")
	s.press(kb.Enter)
	s.logsSettled()
	s.wantRows(1, "No results.")
	s.tabTo("[data-action=toggle-filter]", false)
	s.press(" ")
	s.waitVisible(selFilter)
	s.wantFocus("#duo-log-status")
}

// unlabelled lists the form controls without an accessible name from a
// <label>, aria-label or aria-labelledby; -1 entries mean no control.
const unlabelled = `(function() {
	var controls = document.querySelectorAll('input, select, textarea');
	var bad = [];
	controls.forEach(function(el) {
		if (el.type === 'hidden') { return; }
		var name = el.getAttribute('aria-label') || '';
		Array.prototype.forEach.call(el.labels || [], function(l) { name += l.textContent; });
		(el.getAttribute('aria-labelledby') || '').split(/\s+/).forEach(function(id) {
			var ref = id && document.getElementById(id);
			name += ref ? ref.textContent : '';
		});
		if (!name.trim()) { bad.push(el.id || el.name || el.outerHTML.slice(0, 60)); }
	});
	return controls.length ? bad : ['no control at all'];
})()`

// unnamedAX asks Chromium's accessibility tree for controls it would
// announce without a name.
func (tb *tab) unnamedAX() []string {
	tb.t.Helper()
	res, err := chromedp.Call(tb.ctx, accessibility.GetFullAXTree,
		accessibility.GetFullAXTreeParams{})
	if err != nil {
		tb.t.Fatalf("reading the accessibility tree: %v", err)
	}
	roles := map[string]bool{"textbox": true, "combobox": true, "checkbox": true,
		"spinbutton": true, "searchbox": true, "listbox": true, "button": true, "tab": true}
	var bad []string
	seen := 0
	for _, n := range res.Nodes {
		if n.Ignored || n.Role == nil {
			continue
		}
		role := strings.Trim(string(n.Role.Value), `"`)
		if !roles[role] {
			continue
		}
		seen++
		if n.Name == nil || strings.Trim(strings.TrimSpace(string(n.Name.Value)), `"`) == "" {
			bad = append(bad, fmt.Sprintf("%s (DOM node %d)", role, n.BackendDOMNodeID))
		}
	}
	if seen < 3 {
		tb.t.Fatalf("the accessibility tree has %d controls: the roles are not read", seen)
	}
	return bad
}

func TestEveryControlLabelled(t *testing.T) {
	s := openApp(t, apptest.Options{}, "en-US")
	check := func(where string) {
		t.Helper()
		if bad := eval[[]string](s.tab, unlabelled); len(bad) > 0 {
			t.Errorf("%s: controls without a label: %v", where, bad)
		}
		if bad := s.unnamedAX(); len(bad) > 0 {
			t.Errorf("%s: accessibility tree has unnamed controls: %v", where, bad)
		}
	}

	check("Settings, Web SDK")
	s.choose(selProvider, "duo_universal")
	check("Settings, Universal Prompt")
	s.openLogs()
	s.click("[data-action=toggle-filter]")
	s.waitVisible(selFilter)
	check("Failure Logs with the filter open")

	s.reloads("signing out", func() { s.click("[data-action=sign-out]") })
	s.waitVisible("#duo-signin-token")
	check("Sign-in")
}

// overflow is the expression of how far the page is wider than the
// window (0 when it fits).
const overflow = `Math.max(document.documentElement.scrollWidth - ` +
	`document.documentElement.clientWidth, document.body.scrollWidth - document.body.clientWidth)`

func TestLayoutFits(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	s := &session{tab: newTab(t), env: env}
	s.seedAttempts(seedLog()[:30])
	s.signIn("en-US")

	for _, width := range []int64{1280, 800} {
		t.Run(fmt.Sprintf("%dpx", width), func(t *testing.T) {
			s := s.on(t)
			s.do("sizing the window", chromedp.EmulateViewport(width, 900))
			s.click(selTabSet)
			s.choose(selProvider, "duo")
			s.fill(selIKey, "4kdLathyppdElkafetu9loppjhdgf")
			s.fill(selHost, "jdkfl")
			s.click(selSave)
			s.waitText(errorFor("settings.api_hostname"), "fully qualified")
			views := []struct {
				name  string
				setup func()
			}{
				{"Settings with errors", func() {}},
				{"Settings, Universal Prompt", func() { s.choose(selProvider, "duo_universal") }},
				{"Failure Logs with the filter open", func() {
					s.click(selTabLogs)
					s.logsSettled()
					if eval[bool](s.tab, `document.querySelector(`+js(selFilter)+`).hidden`) {
						s.click("[data-action=toggle-filter]")
					}
				}},
			}
			for _, v := range views {
				v.setup()
				if px := eval[int](s.tab, overflow); px > 0 {
					t.Errorf("%s: the page overflows by %d px", v.name, px)
					s.saveScreenshot(fmt.Sprintf("overflow-%d-%s", width,
						strings.ReplaceAll(v.name, " ", "-")))
				}
			}
		})
	}
}
