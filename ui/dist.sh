#!/bin/sh
# dist.sh OUTDIR: assembles the Monster-UI app folder OUTDIR/duo_integration
# (app.js, core/, views/, style/, i18n/, metadata/). An operator copies it
# into Monster-UI's apps folder and registers it with
#   sup crossbar_maintenance init_app '<apps>/duo_integration' '<api_url>'
# where api_url is this module's API root (https://host:port/v2/).
# The folder is rebuilt from scratch each time.
set -eu

if [ $# -ne 1 ] || [ -z "$1" ]; then
	echo "usage: ui/dist.sh OUTDIR" >&2
	exit 2
fi

ui=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$ui")
out="$1/duo_integration"

rm -rf "$out"
mkdir -p "$out/core" "$out/views" "$out/style" "$out/i18n" "$out/metadata/icon"

cp "$ui/app/app.js" "$out/"
cp "$ui"/app/core/*.js "$out/core/"
cp "$ui"/app/views/*.html "$out/views/"
cp "$ui/app/style/app.css" "$out/style/"
cp "$top"/i18n/*.json "$out/i18n/"
cp "$top/metadata/app.json" "$out/metadata/"
cp "$top"/metadata/icon/* "$out/metadata/icon/"
if [ -d "$top/metadata/screenshots" ]; then
	cp -R "$top/metadata/screenshots" "$out/metadata/"
fi

echo "built $out"
