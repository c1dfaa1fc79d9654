// Assess: the designs of an assessment side by side (the figures of POST /api/assess, the same
// as `casus assess … --format json`), the option × attack matrix, why designs differ, the
// response over time, and sliders for the priors that matter most. State in the URL:
// ?which=ukraine&trials=…&draws=…&draw_trials=…&seed=…&metric=…&p.ID=value …
"use strict";

const { $, el, figure, num, table } = casus;
const METRICS = {
  p_any_military_response: "P(any military response)",
  p_military_within_7_days: "P(military response within 7 days)",
  p_military_within_30_days: "P(military response within 30 days)",
  p_any_support: "P(any support: aid or more)",
  p_any_response: "P(any response)",
  p_nuclear_guarantor_response: "P(a nuclear-armed guarantor responds)",
};
const SLIDERS = 5;
const state = { which: "ukraine", trials: 2048, draws: 20, draw_trials: 256, seed: 1, metric: "p_any_military_response", priors: {} };
let running = null, answer = null, ranking = null;

function readURL() {
  const q = new URLSearchParams(location.search);
  for (const k of ["which", "metric"]) if (q.get(k)) state[k] = q.get(k);
  for (const k of ["trials", "draws", "draw_trials", "seed"]) if (q.get(k) !== null && q.get(k) !== "") state[k] = Number(q.get(k));
  state.priors = {};
  for (const [k, v] of q) if (k.startsWith("p.")) state.priors[k.slice(2)] = Number(v);
}

function writeURL(push) {
  const q = new URLSearchParams();
  for (const k of ["which", "trials", "draws", "draw_trials", "seed", "metric"]) q.set(k, state[k]);
  for (const [k, v] of Object.entries(state.priors)) q.set("p." + k, v);
  const url = "?" + q.toString() + location.hash;
  if (url !== location.search + location.hash) history[push ? "pushState" : "replaceState"](null, "", url);
}

// The body the page posts (the browser test posts the same one and compares).
function request() {
  return { which: state.which, trials: state.trials, draws: state.draws, draw_trials: state.draw_trials,
    seed: state.seed, sensitivity: true, priors: state.priors };
}

function syncControls() {
  for (const k of ["which", "trials", "draws", "draw_trials", "seed"]) $("#" + k).value = state[k];
  $("#metric").value = state.metric;
}

async function run() {
  if (running) running.cancel();
  const bar = $("#progress");
  bar.hidden = false; bar.removeAttribute("value");
  $("#status").textContent = "Computing…";
  document.body.dataset.state = "running";
  const me = casus.job("assess", request(), (s) => {
    $("#status").textContent = casus.progressText(s);
    if (s.progress && s.progress.planned) { bar.max = s.progress.planned; bar.value = s.progress.done; }
  });
  running = me;
  try {
    const a = await me.done;
    if (running !== me) return;
    answer = a;
    render();
    $("#status").textContent = "Done: " + a.header.trials_per_option + " trials per design, seed " + a.header.seed + ".";
    document.body.dataset.state = "done";
  } catch (e) {
    if (running !== me) return;
    $("#status").textContent = "Could not assess: " + e.message;
    document.body.dataset.state = "error";
  } finally {
    if (running === me) { bar.hidden = true; running = null; }
  }
}

function set(changes, push = true) {
  Object.assign(state, changes);
  syncControls();
  writeURL(push);
  run();
}

// ---- rendering ------------------------------------------------------------------------------

function render() {
  const a = answer;
  $("#heading").textContent = a.assessment.title;
  $("#question").textContent = a.assessment.question || "";
  const metrics = [["p_any_military_response", "P(any military response)"], ["p_military_within_30_days", "P(military within 30 days)"],
    ["p_any_support", "P(any support)"], ["capability_ratio_median", "Capability vs attacker (median)"]];
  const cols = ["Design", ...metrics.map((m) => m[1]), "Guarantors bound", "Bound to use force", "Lead"];
  const rows = a.options.map((o) => [o.label, ...metrics.map((m) => figure(o[m[0]])), String(o.guarantors_bound),
    String(o.guarantors_bound_to_use_force), o.lead || "—"]);
  const designs = table("designs", "The designs (estimate [5%–95% band over the priors])", cols, rows, rows, a.options.map((o) => {
    const r = { id: o.id, label: o.label };
    for (const [k] of metrics) r[k] = o[k];
    return Object.assign(r, { guarantors_bound: o.guarantors_bound, guarantors_bound_to_use_force: o.guarantors_bound_to_use_force, lead: o.lead });
  }));
  designs.querySelectorAll("tbody tr").forEach((tr, i) => tr.setAttribute("data-option", a.options[i].id));
  $("#designs-box").replaceChildren(designs);
  bands();
  curves();
  matrix();
  differences();
  sliders();
  const h = a.header;
  $("#header").textContent = `casus ${h.version} · library ${h.library} · ${h.assessment_file} · event on ${h.date} · seed ${h.seed} · ${h.trials_per_option} trials per design · ${h.draws} draws × ${h.trials_per_draw} trials for the bands · ${h.capabilities}`;
}

function bands() {
  const a = answer;
  const data = a.options.map((o) => ({ design: o.id, p: o.p_any_military_response.estimate,
    lo: (o.p_any_military_response.band || [null])[0], hi: (o.p_any_military_response.band || [null, null])[1] }));
  const chart = Plot.plot({
    height: 40 + 36 * data.length, marginLeft: 150, x: { domain: [0, 1], label: "P(any military response)", grid: true },
    y: { label: null },
    marks: [
      Plot.ruleY(data.filter((d) => d.lo !== null), { y: "design", x1: "lo", x2: "hi", stroke: "#6baed6", strokeWidth: 6 }),
      Plot.dot(data, { y: "design", x: "p", fill: "#08519c", r: 5 }),
    ],
  });
  $("#bands-chart").replaceChildren(chart);
  $("#bands-alt").textContent = "Chart: P(any military response) by design, with its band. " +
    a.options.map((o) => `${o.label}: ${figure(o.p_any_military_response)}`).join("; ") + ".";
}

function curves() {
  const a = answer;
  const data = a.options.flatMap((o) => o.response_curve.slice(0, 91).map((m, day) => ({ design: o.id, day, p: m.estimate })));
  const chart = Plot.plot({
    height: 300, x: { label: "days after the attack", domain: [0, 90] }, y: { label: "P(military response has arrived)", domain: [0, 1], grid: true },
    color: { legend: true, scheme: "Set2" },
    marks: [Plot.line(data, { x: "day", y: "p", stroke: "design", strokeWidth: 2 })],
  });
  $("#curve-chart").replaceChildren(chart);
  const at = (o, d) => num((o.response_curve[d] || {}).estimate);
  $("#curve-alt").textContent = "Chart: probability that a military response has arrived, by day, per design. " +
    a.options.map((o) => `${o.label}: ${at(o, 7)} by day 7, ${at(o, 30)} by day 30, ${at(o, 90)} by day 90`).join("; ") + ".";
}

function matrix() {
  const a = answer, m = state.metric;
  const cols = ["Design", ...a.attacks.map((x) => x.description)];
  const rows = a.options.map((o) => [o.label, ...o.by_attack.map((c) => figure(c[m]))]);
  const data = a.options.map((o) => ({ option: o.id, by_attack: Object.fromEntries(o.by_attack.map((c) => [c.attack, c[m]])) }));
  $("#matrix-box").replaceChildren(table("matrix", "Designs × attacks: " + METRICS[m], cols, rows, rows, data));
}

function differences() {
  const a = answer;
  if (!a.differences.length) { $("#differences-box").replaceChildren(); return; }
  const labels = a.differences[0].factors.map((f) => f.label);
  const label = (id) => (a.options.find((o) => o.id === id) || {}).label || id;
  const cols = ["Design", "Against", "Difference", ...labels];
  const rows = a.differences.map((d) => [label(d.from), label(d.to), (d.difference >= 0 ? "+" : "") + num(d.difference),
    ...d.factors.map((f) => (f.contribution >= 0 ? "+" : "") + num(f.contribution))]);
  $("#differences-box").replaceChildren(table("differences",
    "Why the designs differ: P(any military response), shared among the design factors (Shapley values)", cols, rows, rows, a.differences));
}

function sliders() {
  const s = answer.sensitivity;
  if (!s) return;
  // The ranking of the stated priors is kept while sliders move, so the sliders stay put.
  if (!ranking || Object.keys(state.priors).length === 0) {
    ranking = s.rows.map((r) => ({ r, w: Math.max(...r.at_low.map((x, i) => Math.abs(x - r.at_high[i]))) }))
      .filter((x) => x.w > 0).sort((x, y) => y.w - x.w || x.r.parameter.localeCompare(y.r.parameter)).slice(0, SLIDERS)
      .map((x) => ({ id: x.r.parameter, low: x.r.low, high: x.r.high, stated: x.r.value, swing: x.w }));
  }
  const box = $("#sliders");
  box.replaceChildren(...ranking.map((p) => {
    const value = state.priors[p.id] !== undefined ? state.priors[p.id] : p.stated;
    const step = (p.high - p.low) / 100;
    const out = el("output", { id: "v-" + p.id }, num(value));
    const input = el("input", { type: "range", min: p.low, max: p.high, step, value, "data-parameter": p.id,
      "aria-describedby": "v-" + p.id });
    input.addEventListener("input", () => { out.textContent = num(Number(input.value)); });
    input.addEventListener("change", () => set({ priors: Object.assign({}, state.priors, { [p.id]: Number(input.value) }) }));
    return el("label", { class: "slider" }, el("span", {}, `${p.id} (stated ${num(p.stated)}, range ${num(p.low)}–${num(p.high)}, moves P by up to ${num(p.swing)})`), input, out);
  }));
}

// ---- start ----------------------------------------------------------------------------------

function start() {
  readURL();
  $("#metric").replaceChildren(...Object.entries(METRICS).map(([k, v]) => el("option", { value: k }, v)));
  syncControls();
  $("#controls").addEventListener("submit", (e) => {
    e.preventDefault();
    set({ which: $("#which").value.trim() || "ukraine", trials: Number($("#trials").value), draws: Number($("#draws").value),
      draw_trials: Number($("#draw_trials").value), seed: Number($("#seed").value) });
  });
  $("#reset-priors").addEventListener("click", () => set({ priors: {} }));
  $("#metric").addEventListener("change", (e) => { state.metric = e.target.value; writeURL(true); if (answer) matrix(); });
  window.addEventListener("popstate", () => { readURL(); syncControls(); run(); });
  writeURL(false);
  run();
}

start();
