#!/bin/sh
# Regenerates standalone/gen/templates.js from the views of both hosts.
# Run after editing any ui/app/views or ui/standalone/views file; the Go
# tests of package ui fail while it is stale. Needs Node.js and npm.
set -eu
cd "$(dirname "$0")"
if [ ! -d node_modules/handlebars ]; then
	npm ci --no-audit --no-fund --ignore-scripts
fi
node tools/precompile.js
