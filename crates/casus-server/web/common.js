// casus web app: what every page shares — calls to this server's /api, jobs with progress,
// tables with CSV and JSON downloads, and small DOM helpers. Nothing is fetched from elsewhere.
"use strict";

const casus = (() => {
  const token = new URLSearchParams(location.hash.slice(1)).get("token");
  const $ = (sel) => document.querySelector(sel);

  function headers(body) {
    const h = { "Accept": "application/json" };
    if (body !== undefined) h["Content-Type"] = "application/json";
    if (token) h["Authorization"] = "Bearer " + token;
    return h;
  }

  async function api(path, body, method) {
    const r = await fetch("api/" + path, { method: method || (body === undefined ? "GET" : "POST"),
      headers: headers(body), body: body === undefined ? undefined : JSON.stringify(body) });
    const data = await r.json();
    if (!r.ok) {
      const hints = (data.hints || []).join(" ");
      const e = new Error((data.field ? data.field + ": " : "") + data.detail + (hints ? " (" + hints + ")" : ""));
      e.status = r.status;
      throw e;
    }
    return data;
  }

  // Runs `request` as a job of `kind`, reporting progress; resolves with its answer. The
  // returned object's cancel() stops it on the server.
  function job(kind, request, onProgress) {
    let id = null, stopped = false, source = null;
    const done = (async () => {
      const s = await api("jobs", { kind, request });
      id = s.id;
      if (stopped) { api("jobs/" + id, undefined, "DELETE").catch(() => {}); throw new Error("superseded"); }
      onProgress(s);
      let last = s;
      if (!token && window.EventSource) {
        last = await new Promise((resolve, reject) => {
          source = new EventSource("api/jobs/" + id + "/events");
          source.addEventListener("progress", (e) => onProgress(JSON.parse(e.data)));
          source.addEventListener("end", (e) => { source.close(); resolve(JSON.parse(e.data)); });
          source.onerror = () => { source.close(); reject(new Error("lost the job's progress")); };
        });
      } else {
        // With a token (EventSource sends no headers): poll.
        while (!["done", "failed", "cancelled"].includes(last.status)) {
          await new Promise((r) => setTimeout(r, 300));
          last = await api("jobs/" + id);
          onProgress(last);
        }
      }
      if (last.status !== "done") throw new Error(last.error ? last.error.detail : "the job was " + last.status);
      return api("jobs/" + id + "/result");
    })();
    return {
      done,
      cancel() {
        stopped = true;
        if (source) source.close();
        if (id !== null) api("jobs/" + id, undefined, "DELETE").catch(() => {});
      },
    };
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

  const num = (x, d = 3) => (x === null || x === undefined || Number.isNaN(x)) ? "—" : Number(x).toFixed(d);
  // A figure as the page shows it: the estimate, then its 5%–95% band when there is one.
  function figure(m) {
    if (!m) return "—";
    return num(m.estimate) + (m.band ? " [" + num(m.band[0]) + "–" + num(m.band[1]) + "]" : "");
  }

  function csv(cols, rows) {
    const q = (v) => { const s = v === null || v === undefined ? "" : String(v); return /[",\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s; };
    return [cols.join(","), ...rows.map((r) => r.map(q).join(","))].join("\n") + "\n";
  }

  function save(name, text, type) {
    const a = el("a", { href: URL.createObjectURL(new Blob([text], { type })), download: name });
    document.body.append(a); a.click(); a.remove();
  }

  // A table with a heading and CSV/JSON downloads of the same rows: `cols` are the headers,
  // `rows` arrays of cells (strings or nodes), `data` the rows as the API gave them.
  function table(id, title, cols, rows, plain, data) {
    const head = el("div", { class: "tablehead" }, el("h3", { id: id + "-title" }, title),
      el("span", { class: "downloads" }, "Download ",
        el("button", { type: "button", onclick: () => save(id + ".csv", csv(cols, plain), "text/csv") }, "CSV"), " ",
        el("button", { type: "button", onclick: () => save(id + ".json", JSON.stringify(data, null, 2) + "\n", "application/json") }, "JSON")));
    const t = el("table", { id, "aria-labelledby": id + "-title" },
      el("thead", {}, el("tr", {}, ...cols.map((c) => el("th", { scope: "col" }, c)))),
      el("tbody", {}, ...rows.map((r) => el("tr", {}, ...r.map((c, i) => i === 0 ? el("th", { scope: "row" }, c) : el("td", {}, c))))));
    return el("div", { class: "tablebox" }, head, t);
  }

  function progressText(s) {
    const p = s.progress || {};
    const pct = p.planned ? " " + Math.round(100 * p.done / p.planned) + "%" : "";
    return s.status === "running" ? "Computing: " + (p.stage || "queued") + pct : "Job " + s.status;
  }

  return { $, api, job, el, num, figure, csv, save, table, progressText, token };
})();
