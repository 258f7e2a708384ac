#!/bin/sh
# Refreshes the vendored Handlebars runtime (and its licence) of the
# standalone page from the version pinned in package.json and
# package-lock.json, then regenerates the precompiled views with it.
# To move to another version: change package.json, run `npm install
# --package-lock-only`, check the lock names no download hosts, run this.
set -eu
cd "$(dirname "$0")"
npm ci --no-audit --no-fund --ignore-scripts
cp node_modules/handlebars/dist/handlebars.runtime.min.js standalone/vendor/
cp node_modules/handlebars/LICENSE standalone/vendor/LICENSE-handlebars.txt
./precompile.sh
