// Accession: P(member by date) and the veto table, from POST /api/accession (what `casus
// accession … --format json` prints). State in the URL: ?candidate=UKR&org=NATO&as_of=…
"use strict";

const { $, el, num, table } = casus;
const FIELDS = ["candidate", "org", "as_of", "until", "trials", "worlds", "seed"];
const state = { candidate: "UKR", org: "NATO", as_of: "", until: "", trials: 20000, worlds: 40, seed: 1 };
let seq = 0;

function readURL() {
  const q = new URLSearchParams(location.search);
  for (const k of FIELDS) if (q.get(k) !== null) state[k] = ["trials", "worlds", "seed"].includes(k) ? Number(q.get(k)) : q.get(k);
}

function writeURL(push) {
  const q = new URLSearchParams();
  for (const k of FIELDS) if (state[k] !== "") q.set(k, state[k]);
  const url = "?" + q.toString() + location.hash;
  if (url !== location.search + location.hash) history[push ? "pushState" : "replaceState"](null, "", url);
}

function request() {
  const r = { candidate: state.candidate, org: state.org, trials: state.trials, worlds: state.worlds, seed: state.seed };
  if (state.as_of) r.as_of = state.as_of;
  if (state.until) r.until = state.until;
  return r;
}

function syncControls() { for (const k of FIELDS) $("#" + k).value = state[k]; }

async function run() {
  const me = ++seq;
  $("#status").textContent = "Computing…";
  document.body.dataset.state = "running";
  try {
    const a = await casus.api("accession", request());
    if (me !== seq) return;
    render(a);
    $("#status").textContent = `Done: ${a.trials} trials, seed ${a.seed}.`;
    document.body.dataset.state = "done";
  } catch (e) {
    if (me !== seq) return;
    $("#status").textContent = "Could not forecast: " + e.message;
    document.body.dataset.state = "error";
  }
}

function render(a) {
  const p = a.p_member_by_until;
  $("#heading").textContent = `${a.candidate} joining ${a.org}: known as of ${a.as_of}, horizon ${a.until}`;
  $("#summary").textContent = `P(a member by ${a.until}) = ${num(p.estimate)}` + (p.band ? ` [${num(p.band[0])}–${num(p.band[1])} over ${p.worlds} worlds]` : "") +
    `; without the gates ${num(a.p_member_without_gates)}. Stage: ${a.stage}. Quantiles of the date: 5% ${a.quantiles.p05 || "beyond the horizon"}, 50% ${a.quantiles.p50 || "beyond the horizon"}, 95% ${a.quantiles.p95 || "beyond the horizon"}.`;
  const data = a.cdf.map((x) => ({ date: new Date(x.date), p: x.p }));
  $("#cdf-chart").replaceChildren(Plot.plot({
    height: 260, x: { label: "date", type: "utc" }, y: { label: "P(a member by then)", domain: [0, 1], grid: true },
    marks: [Plot.line(data, { x: "date", y: "p", stroke: "#08519c", strokeWidth: 2, curve: "step-after" })],
  }));
  const yearly = a.cdf.filter((x) => x.date.endsWith("-01-01"));
  $("#cdf-alt").textContent = "Chart: P(" + a.candidate + " a member) by date. " + yearly.map((x) => `${x.date}: ${num(x.p)}`).join("; ") + ".";
  const cols = ["Member", "Position", "Basis", "Procedure", "Ratified", "P(consent missing)", "P(pivotal)", "Flipped to", "Change if flipped", "P(last)"];
  const rows = a.members.map((m) => [m.member, m.position + (m.probability !== null ? ` (p ${num(m.probability, 2)})` : ""), m.basis, m.procedure,
    m.ratified || "—", num(m.p_missing_consent), num(m.p_pivotal), m.flipped_to || "—", (m.delta_if_flipped >= 0 ? "+" : "") + num(m.delta_if_flipped), num(m.p_last)]);
  const veto = table("veto", "Who could veto: each member's consent", cols, rows, rows, a.members);
  veto.querySelectorAll("tbody tr").forEach((tr, i) => tr.setAttribute("data-member", a.members[i].member));
  veto.append(el("ul", { class: "note" }, ...a.measures.map((m) => el("li", {}, el("code", {}, m.column), ": " + m.meaning))));
  $("#veto-box").replaceChildren(veto);
  const gcols = ["Gate", "Text", "P(open by the horizon)", "P(member without it)", "Basis"];
  const grows = a.gates.map((g) => [g.id, g.text, num(g.p_open_by_until), num(g.p_member_without_it), g.basis]);
  $("#gates-box").replaceChildren(a.gates.length ? table("gates", "Gates: conditions before the invitation", gcols, grows, grows, a.gates) : "");
  const crows = a.cdf.map((x) => [x.date, num(x.p)]);
  $("#cdf-box").replaceChildren(table("cdf", "P(a member by date), month by month", ["Date", "P(member)"], crows, crows, a.cdf));
  $("#rule").textContent = "Procedure: " + a.rule;
}

function start() {
  readURL();
  syncControls();
  $("#controls").addEventListener("submit", (e) => {
    e.preventDefault();
    const c = {};
    for (const k of FIELDS) c[k] = ["trials", "worlds", "seed"].includes(k) ? Number($("#" + k).value) : $("#" + k).value.trim();
    Object.assign(state, c); writeURL(true); run();
  });
  window.addEventListener("popstate", () => { readURL(); syncControls(); run(); });
  writeURL(false);
  run();
}

start();
