// casus web app: a map of who must act for an attack, built only on this server's /api.
// Everything the page shows is in its URL (?attacker=RUS&target=EST&place=…&date=…&show=…).
"use strict";

const STRENGTHS = ["consult", "seek_un_action", "assist", "action_deemed_necessary", "military_assistance"];
const STRENGTH_TEXT = {
  consult: "consult", seek_un_action: "seek UN action", assist: "assist",
  action_deemed_necessary: "action it deems necessary", military_assistance: "all military aid in its power",
};
const token = new URLSearchParams(location.hash.slice(1)).get("token");
const $ = (sel) => document.querySelector(sel);
const css = (name) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();

const state = { attacker: "RUS", target: "EST", place: "", date: new Date().toISOString().slice(0, 10),
  kind: "armed_attack", severity: "unspecified", show: "" };
const KEYS = ["attacker", "target", "place", "date", "kind", "severity", "show"];
let actors = new Map();     // id -> actor row
let result = null;          // the last /api/obligations answer
let features = [];          // map features with .casus (actor id or null) and .place (a place code or null)
let places = [];            // data/places.json: overseas parts, occupied areas, subdivisions, small states
let placeCodes = [];        // every place code the map draws (places.json's and 1:110m's territories)
let sovereigns = new Map(); // place code -> its sovereign on sovereignsOn (GET /api/places?ids=…)
let sovereignsOn = "";
let seq = 0;                // answers to superseded requests are dropped

async function api(path, body) {
  const headers = { "Accept": "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (token) headers["Authorization"] = "Bearer " + token;
  const r = await fetch("api/" + path, { method: body === undefined ? "GET" : "POST", headers,
    body: body === undefined ? undefined : JSON.stringify(body) });
  const data = await r.json();
  if (!r.ok) {
    const hints = (data.hints || []).join(" ");
    throw new Error((data.field ? data.field + ": " : "") + data.detail + (hints ? " (" + hints + ")" : ""));
  }
  return data;
}

function readURL() {
  const q = new URLSearchParams(location.search);
  for (const k of KEYS) if (q.get(k) !== null) state[k] = q.get(k);
  state.place = q.get("place") || "";
}

function writeURL(push) {
  const q = new URLSearchParams();
  for (const k of KEYS) if (state[k]) q.set(k, state[k]);
  const url = "?" + q.toString() + location.hash;
  if (url !== location.search + location.hash) history[push ? "pushState" : "replaceState"](null, "", url);
}

function nuclearOn(id, date) {
  const a = actors.get(id);
  return !!(a && a.nuclear_since && String(a.nuclear_since) <= date);
}

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") e.className = v; else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
}

// ---- controls -------------------------------------------------------------------------------

function fillControls() {
  for (const id of ["attacker", "target"]) {
    const s = $("#" + id);
    s.replaceChildren(...[...actors.values()].map((a) =>
      el("option", { value: a.id }, a.id + " — " + a.name + (a.historic ? " (historic)" : ""))));
  }
  $("#year").max = new Date().getFullYear();
  syncControls();
  $("#attacker").addEventListener("change", (e) => set({ attacker: e.target.value, show: "" }));
  $("#target").addEventListener("change", (e) => set({ target: e.target.value, place: "", show: "" }));
  $("#place").addEventListener("change", (e) => (e.target.value ? choosePlace(e.target.value) : set({ place: "" })));
  $("#kind").addEventListener("change", (e) => set({ kind: e.target.value }));
  $("#severity").addEventListener("change", (e) => set({ severity: e.target.value }));
  $("#date").addEventListener("change", (e) => e.target.value && set({ date: e.target.value }));
  $("#year").addEventListener("input", (e) => {
    const y = String(e.target.value).padStart(4, "0");
    set({ date: y + state.date.slice(4) }, false);
  });
}

function syncControls() {
  $("#attacker").value = state.attacker; $("#target").value = state.target;
  if ($("#place").options.length) $("#place").value = state.place;
  $("#kind").value = state.kind; $("#severity").value = state.severity;
  $("#date").value = state.date; $("#year").value = state.date.slice(0, 4);
  $("#date-shown").textContent = state.date;
}

function set(changes, push = true) {
  Object.assign(state, changes);
  syncControls();
  writeURL(push);
  run();
}

// ---- map ------------------------------------------------------------------------------------

async function drawMap() {
  const [topo, iso, ptopo] = await Promise.all([
    fetch("vendor/countries-110m.json").then((r) => r.json()),
    fetch("data/iso-numeric.json").then((r) => r.json()),
    fetch("data/places.json").then((r) => r.json()),
  ]);
  const fc = topojson.feature(topo, topo.objects.countries);
  features = fc.features;
  // Territories 1:110m draws as shapes of their own (Greenland…) are places, not actors.
  const at110 = ptopo.casus.countries110;
  for (const f of features) {
    const id = (f.id !== undefined ? iso.numeric[f.id] : iso.by_name[f.properties.name]) || null;
    f.casus = id && actors.has(id) ? id : null;
    f.place = !f.casus && id && at110[id] ? at110[id] : null;
  }
  places = topojson.feature(ptopo, ptopo.objects.places).features;
  for (const f of places) f.casus = f.properties.kind === "state" && actors.has(f.properties.actor) ? f.properties.actor : null;
  placeCodes = [...places.filter((f) => f.properties.kind !== "state").map((f) => f.id),
    ...features.filter((f) => f.place).map((f) => f.place)];
  $("#place").replaceChildren(el("option", { value: "" }, "the target's own territory"),
    ...[...places.filter((f) => f.properties.kind !== "state").map((f) => [f.id, f.properties.name]),
      ...features.filter((f) => f.place).map((f) => [f.place, f.properties.name]),
      ...ptopo.casus.without_shape.map((w) => [w.code, w.name + " (no shape on the map)"])]
      .sort((a, b) => a[0].localeCompare(b[0])).map(([id, name]) => el("option", { value: id }, id + " — " + name)));
  $("#place").value = state.place;
  const projection = d3.geoNaturalEarth1().fitSize([960, 500], { type: "Sphere" });
  const path = d3.geoPath(projection);
  const svg = d3.select("#map");
  svg.append("path").attr("d", path({ type: "Sphere" })).attr("fill", "#eef4f8").attr("aria-hidden", "true");
  svg.append("defs").append("pattern").attr("id", "hatch").attr("patternUnits", "userSpaceOnUse")
    .attr("width", 3).attr("height", 3).attr("patternTransform", "rotate(45)")
    .append("line").attr("id", "hatch-lines").attr("x1", 0).attr("y1", 0).attr("x2", 0).attr("y2", 3);
  svg.append("g").attr("id", "countries").selectAll("path").data(features).join("path")
    .attr("class", (f) => "country" + (f.casus || f.place ? "" : " absent"))
    .attr("d", path)
    .attr("data-id", (f) => f.casus || "")
    .attr("data-place", (f) => f.place)
    .attr("data-name", (f) => f.properties.name)
    .attr("tabindex", (f) => (f.casus || f.place ? 0 : -1))
    .attr("role", (f) => (f.casus || f.place ? "button" : "img"))
    .attr("aria-label", (f) => f.properties.name + (f.casus || f.place ? "" : " (not in casus)"))
    .on("click", (ev, f) => pick(f, ev.shiftKey))
    .on("keydown", (ev, f) => { if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); pick(f, ev.shiftKey); } })
    .append("title").text((f) => f.properties.name);
  // Places over the countries: overseas parts, occupied areas, subdivisions and small states.
  // A place too small to see at this scale carries a dot (in the same path, so one focus stop).
  const dot = d3.geoPath(projection).pointRadius(2.5);
  const small = (f) => path.area(f) < 6;
  svg.append("g").attr("id", "places").selectAll("path").data(places).join("path")
    .attr("class", (f) => (f.casus ? "country state-small" : "place"))
    .attr("d", (f) => (path(f) || "") + (small(f) ? dot({ type: "Point", coordinates: f.properties.point }) : ""))
    .attr("data-id", (f) => f.casus || null)
    .attr("data-place", (f) => (f.casus ? null : f.id))
    .attr("data-name", (f) => f.properties.name)
    .attr("data-small", (f) => (small(f) ? "" : null))
    .attr("tabindex", 0)
    .attr("role", "button")
    .attr("aria-label", (f) => f.properties.name + (f.casus ? "" : " (" + f.id + ")"))
    .on("click", (ev, f) => pick(f, ev.shiftKey))
    .on("keydown", (ev, f) => { if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); pick(f, ev.shiftKey); } })
    .append("title").text((f) => f.properties.name);
  // Hatching over places occupied on the date (drawn by colourMap; it takes no clicks).
  svg.append("g").attr("id", "occupied").attr("aria-hidden", "true").selectAll("path")
    .data(places.filter((f) => f.properties.status.some((st) => st.kind === "occupied"))).join("path")
    .attr("d", (f) => (path(f) || "") + (small(f) ? dot({ type: "Point", coordinates: f.properties.point }) : ""))
    .attr("data-place", (f) => f.id);
  svg.append("g").attr("id", "markers");
  // The shape under the pointer or with the keyboard focus is named below the map (its title:
  // the name, the place code, who holds it and what it owes).
  const label = (ev) => {
    const t = ev.target.closest && ev.target.closest("path") && ev.target.closest("path").querySelector("title");
    if (t) $("#map-label").textContent = t.textContent;
  };
  svg.on("mouseover", label).on("focusin", label);
  // Markers sit on a country's largest part (France's on France, not between it and Guiana).
  for (const f of [...features, ...places.filter((p) => p.casus)]) {
    const g = f.geometry;
    const part = g && g.type === "MultiPolygon"
      ? { type: "Polygon", coordinates: g.coordinates.reduce((a, b) => (d3.geoArea({ type: "Polygon", coordinates: b }) > d3.geoArea({ type: "Polygon", coordinates: a }) ? b : a)) }
      : g;
    f.centroid = part ? path.centroid(part) : [NaN, NaN];
  }
}

// A click on an obligor explains it; on any other country (or with Shift) it sets the target
// or the attacker, as the radio buttons say.
function pick(f, force) {
  const code = f.place || (f.properties.kind && !f.casus ? f.id : null);
  if (code) { pickPlace(code); return; }
  if (!f.casus) return;
  if (!force && result && result.obligations.some((o) => o.obligor === f.casus)) {
    set({ show: "obligor:" + f.casus });
    return;
  }
  const mode = document.querySelector("input[name=clicks]:checked").value;
  if (mode === "attacker" && f.casus !== state.target) set({ attacker: f.casus, show: "" });
  else if (mode === "target" && f.casus !== state.attacker) set({ target: f.casus, place: "", show: "" });
}

// A click on a place makes it the place attacked, and its sovereign on the date the target
// (or, in attacker mode, its sovereign the attacker).
function pickPlace(code) {
  const mode = document.querySelector("input[name=clicks]:checked").value;
  if (mode === "attacker") {
    const sov = sovereigns.get(code);
    if (sov && actors.has(sov) && sov !== state.target) set({ attacker: sov, show: "" });
    return;
  }
  choosePlace(code);
}

async function choosePlace(code) {
  let sov = sovereignsOn === state.date ? sovereigns.get(code) : undefined;
  if (sov === undefined) {
    try { sov = (await api("places/" + encodeURIComponent(code) + "?date=" + state.date)).sovereign; }
    catch (e) { $("#status").textContent = "No such place: " + e.message; return; }
  }
  const name = (places.find((f) => f.id === code) || features.find((f) => f.place === code) || { properties: { name: code } }).properties.name;
  if (!sov || !actors.has(sov)) { $("#status").textContent = `No state holds ${name} (${code}) on ${state.date}.`; syncControls(); return; }
  if (sov === state.attacker) { $("#status").textContent = `${name} (${code}) is the attacker's own on ${state.date}.`; syncControls(); return; }
  set({ place: code, target: sov, show: "" });
}

// Each place's sovereign on the date, once per date.
async function loadSovereigns(date) {
  if (sovereignsOn === date || !placeCodes.length) return;
  try {
    const rows = await api("places?ids=" + placeCodes.map(encodeURIComponent).join(",") + "&date=" + date);
    sovereigns = new Map(rows.map((r) => [r.id, r.sovereign]));
    sovereignsOn = date;
  } catch (e) { sovereigns = new Map(); }
}

function occupiedOn(f, date) {
  return f.properties.status.filter((st) => st.kind === "occupied" && (!st.from || st.from <= date) && (!st.until || date <= st.until));
}

function strongest(list) {
  return list.reduce((best, o) => (STRENGTHS.indexOf(o.strength) > STRENGTHS.indexOf(best) ? o.strength : best), list[0].strength);
}

function colourMap() {
  const by = d3.group(result ? result.obligations : [], (o) => o.obligor);
  const unknown = new Set((result ? result.unknown : []).map((u) => u.obligor).filter((x) => x && !by.has(x)));
  // An actor's role and colour class: target, attacker, an obligor's strongest duty, unknown.
  const roleOf = (id) => {
    if (!id) return [null, null];
    if (id === state.target) return ["target", "target"];
    if (id === state.attacker) return ["attacker", "attacker"];
    if (by.has(id)) { const s = strongest(by.get(id)); return ["obligor", "s-" + s, s]; }
    if (unknown.has(id)) return ["unknown", "unknown"];
    return [null, null];
  };
  const describe = (role, s) => (role === "obligor" ? ": owes " + STRENGTH_TEXT[s] : role ? ": " + role : "");
  d3.selectAll("#map path.country").each(function (f) {
    const p = d3.select(this);
    p.attr("class", "country" + (f.casus || f.place ? "" : " absent") + (f.properties.kind === "state" ? " state-small" : ""));
    p.attr("data-strength", null).attr("data-role", null).attr("data-sovereign", null).attr("data-chosen", null);
    if (f.place) { paintPlace(p, f.place, f.properties.name); return; }
    if (!f.casus) return;
    const [role, cls, s] = roleOf(f.casus);
    if (cls) p.classed(cls, true).attr("data-role", role);
    if (s) p.attr("data-strength", s);
    p.select("title").text(f.properties.name + describe(role, s));
  });
  // Places take their sovereign's colour; the place attacked is outlined; occupied ones hatched.
  function paintPlace(p, code, name) {
    const sov = sovereigns.get(code);
    const [role, cls, s] = roleOf(sov);
    p.classed("place", true).classed(cls || "none", true).attr("data-sovereign", sov || null)
      .attr("data-sovereign-role", role).attr("data-chosen", code === state.place ? "" : null);
    const f = places.find((x) => x.id === code);
    const occ = f ? occupiedOn(f, state.date) : [];
    p.select("title").text(`${name} (${code})` + (sov ? `, held by ${sov}` + describe(role, s) : "") +
      (occ.length ? `; occupied by ${occ.map((o) => o.by).join(", ")} since ${occ.map((o) => o.from).join(", ")}` : "") +
      (code === state.place ? "; the place attacked" : ""));
  }
  d3.selectAll("#places path.place").each(function (f) {
    const p = d3.select(this);
    p.attr("class", "place");
    paintPlace(p, f.id, f.properties.name);
  });
  d3.selectAll("#occupied path").attr("class", (f) => (occupiedOn(f, state.date).length ? "hatch" : "hatch off"))
    .attr("data-on", (f) => (occupiedOn(f, state.date).length ? "" : null));
  // Nuclear-armed obligors, attacker and target: a ringed N at the shape's centre (largest part).
  const marked = new Set([...by.keys(), state.attacker, state.target].filter((id) => nuclearOn(id, state.date)));
  const shown = [...features, ...places].filter((f) => f.casus && marked.has(f.casus) && f.centroid && !isNaN(f.centroid[0]));
  const g = d3.select("#markers").selectAll("g").data(shown, (f) => f.casus).join((enter) => {
    const e = enter.append("g").attr("class", "nuclear-marker").attr("aria-hidden", "true");
    e.append("circle").attr("class", "nuke").attr("r", 6);
    e.append("text").attr("class", "nuke-label").text("N");
    return e;
  });
  g.attr("transform", (f) => `translate(${f.centroid[0]},${f.centroid[1]})`).attr("data-id", (f) => f.casus);
}

function legend() {
  const items = STRENGTHS.slice().reverse().map((s) => [STRENGTH_TEXT[s], css("--" + s)]);
  items.push(["unknown (the data cannot decide)", css("--unknown")], ["target", css("--target")],
    ["attacker", css("--attacker")], ["not in casus", css("--none")]);
  $("#legend").replaceChildren(...items.map(([t, c]) => { const li = el("li", {}, t); li.style.setProperty("--swatch", c); return li; }),
    el("li", { class: "nuclear" }, "N: nuclear-armed on the date"),
    el("li", { class: "occupied-key" }, "hatched: occupied, wholly or partly, on the date"),
    el("li", { class: "place-key" }, "outlined: a part with its own rules (overseas, occupied, a subdivision); thick: the place attacked"));
}

// ---- the question ---------------------------------------------------------------------------

async function run() {
  const mine = ++seq;
  $("#status").textContent = "Asking who must act…";
  const body = { attacker: state.attacker, target: state.target, date: state.date, kind: state.kind, severity: state.severity };
  if (state.place) body.place = state.place;
  try {
    const [r] = await Promise.all([api("obligations", body), loadSovereigns(state.date)]);
    if (mine !== seq) return;
    result = r;
    $("#status").textContent = `${new Set(r.obligations.map((o) => o.obligor)).size} states owe something; ` +
      `${r.unknown.length} answers unknown; ${r.breached.length} promises broken.`;
  } catch (e) {
    if (mine !== seq) return;
    result = null;
    $("#status").textContent = "No answer: " + e.message;
  }
  document.body.dataset.ready = String(mine);
  render();
}

function render() {
  colourMap();
  const r = result;
  $("#heading").textContent = r ? `${r.event.attacker} attacks ${r.event.target} at ${r.event.place} (${r.event.place_name}) on ${r.event.date}: ${r.event.kind.replace(/_/g, " ")}` : "";
  const rows = r ? r.obligations : [];
  $("#obligations tbody").replaceChildren(...rows.map((o) => el("tr", { "data-obligor": o.obligor },
    el("td", {}, el("button", { type: "button", class: "link", onclick: () => set({ show: "obligor:" + o.obligor }) }, o.obligor)),
    el("td", {}, swatch(o.strength), STRENGTH_TEXT[o.strength]),
    el("td", {}, el("button", { type: "button", class: "link", onclick: () => set({ show: "commitment:" + o.commitment }) }, o.commitment)),
    el("td", {}, o.article),
    el("td", {}, nuclearOn(o.obligor, state.date) ? "yes" : "no"))));
  $("#unknown tbody").replaceChildren(...(r ? r.unknown : []).map((u) => el("tr", {},
    el("td", {}, u.obligor || "(every obligor)"),
    el("td", {}, el("button", { type: "button", class: "link", onclick: () => set({ show: "commitment:" + u.commitment }) }, u.commitment)),
    el("td", {}, u.article), el("td", {}, u.reason))));
  $("#breached tbody").replaceChildren(...(r ? r.breached : []).map((b) => el("tr", {},
    el("td", {}, b.obligor), el("td", {}, b.commitment), el("td", {}, b.article), el("td", {}, b.beneficiary))));
  chart();
  detail();
}

function swatch(s) { const e = el("span", { class: "swatch", "aria-hidden": "true" }); e.style.background = css("--" + s); return e; }

function chart() {
  const by = d3.rollup(result ? result.obligations : [], (v) => new Set(v.map((o) => o.obligor)).size, (o) => o.strength);
  const data = STRENGTHS.filter((s) => by.has(s)).map((s) => ({ strength: STRENGTH_TEXT[s], states: by.get(s), key: s }));
  $("#chart-alt").textContent = "States by what they owe: " + (data.length ? data.map((d) => `${d.strength}: ${d.states}`).join("; ") : "none") + ".";
  if (!window.Plot || !data.length) { $("#chart").replaceChildren(); return; }
  const p = Plot.plot({ height: 30 + 22 * data.length, marginLeft: 190, x: { label: "states" },
    y: { label: null, domain: data.map((d) => d.strength) },
    marks: [Plot.barX(data, { y: "strength", x: "states", fill: (d) => css("--" + d.key) }), Plot.ruleX([0])] });
  $("#chart").replaceChildren(p);
}

// ---- details: an obligor's explanation, a commitment's text beside its encoding -------------

function detail() {
  const [kind, id] = state.show ? [state.show.split(":")[0], state.show.slice(state.show.indexOf(":") + 1)] : [null, null];
  const box = $("#detail");
  if (kind === "obligor") showObligor(id);
  else if (kind === "commitment") showCommitment(id);
  else { box.hidden = true; return; }
  box.hidden = false;
}

function citation(c) {
  if (!c) return null;
  return el("div", { class: "citation" },
    c.quote ? el("blockquote", {}, "“" + c.quote + "”") : null,
    el("span", {}, c.document + ", " + c.article + " "),
    c.source ? el("a", { href: c.source, rel: "noopener noreferrer", target: "_blank", class: "source" }, "source") : null,
    c.verified ? el("span", {}, " (" + c.verified + ")") : null);
}

function tree(node) {
  return el("li", { "data-check": node.check },
    el("span", { class: "outcome " + node.outcome }, node.outcome), " ",
    el("strong", {}, node.check.replace(/_/g, " ")), ": ", node.detail,
    citation(node.citation),
    node.children && node.children.length ? el("ul", { class: "tree" }, ...node.children.map(tree)) : null);
}

function showObligor(id) {
  const list = result ? result.obligations.filter((o) => o.obligor === id) : [];
  const body = $("#detail-body");
  const a = actors.get(id);
  body.replaceChildren(el("h2", { id: "detail-title" }, `Why ${id}${a ? " (" + a.name + ")" : ""} must act`),
    ...(list.length ? [] : [el("p", {}, "On this date it owes nothing for this attack.")]),
    ...list.map((o) => el("section", { class: "obligation" },
      el("h3", {}, `${STRENGTH_TEXT[o.strength]} — `,
        el("button", { type: "button", class: "link", onclick: () => set({ show: "commitment:" + o.commitment }) }, o.commitment),
        `, ${o.article}`),
      el("p", {}, `${o.legal_form}; decided: ${o.decision.rule.replace(/_/g, " ")}. ${o.decision.text || ""}`),
      el("ul", { class: "tree" }, tree(o.explanation)))));
}

async function showCommitment(id) {
  const body = $("#detail-body");
  body.replaceChildren(el("p", {}, "Loading " + id + "…"));
  try {
    const c = await api("commitments/" + encodeURIComponent(id));
    body.replaceChildren(el("h2", { id: "detail-title" }, c.title),
      el("p", {}, `${c.kind}, ${c.binding}; signed ${c.signed || "?"}, in force ${c.in_force || "?"}` +
        (c.terminated ? `, ended ${c.terminated}` : "") + `; parties: ${c.parties.join(", ")}. `,
        el("a", { href: c.source, rel: "noopener noreferrer", target: "_blank" }, "source")),
      ...(c.uncertain.length ? [el("h3", {}, "Uncertain"), el("ul", {}, ...c.uncertain.map((u) => el("li", {}, u.fact)))] : []),
      el("h3", {}, "Text beside its encoding"),
      ...c.clauses.map((cl) => {
        const enc = { duty: cl.duty, strength: cl.strength, obligors: cl.obligors, beneficiaries: cl.beneficiaries,
          decision: cl.decision, trigger: cl.trigger, scope: cl.scope, caveats: cl.caveats,
          domestic_approval: cl.domestic_approval, note: cl.note };
        return el("div", { class: "clause", "data-clause": cl.id },
          el("div", {}, el("strong", {}, cl.citation.article), citation(cl.citation)),
          el("pre", { "aria-label": "encoding of " + cl.citation.article }, JSON.stringify(enc, null, 1)));
      }));
  } catch (e) {
    body.replaceChildren(el("p", {}, "No such commitment: " + e.message));
  }
}

// ---- downloads ------------------------------------------------------------------------------

function download(which, as) {
  const rows = result ? result[which] : [];
  let text, type;
  if (as === "json") { text = JSON.stringify(rows, null, 2); type = "application/json"; }
  else {
    const cols = which === "obligations" ? ["obligor", "beneficiary", "strength", "commitment", "clause", "article", "legal_form"]
      : ["obligor", "commitment", "clause", "article", "reason"];
    const q = (v) => { const s = v === null || v === undefined ? "" : String(v); return /[",\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s; };
    text = [cols.join(","), ...rows.map((r) => cols.map((c) => q(r[c])).join(","))].join("\n") + "\n";
    type = "text/csv";
  }
  const a = el("a", { href: URL.createObjectURL(new Blob([text], { type })),
    download: `casus-${which}-${state.attacker}-${state.target}-${state.date}.${as}` });
  document.body.append(a); a.click(); a.remove();
}

// ---- start ----------------------------------------------------------------------------------

async function start() {
  readURL();
  try {
    const list = await api("actors");
    actors = new Map(list.map((a) => [a.id, a]));
  } catch (e) { $("#status").textContent = "Cannot load the actors: " + e.message; return; }
  fillControls();
  legend();
  await drawMap();
  document.querySelectorAll("[data-download]").forEach((b) => b.addEventListener("click", () => download(b.dataset.download, b.dataset.as)));
  $("#close-detail").addEventListener("click", () => set({ show: "" }));
  document.addEventListener("keydown", (e) => { if (e.key === "Escape" && state.show) set({ show: "" }); });
  window.addEventListener("popstate", () => { readURL(); syncControls(); run(); });
  writeURL(false);
  await run();
}

start();
