// Leads (local store): lists the demo site's leads through the Leadcap admin API.
// Every value that comes from the API is rendered with textContent, never as HTML.

const SITE = "demo";
const LIMIT = 100;
const REFRESH_MS = 5000;
const TIMEOUT_MS = 8000;
const TOKEN_KEY = "leadcap-demo-admin-token";
const UNAUTHORIZED = "Wrong or missing admin token";

const $ = (selector) => document.querySelector(selector);

const els = {
  form: $("#controls"),
  token: $("#token"),
  refresh: $("#refresh"),
  auto: $("#auto-refresh"),
  status: $("#status"),
  updated: $("#updated"),
  table: $("#leads"),
  tbody: $("#leads tbody"),
  empty: $("#empty"),
  more: $("#more"),
  detail: $("#lead-detail"),
  detailTitle: $("#detail-title"),
  detailClose: $("#detail-close"),
  detailScore: $("#detail-score"),
  detailReasons: $("#detail-reasons"),
  detailFirst: $("#detail-first-touch"),
  detailLast: $("#detail-last-touch"),
  detailEngagement: $("#detail-engagement"),
};

/** A value the dev server did not template stays as its `%PLACEHOLDER%`: treat it as absent. */
function templated(value) {
  const v = (value ?? "").trim();
  return /^%[A-Z_]+%$/.test(v) ? "" : v;
}

function edgeOrigin() {
  const source = document.querySelector("script[data-edge]")?.dataset.edge ?? document.body.dataset.edge;
  return templated(source).replace(/\/+$/, "");
}

const EDGE = edgeOrigin();

// ---- token -------------------------------------------------------------------------------------

function initToken() {
  const prefilled = templated(els.token.value);
  let stored = "";
  try {
    stored = sessionStorage.getItem(TOKEN_KEY) ?? "";
  } catch {
    // storage unavailable (privacy mode): the field alone is fine
  }
  els.token.value = stored || prefilled;
}

function saveToken() {
  try {
    const token = els.token.value.trim();
    if (token && token !== templated(els.token.defaultValue)) sessionStorage.setItem(TOKEN_KEY, token);
    else sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    // ignore
  }
}

// ---- status ------------------------------------------------------------------------------------

function setStatus(message, kind = "info") {
  // Only touch the live region when the message changes, so polling does not chatter.
  if (els.status.textContent !== message) els.status.textContent = message;
  els.status.dataset.kind = kind;
}

const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" });
const clockFormat = new Intl.DateTimeFormat(undefined, { timeStyle: "medium" });

function formatTime(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? String(iso ?? "") : timeFormat.format(date);
}

function text(value) {
  if (value === undefined || value === null || value === "") return "";
  return typeof value === "string" ? value : String(value);
}

// ---- fetching ----------------------------------------------------------------------------------

let inFlight = null;

class ApiError extends Error {
  constructor(message, status, code) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

async function fetchLeads(token) {
  const url = new URL("/v1/admin/leads", EDGE);
  url.searchParams.set("site", SITE);
  url.searchParams.set("limit", String(LIMIT));
  const headers = { Accept: "application/json" };
  if (token) headers.Authorization = `Bearer ${token}`;

  inFlight?.abort();
  const controller = new AbortController();
  inFlight = controller;
  const timer = setTimeout(() => controller.abort(new DOMException("Timed out", "TimeoutError")), TIMEOUT_MS);
  let response;
  try {
    response = await fetch(url, { headers, cache: "no-store", signal: controller.signal });
  } catch (error) {
    if (controller.signal.reason?.name === "TimeoutError") {
      throw new ApiError(`The edge at ${EDGE} did not answer within ${TIMEOUT_MS / 1000} s.`, 0, "timeout");
    }
    if (error?.name === "AbortError") throw error;
    throw new ApiError(`Cannot reach the edge at ${EDGE}. Is it running?`, 0, "network");
  } finally {
    clearTimeout(timer);
    if (inFlight === controller) inFlight = null;
  }

  if (response.status === 401) throw new ApiError(UNAUTHORIZED, 401, "unauthorized");
  let body = null;
  try {
    body = await response.json();
  } catch {
    // not JSON: handled below
  }
  if (!response.ok) {
    const err = body?.error;
    const message = err?.message
      ? `${err.message}${err.code ? ` (${err.code})` : ""}`
      : `HTTP ${response.status}`;
    throw new ApiError(`Could not load leads: ${message}`, response.status, err?.code);
  }
  if (!body || !Array.isArray(body.leads))
    throw new ApiError("Could not load leads: unexpected answer.", response.status);
  return body;
}

// ---- table -------------------------------------------------------------------------------------

const COLUMNS = [
  { cls: "created", render: (td, lead) => renderTime(td, lead.createdAt) },
  { cls: "email", render: (td, lead) => renderEmail(td, lead) },
  { cls: "name", render: (td, lead) => setText(td, text(lead.fields?.name)) },
  { cls: "company", render: (td, lead) => setText(td, text(lead.fields?.company)) },
  { cls: "score num", render: (td, lead) => setText(td, text(lead.score)) },
  { cls: "temperature", render: (td, lead) => renderBadge(td, lead.temperature) },
  { cls: "stage", render: (td, lead) => setText(td, text(lead.stage)) },
  { cls: "utm-source", render: (td, lead) => setText(td, text(lead.lastTouch?.utm_source) || "—") },
  { cls: "submissions num", render: (td, lead) => setText(td, text(lead.submissionCount)) },
];

function setText(node, value) {
  if (node.textContent !== value) node.textContent = value;
}

function renderTime(td, iso) {
  let time = td.firstElementChild;
  if (!time) {
    time = document.createElement("time");
    td.append(time);
  }
  const value = text(iso);
  if (time.dateTime !== value) time.dateTime = value;
  setText(time, formatTime(iso));
}

function renderEmail(td, lead) {
  // A button keeps rows reachable and operable from the keyboard; the cell's text is the email.
  let button = td.firstElementChild;
  if (!button) {
    button = document.createElement("button");
    button.type = "button";
    button.className = "row-button";
    button.setAttribute("aria-controls", "lead-detail");
    td.append(button);
  }
  setText(button, text(lead.email));
  button.setAttribute("aria-expanded", String(lead.id === selectedId));
}

function renderBadge(td, temperature) {
  const value = text(temperature);
  let badge = td.firstElementChild;
  if (!badge) {
    badge = document.createElement("span");
    td.append(badge);
  }
  const known = ["cold", "warm", "hot"].includes(value) ? value : "unknown";
  badge.className = `badge badge-${known}`;
  setText(badge, value || "—");
}

/** Row elements by lead id: rows are updated in place so polling keeps focus and selection. */
const rows = new Map();

function buildRow() {
  const tr = document.createElement("tr");
  for (const column of COLUMNS) {
    const td = document.createElement("td");
    td.className = column.cls;
    tr.append(td);
  }
  return tr;
}

function renderTable(leads) {
  const seen = new Set();
  const order = [];
  for (const lead of leads) {
    const id = text(lead?.id);
    if (!id || seen.has(id)) continue;
    seen.add(id);
    let tr = rows.get(id);
    if (!tr) {
      tr = buildRow();
      tr.dataset.leadId = id;
      rows.set(id, tr);
    }
    COLUMNS.forEach((column, i) => {
      column.render(tr.children[i], lead);
    });
    tr.classList.toggle("selected", id === selectedId);
    if (id === selectedId) tr.setAttribute("aria-current", "true");
    else tr.removeAttribute("aria-current");
    order.push(tr);
  }
  for (const [id, tr] of rows) {
    if (!seen.has(id)) {
      tr.remove();
      rows.delete(id);
    }
  }
  // Move rows only when the order changed; moving a node drops focus, so put it back.
  const current = Array.from(els.tbody.children);
  const same = current.length === order.length && current.every((tr, i) => tr === order[i]);
  if (!same) {
    const focused = els.tbody.contains(document.activeElement) ? document.activeElement : null;
    els.tbody.append(...order);
    if (focused?.isConnected && document.activeElement !== focused) focused.focus({ preventScroll: true });
  }

  els.empty.hidden = order.length > 0;
}

function clearTable() {
  for (const tr of rows.values()) tr.remove();
  rows.clear();
  els.empty.hidden = true;
  els.more.hidden = true;
  leadsById.clear();
  hideDetail();
}

// ---- detail ------------------------------------------------------------------------------------

let selectedId = null;
const leadsById = new Map();

function dlRows(dl, pairs) {
  dl.replaceChildren();
  for (const [term, value] of pairs) {
    if (value === "" || value === undefined || value === null) continue;
    const dt = document.createElement("dt");
    dt.textContent = term;
    const dd = document.createElement("dd");
    dd.textContent = value;
    dl.append(dt, dd);
  }
  if (!dl.children.length) {
    const dt = document.createElement("dt");
    dt.textContent = "Recorded";
    const dd = document.createElement("dd");
    dd.className = "muted";
    dd.textContent = "nothing";
    dl.append(dt, dd);
  }
}

function touchPairs(touch) {
  if (!touch || typeof touch !== "object") return [];
  const clickIds =
    touch.clickIds && typeof touch.clickIds === "object"
      ? Object.entries(touch.clickIds)
          .map(([k, v]) => `${k}=${text(v)}`)
          .join(", ")
      : "";
  return [
    ["utm_source", text(touch.utm_source)],
    ["utm_medium", text(touch.utm_medium)],
    ["utm_campaign", text(touch.utm_campaign)],
    ["utm_term", text(touch.utm_term)],
    ["utm_content", text(touch.utm_content)],
    ["Click ids", clickIds],
    ["Referrer", text(touch.referrer) || "(direct)"],
    ["Landing page", text(touch.landingPage)],
    ["At", touch.at ? formatTime(touch.at) : ""],
  ];
}

function engagementPairs(engagement) {
  if (!engagement || typeof engagement !== "object") return [];
  const seconds = Number(engagement.activeTimeMs);
  return [
    ["Active time", Number.isFinite(seconds) ? `${Math.round(seconds / 100) / 10} s` : ""],
    ["Max scroll", engagement.maxScrollPct !== undefined ? `${text(engagement.maxScrollPct)}%` : ""],
    ["Page views", text(engagement.pageViews)],
    ["Visits", text(engagement.visits)],
  ];
}

function renderDetail(lead) {
  const name = text(lead.fields?.name);
  els.detailTitle.textContent = name ? `${name} <${text(lead.email)}>` : text(lead.email) || "Lead";

  els.detailScore.replaceChildren();
  const score = document.createElement("strong");
  score.textContent = `Score ${text(lead.score)}`;
  const badge = document.createElement("span");
  const temperature = text(lead.temperature);
  badge.className = `badge badge-${["cold", "warm", "hot"].includes(temperature) ? temperature : "unknown"}`;
  badge.textContent = temperature || "—";
  const stage = document.createElement("span");
  stage.className = "stage-chip";
  stage.textContent = text(lead.stage);
  els.detailScore.append(score, " ", badge, " ", stage);

  els.detailReasons.replaceChildren();
  const reasons = Array.isArray(lead.reasons) ? lead.reasons : [];
  if (!reasons.length) {
    const li = document.createElement("li");
    li.className = "muted";
    li.textContent = "No scoring rule fired.";
    els.detailReasons.append(li);
  }
  for (const reason of reasons) {
    const li = document.createElement("li");
    li.dataset.rule = text(reason?.rule);
    const label = document.createElement("span");
    label.className = "reason-label";
    label.textContent = text(reason?.label) || text(reason?.rule);
    const points = document.createElement("span");
    const n = Number(reason?.points);
    points.className = `reason-points ${n < 0 ? "negative" : "positive"}`;
    points.textContent = Number.isFinite(n) ? `${n > 0 ? "+" : ""}${n}` : text(reason?.points);
    li.append(label, points);
    els.detailReasons.append(li);
  }

  dlRows(els.detailFirst, touchPairs(lead.firstTouch));
  dlRows(els.detailLast, touchPairs(lead.lastTouch));
  dlRows(els.detailEngagement, [
    ...engagementPairs(lead.engagement),
    ["Submissions", text(lead.submissionCount)],
    ["Form", text(lead.form)],
    ["Created", lead.createdAt ? formatTime(lead.createdAt) : ""],
    ["Updated", lead.updatedAt ? formatTime(lead.updatedAt) : ""],
    ["Lead id", text(lead.id)],
  ]);
  els.detail.hidden = false;
}

function select(id, { focus = false } = {}) {
  const lead = leadsById.get(id);
  if (!lead) return;
  selectedId = id;
  for (const [rowId, tr] of rows) {
    const on = rowId === id;
    tr.classList.toggle("selected", on);
    if (on) tr.setAttribute("aria-current", "true");
    else tr.removeAttribute("aria-current");
    tr.querySelector(".row-button")?.setAttribute("aria-expanded", String(on));
  }
  renderDetail(lead);
  if (focus) {
    els.detail.scrollIntoView({ block: "nearest", behavior: "smooth" });
  }
}

function hideDetail() {
  selectedId = null;
  els.detail.hidden = true;
  for (const tr of rows.values()) {
    tr.classList.remove("selected");
    tr.removeAttribute("aria-current");
    tr.querySelector(".row-button")?.setAttribute("aria-expanded", "false");
  }
}

// ---- refresh loop ------------------------------------------------------------------------------

let lastOkAt = null;

async function refresh() {
  if (!EDGE) {
    setStatus("The edge origin is not set (data-edge). Open this page through the dev server.", "error");
    return;
  }
  const token = els.token.value.trim();
  els.table.setAttribute("aria-busy", "true");
  try {
    const body = await fetchLeads(token);
    const leads = body.leads.filter((lead) => lead && typeof lead === "object");
    leadsById.clear();
    for (const lead of leads) leadsById.set(text(lead.id), lead);
    renderTable(leads);
    els.more.hidden = !body.nextCursor;
    if (selectedId && leadsById.has(selectedId)) renderDetail(leadsById.get(selectedId));
    else if (selectedId) hideDetail();
    setStatus(`${leads.length} ${leads.length === 1 ? "lead" : "leads"}`, "ok");
    lastOkAt = new Date();
    els.updated.textContent = `Updated ${clockFormat.format(lastOkAt)}`;
  } catch (error) {
    if (error?.name === "AbortError") return; // superseded by a newer request
    if (error instanceof ApiError && error.status === 401) clearTable();
    setStatus(error instanceof ApiError ? error.message : `Could not load leads: ${error}`, "error");
  } finally {
    els.table.removeAttribute("aria-busy");
  }
}

let timer = null;

function schedule() {
  clearInterval(timer);
  timer = null;
  if (els.auto.checked) {
    timer = setInterval(() => {
      if (document.visibilityState === "visible" && !inFlight) refresh();
    }, REFRESH_MS);
  }
}

// ---- wiring ------------------------------------------------------------------------------------

els.form.addEventListener("submit", (event) => {
  event.preventDefault();
  saveToken();
  refresh();
  schedule(); // restart the 5 s period from this manual refresh
});

els.token.addEventListener("change", saveToken);
els.auto.addEventListener("change", schedule);

els.tbody.addEventListener("click", (event) => {
  const tr = event.target instanceof Element ? event.target.closest("tr[data-lead-id]") : null;
  if (!tr) return;
  // Let people select text in a row without opening it.
  if (!(event.target instanceof HTMLButtonElement) && window.getSelection()?.toString()) return;
  select(tr.dataset.leadId, { focus: true });
});

els.detailClose.addEventListener("click", () => {
  const id = selectedId;
  hideDetail();
  rows.get(id)?.querySelector(".row-button")?.focus();
});

document.addEventListener("keydown", (event) => {
  if (event.key === "Escape" && selectedId && !els.detail.hidden) {
    const id = selectedId;
    hideDetail();
    rows.get(id)?.querySelector(".row-button")?.focus();
  }
});

document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible" && els.auto.checked) refresh();
});

if (EDGE) $("#edge-origin").textContent = EDGE;
initToken();
refresh();
schedule();
