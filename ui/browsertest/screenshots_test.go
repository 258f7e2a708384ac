package browsertest

import (
	"bytes"
	"flag"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/duo-kazoo/duo-kazoo/app/apptest"
)

// updateScreenshots makes TestScreenshots also replace the app store's
// screenshots in metadata/screenshots (scripts/screenshots.sh sets it).
var updateScreenshots = flag.Bool("update-screenshots", false,
	"write the app store screenshots to metadata/screenshots")

// Size of the app store screenshots, in CSS pixels.
const shotWidth, shotHeight = 1280, 800

// TestScreenshots takes the app store's screenshots from the real UI:
// both tabs, the Universal Prompt form, validation messages and an
// attempt's details, over a KAZOO seeded for the purpose. They go to
// artifacts/screenshots on every run.
func TestScreenshots(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	s := &session{tab: newTab(t), env: env}
	s.do("sizing the window", chromedp.EmulateViewport(shotWidth, shotHeight))
	if _, err := chromedp.Call(s.ctx, emulation.SetTimezoneOverride,
		emulation.SetTimezoneOverrideParams{TimezoneID: "UTC"}); err != nil {
		t.Fatalf("setting the page's time zone: %v", err)
	}
	s.createConfig(duoConfig("Head office", testIKey, testSKey, testHost))
	universal := s.createConfig(map[string]any{"name": "Remote staff", "enabled": true,
		"provider_name": "duo_universal", "settings": map[string]any{
			"client_id": "DIUNIVERSAL0CLIENT01", "client_secret": testSKey,
			"api_hostname": testHost, "redirect_uri": "https://portal.example.com/duo/callback",
			"failmode": "safe", "factors": []string{"push", "passcode"}}})
	s.seedAttempts(seedLog())
	s.signIn("en-US")

	var shots []string
	shoot := func(name string) {
		t.Helper()
		if name != "settings-validation" {
			eval[bool](s.tab, `document.activeElement && document.activeElement.blur(), true`)
		}
		img := s.saveScreenshot(name)
		cfg, err := png.DecodeConfig(bytes.NewReader(img))
		if err != nil || cfg.Width != shotWidth || cfg.Height != shotHeight {
			t.Fatalf("%s: got a %dx%d image (%v), want %dx%d", name, cfg.Width, cfg.Height, err,
				shotWidth, shotHeight)
		}
		shots = append(shots, name)
	}

	shoot("settings")
	s.pick(universal)
	shoot("settings-universal")

	s.pick("")
	s.fill(selName, guideName)
	s.fill(selAppKey, guideAppKey)
	s.fill(selIKey, guideIKey)
	s.fill(selSKey, guideSKey)
	s.fill(selHost, guideHost)
	s.click(selSave)
	s.waitText(errorFor("settings.api_hostname"), "fully qualified")
	eval[bool](s.tab, `document.querySelector(`+js(selAppKey)+`).closest('fieldset')`+
		`.scrollIntoView(), true`)
	shoot("settings-validation")

	s.openLogs()
	shoot("failure-logs")
	s.click(selRow + " [data-action=view]")
	s.waitVisible("dialog[open]")
	shoot("failure-details")

	if !*updateScreenshots {
		return
	}
	dest := filepath.Join("..", "..", "metadata", "screenshots")
	if err := os.MkdirAll(dest, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range shots {
		img, err := os.ReadFile(filepath.Join(artifactsDir, name+".png"))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dest, name+".png"), img, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("wrote %d screenshots to %s", len(shots), dest)
}
