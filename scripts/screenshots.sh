#!/usr/bin/env bash
# screenshots.sh regenerates the app store screenshots
# (metadata/screenshots/*.png) from the real UI: the browser test
# TestScreenshots of ui/browsertest drives Debian's Chromium over a seeded
# service and, with -update-screenshots, writes what it captured there as
# well as to artifacts/screenshots/. Needs COUCH_URL and AMQP_URL (run it
# through scripts/with-deps.sh, as `make screenshots` does) and chromium.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
go test -count=1 -run '^TestScreenshots$' ./ui/browsertest -args -update-screenshots
ls -l metadata/screenshots
