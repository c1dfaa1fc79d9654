// Browser tests of the casus web app in real headless Chromium (Debian's package), driven by
// playwright-core (no browser download). Run through tools/web/browser-test.sh, which starts
// `casus serve --port 0` and passes its address: node browser-test.mjs http://127.0.0.1:PORT/
import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";

const base = process.argv[2];
const out = process.argv[3] || "target/browser-test";
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
async function until(f, arg, what) {
  for (let i = 0; i < 200; i++) {
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
  const drawn = await page.$$eval("#map path.country", (ps) => ps.filter((p) => (p.getAttribute("d") || "").length > 10).length);
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
      assert(await page.$(`#obligations tr[data-obligor="${id}"]`), `${id} (no shape at 1:110m) is in the table`);
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

  // 5. Nothing left 127.0.0.1.
  const foreign = requests.filter((u) => new URL(u).origin !== origin && !u.startsWith("data:") && !u.startsWith("blob:"));
  assert(foreign.length === 0, "no request leaves the server: " + foreign.join(", "));
  assert(errors.length === 0, "no script errors: " + errors.join("; "));
  console.log(`browser tests: ok (${checks} checks; ${requests.length} requests, all to ${origin}; ` +
    `${onMap.length} obligors on the map, ${offMap.length} without a 1:110m shape: ${offMap.join(" ")})`);
} catch (e) {
  console.error(e.message);
  await page.screenshot({ path: out + "/failure.png" }).catch(() => {});
  console.error("requests:", requests.length, "errors:", errors.join("; "));
  process.exitCode = 1;
} finally {
  await browser.close();
}
