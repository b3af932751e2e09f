// tierd dashboard: polls /dashboard/api/overview and /dashboard/api/live and draws the page.
// No libraries: the page must work without internet. Every value from the server goes through
// textContent (never innerHTML): prompts and explanations are user data.
"use strict";

const POLL_MS = 5000;
const TIER_COLORS = ["#2463eb", "#16a34a", "#d97706", "#9333ea", "#dc2626", "#0891b2", "#64748b"];
const SVG_NS = "http://www.w3.org/2000/svg";
const state = { window: "24h", expanded: new Set(), tierColors: {}, tierOrder: [] };

// ---- formatting ---------------------------------------------------------------------------
function fmtUsd(v) {
  if (v === null || v === undefined) return "—";
  const a = Math.abs(v);
  if (a === 0) return "$0";
  if (a >= 100) return "$" + v.toLocaleString("en-US", { maximumFractionDigits: 0 });
  if (a >= 1) return "$" + v.toFixed(2);
  if (a >= 0.01) return "$" + v.toFixed(4);
  // Tiny amounts (a local tier's request costs ~$0.00001): three significant digits, no exponent.
  const digits = Math.min(12, 2 - Math.floor(Math.log10(a)));
  return "$" + v.toFixed(digits);
}
function fmtPct(v) { return v === null || v === undefined ? "—" : (v * 100).toFixed(1) + "%"; }
function fmtInt(v) { return v === null || v === undefined ? "—" : Math.round(v).toLocaleString("en-US"); }
function fmtMs(v) {
  if (v === null || v === undefined) return "—";
  return v >= 10000 ? (v / 1000).toFixed(1) + " s" : Math.round(v).toLocaleString("en-US") + " ms";
}
function fmtTime(iso) { return iso ? iso.replace("T", " ").replace(/\.\d+/, "").replace("Z", "") : "—"; }

// ---- DOM helpers --------------------------------------------------------------------------
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") node.className = v;
    else if (k.startsWith("data-")) node.setAttribute(k, v);
    else node[k] = v;
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}
function svg(tag, attrs, text) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}
function fillBody(table, rows, emptyText, columns) {
  const body = table.querySelector("tbody");
  body.replaceChildren();
  if (!rows.length) {
    body.append(el("tr", { class: "empty" }, el("td", { colSpan: columns }, emptyText)));
    return;
  }
  for (const row of rows) body.append(row);
}
function num(text) { return el("td", { class: "num" }, text); }
function colorOf(tier) {
  if (!(tier in state.tierColors)) {
    state.tierColors[tier] = TIER_COLORS[Object.keys(state.tierColors).length % TIER_COLORS.length];
  }
  return state.tierColors[tier];
}

// ---- KPI cards ----------------------------------------------------------------------------
const KPI_FORMAT = {
  cost_per_request_usd: fmtUsd, coverage: fmtPct, savings_usd: fmtUsd, savings_share: fmtPct,
  frontier_cost_usd: fmtUsd, escalation_rate: fmtPct, escalated_requests: fmtInt, requests: fmtInt,
  errors: fmtInt, unknown_cost_requests: fmtInt,
};
function drawKpis(totals) {
  for (const node of document.querySelectorAll("[data-kpi]")) {
    const key = node.getAttribute("data-kpi");
    const value = totals[key];
    node.setAttribute("data-value", value === null || value === undefined ? "" : String(value));
    node.textContent = KPI_FORMAT[key](value);
  }
  const total = document.getElementById("kpi-cost-total");
  total.textContent = `${fmtUsd(totals.cost_usd)} in total over ${fmtInt(totals.costed_requests)} costed requests`;
  total.setAttribute("data-value", String(totals.cost_usd));
}

// ---- cost chart (stacked bars per bucket, SVG) ---------------------------------------------
function niceCeiling(v) {
  // The smallest 1, 2, 2.5 or 5 times a power of ten at or above v: round numbers on the axis.
  const power = 10 ** Math.floor(Math.log10(v));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= v) return step * power;
  return 10 * power;
}
function drawCostChart(series) {
  const box = document.getElementById("cost-chart");
  const legend = document.getElementById("cost-legend");
  const step = series.bucket_seconds;
  document.getElementById("bucket-hint").textContent =
    `per ${step >= 86400 ? "day" : step >= 3600 ? "hour" : step / 60 + " minutes"} · US$`;
  const tiers = [...series.tiers].sort((a, b) => state.tierOrder.indexOf(a) - state.tierOrder.indexOf(b));
  legend.replaceChildren(...tiers.map((t) => el("span", {}, el("i"), t)));
  legend.querySelectorAll("i").forEach((node, i) => { node.style.background = colorOf(tiers[i]); });
  const highest = Math.max(0, ...series.buckets.map((b) => b.cost_usd));
  if (!series.buckets.length || highest <= 0) {
    box.replaceChildren(el("div", { class: "empty" }, "No costed requests in this window yet."));
    return;
  }
  const max = niceCeiling(highest);
  // Drawn at the box's own pixel width, so that text is never stretched.
  const W = Math.max(360, box.clientWidth || 800), H = 260, left = 78, right = 10, top = 10, bottom = 28;
  const plotW = W - left - right, plotH = H - top - bottom;
  const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img",
    "aria-label": "cost per tier over time" });
  const axis = svg("g", { class: "axis" });
  for (let i = 0; i <= 4; i++) {
    const y = top + plotH - (plotH * i) / 4;
    axis.append(svg("line", { x1: left, x2: W - right, y1: y, y2: y }));
    axis.append(svg("text", { x: left - 6, y: y + 4, "text-anchor": "end" }, fmtUsd((max * i) / 4)));
  }
  const n = series.buckets.length;
  const slot = plotW / n;
  const barW = Math.max(1, slot * 0.72);
  const labelEvery = Math.ceil(n / 8);
  series.buckets.forEach((bucket, i) => {
    const x = left + i * slot + (slot - barW) / 2;
    let y = top + plotH;
    for (const tier of tiers) {
      const cost = bucket.cost_by_tier[tier] || 0;
      if (cost <= 0) continue;
      const h = (cost / max) * plotH;
      y -= h;
      const rect = svg("rect", { x, y, width: barW, height: Math.max(h, 0.5), fill: colorOf(tier) });
      rect.append(svg("title", {}, `${fmtTime(bucket.start)} · ${tier}: ${fmtUsd(cost)} · ` +
        `${bucket.requests} requests · saved ${fmtUsd(bucket.savings_usd)}`));
      root.append(rect);
    }
    if (i % labelEvery === 0) {
      const label = step >= 86400 ? bucket.start.slice(5, 10) : bucket.start.slice(11, 16);
      axis.append(svg("text", { x: left + i * slot + slot / 2, y: H - 8, "text-anchor": "middle" }, label));
    }
  });
  root.prepend(axis);
  box.replaceChildren(root);
}

// ---- tables -------------------------------------------------------------------------------
function tierLabel(key) { return key === null ? "(not routed)" : key; }
function byTierOrder(groups) {
  const rank = (key) => {
    const i = state.tierOrder.indexOf(key);
    return key === null ? 1e9 : i < 0 ? 1e6 : i;
  };
  return [...groups].sort((a, b) => rank(a.key) - rank(b.key));
}
function drawLatency(doc) {
  const rows = byTierOrder(doc.groups).map((g) => el("tr", {}, el("td", {}, tierLabel(g.key)),
    num(fmtInt(g.successful_requests)),
    num(fmtMs(g.latency_ms.p50)), num(fmtMs(g.latency_ms.p95)), num(fmtMs(g.latency_ms.p99)),
    num(fmtMs(g.ttft_ms.p50)), num(fmtMs(g.ttft_ms.p95))));
  if (doc.groups.length) {
    const t = doc.totals;
    rows.push(el("tr", {}, el("td", {}, el("strong", {}, "all")), num(fmtInt(t.successful_requests)),
      num(fmtMs(t.latency_ms.p50)), num(fmtMs(t.latency_ms.p95)), num(fmtMs(t.latency_ms.p99)),
      num(fmtMs(t.ttft_ms.p50)), num(fmtMs(t.ttft_ms.p95))));
  }
  fillBody(document.getElementById("latency-table"), rows, "No requests in this window.", 7);
}
function checksText(checks) {
  const parts = Object.entries(checks).filter(([, c]) => c.checked > 0)
    .map(([tier, c]) => `${tier} ${fmtPct(c.pass_rate)} of ${c.checked}`);
  return parts.length ? parts.join(" · ") : "—";
}
function drawTiers(doc) {
  const rows = byTierOrder(doc.groups).map((g) => el("tr", { "data-tier": tierLabel(g.key) },
    el("td", {}, tierLabel(g.key)), num(fmtInt(g.requests)), num(fmtInt(g.errors)), num(fmtUsd(g.cost_usd)),
    num(fmtUsd(g.cost_per_request_usd)), num(fmtUsd(g.savings_usd)), num(fmtPct(g.escalation_rate)),
    num(checksText(g.checks)), num(`${fmtInt(g.prompt_tokens)} / ${fmtInt(g.completion_tokens)}`)));
  fillBody(document.getElementById("tier-table"), rows, "No requests in this window.", 9);
}
function statusPill(r) {
  if (r.status >= 400) return el("span", { class: "pill err" }, `${r.status}${r.error_code ? " " + r.error_code : ""}`);
  if (r.escalations > 0) return el("span", { class: "pill esc" }, `${r.status} escalated ×${r.escalations}`);
  return el("span", { class: "pill ok" }, String(r.status));
}
function attemptLines(r) {
  return r.attempts.map((a) => {
    const checks = (a.checks || []).map((c) => `${c.check}:${c.passed ? "pass" : "fail"}`).join(" ");
    const verdict = a.passed === null ? "not checked" : a.passed ? "passed" : "failed";
    const parts = [`#${a.index} ${a.tier} → ${a.status}`, verdict + (checks ? ` (${checks})` : "")];
    if (a.returned) parts.push("answer returned to the client");
    if (a.cost_usd !== null) parts.push(fmtUsd(a.cost_usd));
    if (a.latency_ms !== null) parts.push(fmtMs(a.latency_ms));
    return parts.join(", ") + (a.error ? ` — ${a.error}` : "");
  }).join("\n");
}
function drawRecent(recent) {
  const rows = [];
  for (const r of recent) {
    const tiers = r.first_tier && r.final_tier && r.first_tier !== r.final_tier
      ? `${r.first_tier} → ${r.final_tier}` : (r.final_tier || r.first_tier || "—");
    const row = el("tr", { class: "request", "data-request-id": r.request_id },
      el("td", { class: "mono" }, fmtTime(r.created_at)), el("td", { class: "mono" }, r.request_id),
      el("td", { class: "decision" }, r.decision || "—"), el("td", {}, tiers), el("td", {}, statusPill(r)),
      num(fmtUsd(r.cost_usd)), num(fmtMs(r.latency_ms)));
    const details = el("tr", { class: "details" + (state.expanded.has(r.request_id) ? "" : " hidden") },
      el("td", { colSpan: 7 },
        el("strong", {}, "Attempts"), el("pre", {}, attemptLines(r) || "none recorded"),
        el("strong", {}, "Routing explanation"), el("pre", {}, JSON.stringify(r.explanation, null, 2))));
    row.addEventListener("click", () => {
      details.classList.toggle("hidden");
      if (details.classList.contains("hidden")) state.expanded.delete(r.request_id);
      else state.expanded.add(r.request_id);
    });
    rows.push(row, details);
  }
  fillBody(document.getElementById("recent-table"), rows, "No requests in this window yet.", 7);
}

// ---- live load ----------------------------------------------------------------------------
function kvBar(v) {
  if (v === null || v === undefined) return "—";
  const bar = el("span", { class: "bar" }, el("span", {}));
  bar.firstChild.style.width = Math.min(100, v * 100).toFixed(0) + "%";
  return el("span", {}, bar, fmtPct(v));
}
function drawLive(live) {
  const rows = live.tiers.map((t) => el("tr", { "data-tier": t.name },
    el("td", {}, t.name, el("div", { class: "hint" }, `${t.kind} · ${t.model || "not configured"}`)),
    num(`${t.replicas_ready} / ${t.replicas_total}`), num(fmtInt(t.in_flight)),
    num(t.local ? fmtInt(t.running) : "—"), num(t.local ? fmtInt(t.waiting) : "—"),
    num(t.local ? kvBar(t.kv_cache_usage) : "remote")));
  fillBody(document.getElementById("load-table"), rows, "No tiers.", 6);
  document.getElementById("live-hint").textContent = "as of " + new Date(live.taken_at * 1000).toLocaleTimeString();
  const box = document.getElementById("telemetry");
  const tel = live.telemetry;
  if (!tel) {
    box.replaceChildren(el("div", { class: "empty-state" }, "No hardware telemetry is being sampled by this tierd."));
    document.getElementById("telemetry-hint").textContent = "";
    return;
  }
  document.getElementById("telemetry-hint").textContent = `source ${tel.source}`;
  const gib = (b) => (b === null || b === undefined ? "—" : (b / 2 ** 30).toFixed(1) + " GiB");
  const cards = tel.gpus.map((g) => el("div", { class: "device" }, el("h3", {}, `GPU ${g.index} · ${g.name}`),
    el("p", {}, "utilisation ", kvBar(g.utilization_pct === null ? null : g.utilization_pct / 100)),
    el("p", {}, `memory ${gib(g.memory_used_bytes)} of ${gib(g.memory_total_bytes)}`),
    el("p", {}, `power ${g.power_watts === null ? "—" : g.power_watts.toFixed(0) + " W"}` +
      ` · ${g.temperature_c === null ? "—" : g.temperature_c.toFixed(0) + " °C"}`),
    el("p", {}, "replicas " + ((live.gpu_map || {})[String(g.index)] || ["none known"]).join(", ")),
    el("p", { class: "hint" }, (live.hot_gpus || {})[String(g.index)] || "not hot")));
  if (tel.cpu) {
    const c = tel.cpu;
    cards.push(el("div", { class: "device" }, el("h3", {}, `CPU · ${c.cores} cores`),
      el("p", {}, "utilisation ", kvBar(c.utilization_pct / 100)),
      el("p", {}, `memory ${gib(c.memory_used_bytes)} of ${gib(c.memory_total_bytes)}`),
      el("p", {}, `load average ${c.load_avg_1m.toFixed(2)}`)));
  }
  box.replaceChildren(el("div", { class: "telemetry-grid" }, ...cards));
}

// ---- polling ------------------------------------------------------------------------------
// With API keys on, the data API wants one; it is kept for this browser tab only.
const KEY_STORE = "tierd-dashboard-key";
async function getJson(url) {
  const key = sessionStorage.getItem(KEY_STORE);
  const headers = key ? { Authorization: `Bearer ${key}` } : {};
  const response = await fetch(url, { cache: "no-store", headers });
  if (response.status === 401) {
    const entered = window.prompt("This tierd requires an API key (tierd keys create). Key:");
    if (entered) {
      sessionStorage.setItem(KEY_STORE, entered.trim());
      return getJson(url);
    }
  }
  const body = await response.json();
  if (!response.ok) throw new Error(body.error ? body.error.message : `HTTP ${response.status}`);
  return body;
}
async function refresh() {
  const status = document.getElementById("status");
  const wanted = state.window;
  try {
    const [overview, live] = await Promise.all([
      getJson(`/dashboard/api/overview?since=${encodeURIComponent(state.window)}`),
      getJson("/dashboard/api/live"),
    ]);
    if (wanted !== state.window) return; // the window changed while this answer was on its way
    const doc = overview.usage;
    state.tierOrder = live.tiers.map((t) => t.name);
    state.tierOrder.forEach(colorOf);
    const notice = document.getElementById("ledger-notice");
    notice.classList.toggle("hidden", overview.ledger.ready);
    notice.textContent = overview.ledger.ready ? "" :
      `No ledger yet at ${overview.ledger.location}: figures appear once tierd has recorded requests.`;
    drawKpis(doc.totals);
    drawCostChart(overview.series);
    drawLatency(doc);
    drawTiers(doc);
    drawRecent(overview.recent);
    drawLive(live);
    status.className = "status";
    status.textContent = `${fmtTime(doc.since)} → ${fmtTime(doc.until)} UTC · updated ${new Date().toLocaleTimeString()}`;
    document.body.setAttribute("data-loaded", state.window);
  } catch (error) {
    status.className = "status error";
    status.textContent = "could not load: " + error.message;
  }
}
for (const button of document.querySelectorAll("[data-window]")) {
  button.addEventListener("click", () => {
    state.window = button.getAttribute("data-window");
    document.querySelectorAll("[data-window]").forEach((b) => b.classList.toggle("active", b === button));
    document.body.removeAttribute("data-loaded");
    refresh();
  });
}
// The next poll starts POLL_MS after the previous one ended: a slow ledger never piles requests up.
async function poll() {
  await refresh();
  setTimeout(poll, POLL_MS);
}
poll();
