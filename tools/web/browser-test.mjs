// Browser tests of the casus web app in real headless Chromium (Debian's package), driven by
// playwright-core (no browser download). Run through tools/web/browser-test.sh, which starts
// `casus serve --port 0` and passes its address: node browser-test.mjs http://127.0.0.1:PORT/
import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";

const base = process.argv[2];
const out = process.argv[3] || "target/browser-test";
// Where the README's screenshot of the map goes (browser-tests.sh: docs/img/map.png).
const readmeShot = process.argv[4];
const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";
const origin = new URL(base).origin;
let checks = 0;
function assert(cond, msg) {
  if (!cond) throw new Error("FAILED: " + msg);
  checks++;
}

const browser = await chromium.launch({ executablePath, args: ["--no-sandbox", "--disable-gpu"] });
const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
const requests = [];
page.on("request", (r) => requests.push(r.url()));
const errors = [];
page.on("pageerror", (e) => errors.push(String(e)));
page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });

async function api(path, body) {
  const r = await fetch(base + "api/" + path, body === undefined ? {} :
    { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  return r.json();
}
// Polls with page.evaluate: the page's Content-Security-Policy forbids the eval that
// waitForFunction uses, and the test keeps the policy on.
async function until(f, arg, what, tries = 200) {
  for (let i = 0; i < tries; i++) {
    const v = await page.evaluate(f, arg);
    if (v) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("FAILED: timed out waiting for " + what);
}
const ready = (previous) => until((p) => document.body.dataset.ready !== p && document.body.dataset.ready, previous || "", "an answer");
const shown = () => page.$$eval("#map path[data-role=obligor]", (ps) => ps.map((p) => p.dataset.id).sort());

try {
  // 1. The map draws every country of the vendored topology.
  await page.goto(base + "?attacker=RUS&target=EST&date=2025-06-01&kind=armed_attack");
  let tick = await ready(null);
  const topo = await (await fetch(base + "vendor/countries-110m.json")).json();
  const nShapes = topo.objects.countries.geometries.length;
  const drawn = await page.$$eval("#countries path.country", (ps) => ps.filter((p) => (p.getAttribute("d") || "").length > 10).length);
  assert(drawn === nShapes, `the map draws every country (${drawn} of ${nShapes})`);

  // 2. Estonia is the target; every obligor the API returns has its strength's colour.
  const est = await page.$eval('#map path[data-id="EST"]', (p) => ({ role: p.dataset.role, fill: getComputedStyle(p).fill,
    want: getComputedStyle(document.documentElement).getPropertyValue("--target").trim() }));
  assert(est.role === "target", "Estonia is marked as the target");
  const rgb = (hex) => { const n = parseInt(hex.slice(1), 16); return `rgb(${n >> 16}, ${(n >> 8) & 255}, ${n & 255})`; };
  assert(est.fill === rgb(est.want), `Estonia has the target colour (${est.fill})`);
  const answer = await api("obligations", { attacker: "RUS", target: "EST", date: "2025-06-01" });
  const ORDER = ["consult", "seek_un_action", "assist", "action_deemed_necessary", "military_assistance"];
  const strongest = new Map();
  for (const o of answer.obligations) {
    const s = strongest.get(o.obligor);
    if (!s || ORDER.indexOf(o.strength) > ORDER.indexOf(s)) strongest.set(o.obligor, o.strength);
  }
  assert(strongest.size > 20, `the API names obligors (${strongest.size})`);
  const onMap = [], offMap = [];
  for (const [id, s] of strongest) {
    const p = await page.$(`#map path[data-id="${id}"]`);
    if (!p) {
      offMap.push(id);
      assert(await page.$(`#obligations tr[data-obligor="${id}"]`), `${id} (no shape on the map) is in the table`);
      continue;
    }
    onMap.push(id);
    const got = await p.evaluate((e) => ({ s: e.dataset.strength, fill: getComputedStyle(e).fill }));
    const want = await page.evaluate((s) => getComputedStyle(document.documentElement).getPropertyValue("--" + s).trim(), s);
    assert(got.s === s, `${id} is coloured as ${s} (got ${got.s})`);
    assert(got.fill === rgb(want), `${id}'s fill is ${s}'s colour (${got.fill} vs ${want})`);
  }
  const extra = (await shown()).filter((id) => !strongest.has(id));
  assert(extra.length === 0, `no state is coloured that the API does not name (${extra})`);
  assert(await page.$('#markers g[data-id="USA"]'), "the USA is marked nuclear-armed");
  assert(!(await page.$('#markers g[data-id="DEU"]')), "Germany is not marked nuclear-armed");
  mkdirSync(out, { recursive: true });
  await page.screenshot({ path: out + "/map-rus-est-2025.png" });
  if (readmeShot) await page.screenshot({ path: readmeShot, clip: { x: 0, y: 0, width: 1400, height: 760 } });

  // 3. Clicking an obligor shows its explanation, with the clause's citation.
  await page.$eval('#map path[data-id="USA"]', (p) => p.dispatchEvent(new MouseEvent("click", { bubbles: true })));
  await until(() => !!document.querySelector("#detail:not([hidden]) .obligation"), null, "the explanation");
  const detail = await page.$eval("#detail", (d) => d.innerText);
  assert(/Why USA/.test(detail), "the detail is the USA's");
  assert(detail.includes("North Atlantic Treaty, Article 5"), "the explanation cites Article 5");
  assert(detail.includes("armed attack against one or more of them"), "the clause is quoted");
  const links = await page.$$eval("#detail a.source", (as) => as.map((a) => a.href));
  assert(links.some((h) => h.includes("nato.int")), "the citation links its source");
  const checksShown = await page.$$eval("#detail li[data-check]", (ls) => ls.map((l) => l.dataset.check));
  for (const c of ["in_force", "trigger", "beneficiary", "scope", "obligor"]) assert(checksShown.includes(c), `check ${c} shown`);
  assert(new URL(page.url()).searchParams.get("show") === "obligor:USA", "the URL keeps the open explanation");

  // Keyboard: focus Germany's shape and press Enter.
  await page.focus('#map path[data-id="DEU"]');
  await page.keyboard.press("Enter");
  await until(() => /Why DEU/.test(document.querySelector("#detail").innerText), null, "DEU's explanation");
  assert(true, "Enter on a focused obligor opens its explanation");

  // A commitment: its text beside its encoding.
  await page.click('#obligations button.link:text("north-atlantic-treaty")');
  await until(() => !!document.querySelector('#detail .clause[data-clause="art5"]'), null, "the treaty's text");
  const clause = await page.$eval('#detail .clause[data-clause="art5"]', (c) => c.innerText);
  assert(clause.includes("Article 5") && clause.includes('"strength"'), "Article 5's text is beside its encoding");

  // 4. The date slider: 1960 and 2025 show different obligors; the URL reloads the same view.
  const in2025 = await shown();
  await page.$eval("#year", (y) => { y.value = "1960"; y.dispatchEvent(new Event("input", { bubbles: true })); });
  tick = await ready(tick);
  // A render already under way when the slider moved can finish first: give the 1960 answer
  // up to 10 s to reach the map before comparing.
  let in1960 = await shown();
  for (let i = 0; i < 100 && JSON.stringify(in1960) === JSON.stringify(in2025); i++) {
    await new Promise((r) => setTimeout(r, 100));
    in1960 = await shown();
  }
  assert(new URL(page.url()).searchParams.get("date") === "1960-06-01", "the slider's date is in the URL");
  assert(JSON.stringify(in1960) !== JSON.stringify(in2025), `1960 (${in1960.length} obligors) differs from 2025 (${in2025.length})`);
  const api1960 = await api("obligations", { attacker: "RUS", target: "EST", date: "1960-06-01" });
  assert(in1960.every((id) => api1960.obligations.some((o) => o.obligor === id)), "1960's map is the API's 1960 answer");
  await page.goto(page.url().replace("target=EST", "target=NOR"));
  tick = await ready(null);
  const nor1960 = await shown();
  await page.$eval("#year", (y) => { y.value = "2025"; y.dispatchEvent(new Event("input", { bubbles: true })); });
  tick = await ready(tick);
  const nor2025 = await shown();
  assert(nor1960.length > 5 && nor2025.length > nor1960.length, `NATO grew between 1960 (${nor1960.length}) and 2025 (${nor2025.length})`);
  await page.reload();
  await ready(null);
  assert((await page.$eval("#date", (d) => d.value)) === "2025-06-01" && (await page.$eval("#target", (d) => d.value)) === "NOR",
    "a reload shows the same view");
  await page.screenshot({ path: out + "/map-rus-nor-2025.png" });

  // 5. Places below country level (web/data/places.json): every shape the script wrote is drawn,
  // Malta among them; occupied ones are hatched on the date; a click on French Guiana (and Enter on
  // Crimea) makes it the place attacked, in the URL, and the map shows the API's answer for it.
  await page.goto(base + "?attacker=RUS&target=FRA&date=2025-06-01");
  tick = await ready(null);
  const ptopo = await (await fetch(base + "data/places.json")).json();
  const nPlaces = ptopo.objects.places.geometries.length;
  const placesDrawn = await page.$$eval("#places path", (ps) => ps.filter((p) => (p.getAttribute("d") || "").length > 10).length);
  assert(nPlaces >= 90 && placesDrawn >= nPlaces, `the map draws every place of places.json (${placesDrawn} of ${nPlaces})`);
  assert(await page.$eval('#places path[data-id="MLT"]', (p) => (p.getAttribute("d") || "").length > 10).catch(() => false), "Malta is drawn");
  for (const code of ["GF", "US-HI", "UA-43", "UA-40", "MD-SN", "GE-AB"]) {
    assert(await page.$(`#places path[data-place="${code}"]`), `${code} is drawn as a place of its own`);
  }
  const hatched = await page.$$eval("#occupied path[data-on]", (ps) => ps.map((p) => p.dataset.place));
  assert(hatched.includes("UA-43") && hatched.includes("GE-AB") && !hatched.includes("GF"), `occupied places are hatched (${hatched})`);
  assert((await page.$eval("#legend", (l) => l.innerText)).includes("hatched: occupied"), "the legend explains the hatching");
  await page.hover('#places path[data-place="GF"]');
  const gfTitle = await page.$eval("#map-label", (t) => t.textContent);
  assert(gfTitle.includes("French Guiana") && gfTitle.includes("FRA"), `hovering French Guiana names it and its sovereign below the map (${gfTitle})`);
  const strongestOf = (a) => {
    const m = new Map();
    for (const o of a.obligations) { const s = m.get(o.obligor); if (!s || ORDER.indexOf(o.strength) > ORDER.indexOf(s)) m.set(o.obligor, o.strength); }
    return m;
  };
  const checkShown = async (body, what) => {
    const want = strongestOf(await api("obligations", body));
    const got = await page.$$eval("#map path[data-role=obligor]", (ps) => ps.map((p) => [p.dataset.id, p.dataset.strength]));
    const gotMap = new Map(got);
    assert(got.every(([id, s]) => want.get(id) === s), `${what}: every coloured obligor has the API's strength`);
    for (const [id] of want) assert(gotMap.has(id) || await page.$(`#obligations tr[data-obligor="${id}"]`), `${what}: ${id} is shown`);
    const rows = await page.$$eval("#obligations tbody tr", (rs) => rs.map((r) => r.dataset.obligor));
    const apiRows = (await api("obligations", body)).obligations.map((o) => o.obligor);
    assert(JSON.stringify(rows) === JSON.stringify(apiRows), `${what}: the table is the API's (${rows.length} rows)`);
  };
  await checkShown({ attacker: "RUS", target: "FRA", date: "2025-06-01" }, "France");
  await page.$eval('#places path[data-place="GF"]', (p) => p.dispatchEvent(new MouseEvent("click", { bubbles: true })));
  tick = await ready(tick);
  const q = new URL(page.url()).searchParams;
  assert(q.get("place") === "GF" && q.get("target") === "FRA", `a click on French Guiana sets place=GF, target=FRA (${page.url()})`);
  assert((await page.$eval("#heading", (h) => h.innerText)).includes("at GF (French Guiana)"), "the heading names the place attacked");
  await checkShown({ attacker: "RUS", target: "FRA", place: "GF", date: "2025-06-01" }, "French Guiana");
  const fr = strongestOf(await api("obligations", { attacker: "RUS", target: "FRA", date: "2025-06-01" }));
  const gf = strongestOf(await api("obligations", { attacker: "RUS", target: "FRA", place: "GF", date: "2025-06-01" }));
  const usa = await page.$eval('#map path[data-id="USA"]', (p) => p.dataset.strength);
  assert(fr.get("USA") !== gf.get("USA") && usa === gf.get("USA"), `the USA owes ${fr.get("USA")} for France but ${gf.get("USA")} for French Guiana (NATO Art. 6), and the map shows ${usa}`);
  assert(await page.$('#places path[data-place="GF"][data-chosen]'), "French Guiana is outlined as the place attacked");
  await page.screenshot({ path: out + "/map-rus-fra-gf-2025.png" });
  await page.reload();
  tick = await ready(null);
  assert((await page.$eval("#place", (s) => s.value)) === "GF", "a reload keeps the place");
  // Keyboard: Crimea, focused (its name shows below the map) and Enter.
  await page.focus('#places path[data-place="UA-43"]');
  const focusLabel = await page.$eval("#map-label", (l) => l.textContent);
  assert(focusLabel.includes("Avtonomna Respublika Krym (UA-43)") && focusLabel.includes("occupied by RUS"), `keyboard focus names the place (${focusLabel})`);
  await page.keyboard.press("Enter");
  tick = await ready(tick);
  await until(() => new URL(location.href).searchParams.get("place") === "UA-43", null, "place=UA-43");
  assert(new URL(page.url()).searchParams.get("target") === "UKR", "Enter on Crimea makes Ukraine, its sovereign, the target");
  await checkShown({ attacker: "RUS", target: "UKR", place: "UA-43", date: "2025-06-01" }, "Crimea");
  // Hatching follows the date: in 2010 Transnistria was held (since 1992), Crimea not yet.
  await page.$eval("#year", (y) => { y.value = "2010"; y.dispatchEvent(new Event("input", { bubbles: true })); });
  tick = await ready(tick);
  const hatched2010 = await until(() => {
    const on = [...document.querySelectorAll("#occupied path[data-on]")].map((p) => p.dataset.place);
    return on.includes("UA-43") ? null : on;
  }, null, "the 2010 hatching");
  assert(hatched2010.includes("MD-SN") && hatched2010.includes("GE-AB") && !hatched2010.includes("UA-14"), `2010's occupied places are hatched (${hatched2010})`);
  // The list chooses a place too: Hawaii, outside NATO's area, changes what NATO's members owe the USA.
  await page.goto(base + "?attacker=CHN&target=USA&date=2025-06-01");
  tick = await ready(null);
  await page.selectOption("#place", "US-HI");
  tick = await ready(tick);
  await until(() => new URL(location.href).searchParams.get("place") === "US-HI", null, "place=US-HI");
  await checkShown({ attacker: "CHN", target: "USA", place: "US-HI", date: "2025-06-01" }, "Hawaii");
  const hi = strongestOf(await api("obligations", { attacker: "CHN", target: "USA", place: "US-HI", date: "2025-06-01" }));
  const us = strongestOf(await api("obligations", { attacker: "CHN", target: "USA", date: "2025-06-01" }));
  assert(hi.size !== us.size || [...us].some(([id, s]) => hi.get(id) !== s), `Hawaii's answer differs from the USA's (${hi.size} vs ${us.size} obligors)`);

  // 6. Assess: the five Ukraine designs with the figures the API returns for the same body
  // (the same body and seed give the same answer), run as a job with progress.
  const fig = (m) => !m ? "—" : m.estimate.toFixed(3) + (m.band ? " [" + m.band[0].toFixed(3) + "–" + m.band[1].toFixed(3) + "]" : "");
  const assessQuery = "which=ukraine&trials=2048&draws=20&draw_trials=256&seed=1";
  const assessBody = { which: "ukraine", trials: 2048, draws: 20, draw_trials: 256, seed: 1, sensitivity: true, priors: {} };
  const checkDesigns = async (body, what) => {
    const a = await api("assess", body);
    assert(a.options && a.options.length === 5, `${what}: the API has five Ukraine designs`);
    for (const o of a.options) {
      const row = await page.$eval(`#designs tr[data-option="${o.id}"]`, (r) => r.innerText).catch(() => "");
      assert(row.includes(o.label), `${what}: ${o.id}'s row names "${o.label}"`);
      for (const k of ["p_any_military_response", "p_military_within_30_days", "p_any_support", "capability_ratio_median"]) {
        assert(row.includes(fig(o[k])), `${what}: ${o.id} shows ${k} = ${fig(o[k])} (row: ${row})`);
      }
    }
    const cells = await page.$$eval("#matrix tbody tr", (rs) => rs.length);
    assert(cells === 5, `${what}: the option × attack matrix has five rows`);
    return a;
  };
  await page.goto(base + "assess.html?" + assessQuery);
  await until(() => document.body.dataset.state === "done" || document.body.dataset.state === "error", null, "the assessment", 1200);
  assert((await page.$eval("body", (b) => b.dataset.state)) === "done", "the assess page computed: " + await page.$eval("#status", (s) => s.innerText));
  const assessed = await checkDesigns(assessBody, "assess");
  assert((await page.$$eval("#differences tbody tr", (rs) => rs.length)) === assessed.differences.length, "the difference decomposition is shown");
  assert((await page.$eval("#curve-alt", (c) => c.innerText)).includes("by day 30"), "the response-over-time chart has a text alternative");
  const sliders = await page.$$eval("#sliders input[type=range]", (is) => is.map((i) => i.dataset.parameter));
  assert(sliders.length >= 3, `sliders for the priors that matter most (${sliders})`);
  // Move the first slider to its low end: the page re-runs with that prior, and shows the API's answer for it.
  const moved = await page.$eval("#sliders input[type=range]", (i) => {
    i.value = i.min; i.dispatchEvent(new Event("input", { bubbles: true })); i.dispatchEvent(new Event("change", { bubbles: true }));
    return { id: i.dataset.parameter, value: Number(i.min) };
  });
  await until(() => document.body.dataset.state === "running", null, "the re-run to start", 100).catch(() => {});
  await until(() => document.body.dataset.state === "done" || document.body.dataset.state === "error", null, "the re-run", 1200);
  assert(new URL(page.url()).searchParams.get("p." + moved.id) === String(moved.value), "the moved prior is in the URL");
  await checkDesigns({ ...assessBody, priors: { [moved.id]: moved.value } }, "assess with " + moved.id + " = " + moved.value);
  await page.screenshot({ path: out + "/assess-ukraine.png", fullPage: true });

  // 7. Accession: P(member by date) and the veto table, as the API gives them.
  await page.goto(base + "accession.html?candidate=UKR&org=NATO&trials=2000&worlds=4&seed=1");
  await until(() => document.body.dataset.state === "done" || document.body.dataset.state === "error", null, "the accession forecast", 600);
  const acc = await api("accession", { candidate: "UKR", org: "NATO", trials: 2000, worlds: 4, seed: 1 });
  const vetoRows = await page.$$eval("#veto tbody tr", (rs) => rs.map((r) => [r.dataset.member, r.innerText]));
  assert(vetoRows.length === acc.members.length && acc.members.length > 20, `the veto table has every member (${vetoRows.length})`);
  for (const m of acc.members) {
    const row = (vetoRows.find((r) => r[0] === m.member) || [null, ""])[1];
    assert(row.includes(m.p_missing_consent.toFixed(3)) && row.includes(m.p_pivotal.toFixed(3)), `${m.member}'s veto figures are the API's`);
  }
  assert((await page.$eval("#summary", (s) => s.innerText)).includes(acc.p_member_by_until.estimate.toFixed(3)), "P(member by the horizon) is the API's");

  // 8. Negotiation: the verdict and the zones.
  await page.goto(base + "negotiate.html?which=ukraine&rounds=10&steps=6");
  await until(() => document.body.dataset.state === "done" || document.body.dataset.state === "error", null, "the negotiation", 300);
  const neg = await api("negotiate", { which: "ukraine", rounds: 10, steps: 6 });
  assert((await page.$eval("#verdict", (v) => v.innerText)) === neg.verdict.text, "the verdict is the API's");
  assert((await page.$$eval("#zones tbody tr", (rs) => rs.length)) === neg.zones.length, "one row per issue's zone");

  // 9. Nothing left 127.0.0.1.
  const foreign = requests.filter((u) => new URL(u).origin !== origin && !u.startsWith("data:") && !u.startsWith("blob:"));
  assert(foreign.length === 0, "no request leaves the server: " + foreign.join(", "));
  assert(errors.length === 0, "no script errors: " + errors.join("; "));
  console.log(`browser tests: ok (${checks} checks; ${requests.length} requests, all to ${origin}; ` +
    `${onMap.length} obligors on the map, ${offMap.length} without a shape: ${offMap.join(" ")}; ${placesDrawn} places drawn)`);
} catch (e) {
  console.error(e.message);
  await page.screenshot({ path: out + "/failure.png" }).catch(() => {});
  console.error("requests:", requests.length, "errors:", errors.join("; "));
  process.exitCode = 1;
} finally {
  await browser.close();
}
