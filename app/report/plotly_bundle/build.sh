#!/bin/sh
# Rebuild plotly-cbec.min.js (the plotly.js the HTML reports inline) from the npm registry, in a scratch directory.
# Run it when plotly (the Python package) moves to another plotly.js: set "plotly.js" in package.json to
# plotly.offline.get_plotlyjs_version(), run `npm install --package-lock-only` here, then this script.
# Needs node and npm; tests/app/test_report_export.py checks the version and the trace types. The scratch directory
# has a fixed path: the CSS plugin names its style element by the CSS file's path, so the same inputs give the same bundle.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=/tmp/cbec-plotly-bundle
rm -rf "$work" && mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
cp "$here/package.json" "$here/package-lock.json" "$here/entry.js" "$here/build.js" "$work/"
cd "$work"
npm ci --ignore-scripts --no-audit --no-fund
node build.js
cp plotly-cbec.min.js "$here/plotly-cbec.min.js"
