#!/bin/sh
# Updates the browser libraries and map data that `casus serve` embeds
# (crates/casus-server/web/vendor/) from the npm registry, at the versions pinned in
# tools/web/package-lock.json. A maintainer runs this by hand and commits the result;
# `cargo build` never runs node. To move a version: edit package.json, run
# `npm install --package-lock-only --ignore-scripts` here, then this script.
#
# It also writes web/data/iso-numeric.json: world-atlas's ISO 3166-1 numeric ids mapped to
# casus's actor ids (alpha-3), from library/gazetteer/countries.tsv.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out="$root/crates/casus-server/web/vendor"
cd "$here"
npm ci --ignore-scripts --no-audit --no-fund
mkdir -p "$out"
m=node_modules
cp "$m/d3/dist/d3.min.js" "$out/d3.min.js"
cp "$m/d3/LICENSE" "$out/LICENSE.d3"
cp "$m/topojson-client/dist/topojson-client.min.js" "$out/topojson-client.min.js"
cp "$m/topojson-client/LICENSE" "$out/LICENSE.topojson-client"
cp "$m/@observablehq/plot/dist/plot.umd.min.js" "$out/plot.umd.min.js"
cp "$m/@observablehq/plot/LICENSE" "$out/LICENSE.plot"
cp "$m/world-atlas/countries-110m.json" "$out/countries-110m.json"
cp "$m/world-atlas/LICENSE" "$out/LICENSE.world-atlas"
node -e '
const lock = require("./package-lock.json").packages;
const v = (n) => lock["node_modules/" + n].version + " " + lock["node_modules/" + n].integrity;
const lines = ["# Vendored browser files (written by tools/web/update-vendor.sh; do not edit)", ""];
for (const n of ["d3", "topojson-client", "@observablehq/plot", "world-atlas"]) lines.push("- " + n + " " + v(n));
lines.push("", "countries-110m.json is Natural Earth 1:110m (public domain) as TopoJSON by world-atlas (ISC).");
require("fs").writeFileSync(process.argv[1] + "/VERSIONS.md", lines.join("\n") + "\n");
' "$out"
node "$here/iso-numeric.js" "$root/library/gazetteer/countries.tsv" "$out/countries-110m.json" \
  > "$root/crates/casus-server/web/data/iso-numeric.json"
echo "updated $out"
