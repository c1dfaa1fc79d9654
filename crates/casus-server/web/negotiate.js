// Negotiation: the zone of agreement per issue, the Pareto frontier between the two parties,
// and the models' forecasts, from POST /api/negotiate (what `casus negotiate … --format json`
// prints). State in the URL: ?which=ukraine&rounds=10&steps=6
"use strict";

const { $, num, table } = casus;
const state = { which: "ukraine", rounds: 10, steps: 6 };
let seq = 0;

function readURL() {
  const q = new URLSearchParams(location.search);
  if (q.get("which")) state.which = q.get("which");
  for (const k of ["rounds", "steps"]) if (q.get(k)) state[k] = Number(q.get(k));
}

function writeURL(push) {
  const q = new URLSearchParams({ which: state.which, rounds: state.rounds, steps: state.steps });
  const url = "?" + q.toString() + location.hash;
  if (url !== location.search + location.hash) history[push ? "pushState" : "replaceState"](null, "", url);
}

function syncControls() { for (const k of ["which", "rounds", "steps"]) $("#" + k).value = state[k]; }

async function run() {
  const me = ++seq;
  $("#status").textContent = "Computing…";
  document.body.dataset.state = "running";
  try {
    const a = await casus.api("negotiate", { which: state.which, rounds: state.rounds, steps: state.steps });
    if (me !== seq) return;
    render(a);
    $("#status").textContent = "Done.";
    document.body.dataset.state = "done";
  } catch (e) {
    if (me !== seq) return;
    $("#status").textContent = "Could not compute: " + e.message;
    document.body.dataset.state = "error";
  }
}

function render(a) {
  if (!a.scenario) { $("#heading").textContent = "This file gives no scenario view (a DEU III file): see the JSON."; return; }
  $("#heading").textContent = a.scenario.title + " (" + a.scenario.date + ")";
  $("#verdict").textContent = a.verdict.text;
  const zrows = a.zones.map((z) => [z.issue, z.zone ? num(z.zone[0], 1) + "–" + num(z.zone[1], 1) : "none",
    z.blocked_by ? `${z.blocked_by.low_side} / ${z.blocked_by.high_side} (gap ${num(z.blocked_by.gap, 1)})` : "—"]);
  $("#zones-box").replaceChildren(table("zones", "Zone of agreement by issue (within every party's red line)", ["Issue", "Zone", "Blocked by"], zrows, zrows, a.zones));
  const pk = a.packages, parties = a.scenario.parties;
  if (pk && parties.length >= 2) {
    const [u, v] = parties;
    const pts = (list, kind) => (list || []).map((p) => ({ kind, x: p.utilities[u], y: p.utilities[v] }));
    const data = [...pts(pk.frontier_without_red_lines, "frontier without red lines"), ...pts(pk.frontier, "frontier within red lines")];
    const marks = [Plot.line(data.filter((d) => d.kind === "frontier without red lines").sort((p, q) => p.x - q.x), { x: "x", y: "y", stroke: "#3182bd" }),
      Plot.dot(data, { x: "x", y: "y", fill: "kind", r: 3 }),
      Plot.dot([{ x: pk.disagreement[u], y: pk.disagreement[v] }], { x: "x", y: "y", symbol: "cross", stroke: "#cc79a7", r: 6 })];
    const nash = pk.nash || pk.nash_without_red_lines;
    if (nash) marks.push(Plot.dot([{ x: nash.utilities[u], y: nash.utilities[v] }], { x: "x", y: "y", symbol: "triangle", fill: "#000", r: 6 }));
    $("#frontier-chart").replaceChildren(Plot.plot({ height: 360, width: 480, x: { label: `u(${u})`, domain: [0, 1] }, y: { label: `u(${v})`, domain: [0, 1] },
      color: { legend: true }, marks }));
    $("#frontier-alt").textContent = `Chart: the Pareto frontier of packages, u(${u}) against u(${v}): ${pk.frontier.length} packages within the red lines, ` +
      `${(pk.frontier_without_red_lines || []).length} without them; no agreement at (${num(pk.disagreement[u])}, ${num(pk.disagreement[v])})` +
      (nash ? `; the Nash package at (${num(nash.utilities[u])}, ${num(nash.utilities[v])})` : "") + ".";
    const issues = a.zones.map((z) => z.issue);
    const list = [...pk.frontier.map((p) => ["within red lines", p]), ...(pk.frontier_without_red_lines || []).map((p) => ["without red lines", p])];
    const frows = list.map(([k, p]) => [k, ...issues.map((i) => num(p.values[i], 1)), num(p.utilities[u]), num(p.utilities[v])]);
    $("#frontier-box").replaceChildren(table("frontier", "Packages on the frontier", ["Frontier", ...issues, `u(${u})`, `u(${v})`], frows, frows, pk));
  }
  const fr = a.forecasts.map((f) => [f.issue, num(f.compromise, 1), num(f.weighted_median, 1), f.nash ? num(f.nash.x, 1) + (f.nash.agreement ? "" : " (no agreement)") : "—",
    f.eum ? `${num(f.eum.median, 1)} (${f.eum.outcome.kind})` : "—"]);
  $("#forecasts-box").replaceChildren(table("forecasts", "Where talks would drift, by model", ["Issue", "Compromise", "Weighted median", "Nash", "Expected utility (median)"], fr, fr, a.forecasts));
}

function start() {
  readURL(); syncControls();
  $("#controls").addEventListener("submit", (e) => {
    e.preventDefault();
    Object.assign(state, { which: $("#which").value.trim() || "ukraine", rounds: Number($("#rounds").value), steps: Number($("#steps").value) });
    writeURL(true); run();
  });
  window.addEventListener("popstate", () => { readURL(); syncControls(); run(); });
  writeURL(false);
  run();
}

start();
