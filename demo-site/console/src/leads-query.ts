/**
 * The leads list's filter: parsed from and written to the URL, sent to the admin API as query
 * parameters. While an edge does not filter yet (its answer has no `total`), the same filter runs
 * here over the site's newest leads, so the screen behaves the same against an older edge.
 */
import { ApiFailure, api, apiText, type Lead, query } from "./api.ts";

export const TEMPERATURES = ["cold", "warm", "hot"] as const;
export const STAGES = ["IQL", "MQL", "SQL", "PQL", "customer"] as const;
/** The default channel grouping (shared/channels.ts); sites may add their own, picked from metrics. */
export const CHANNELS = [
  "paid_search",
  "organic_search",
  "paid_social",
  "organic_social",
  "email",
  "display",
  "video",
  "affiliate",
  "referral",
  "content",
  "product",
  "outbound",
  "direct",
  "other",
] as const;
export const SORTS = ["-created", "created", "-score", "score"] as const;
export type Sort = (typeof SORTS)[number];
export const PAGE_SIZES = [25, 50, 100, 200] as const;

export interface LeadFilter {
  q: string;
  temperature: string[];
  stage: string[];
  form: string;
  channel: string;
  /** Created on or after this UTC day (YYYY-MM-DD). */
  from: string;
  /** Created on or before this UTC day. */
  to: string;
  minScore: string;
  maxScore: string;
  sort: Sort;
}

const list = (value: string | null) => (value ? value.split(",").filter(Boolean) : []);

export function filterFromParams(params: URLSearchParams): LeadFilter {
  const sort = params.get("sort") as Sort | null;
  return {
    q: params.get("q") ?? "",
    temperature: list(params.get("temperature")).filter((t) =>
      (TEMPERATURES as readonly string[]).includes(t),
    ),
    stage: list(params.get("stage")).filter((s) => (STAGES as readonly string[]).includes(s)),
    form: params.get("form") ?? "",
    channel: params.get("channel") ?? "",
    from: params.get("from") ?? "",
    to: params.get("to") ?? "",
    minScore: params.get("minScore") ?? "",
    maxScore: params.get("maxScore") ?? "",
    sort: sort && SORTS.includes(sort) ? sort : "-created",
  };
}

/** The filter as query parameters (for the URL and the API), leaving out what is not set. */
export function filterParams(filter: LeadFilter): Record<string, string | undefined> {
  return {
    q: filter.q.trim() || undefined,
    temperature: filter.temperature.join(",") || undefined,
    stage: filter.stage.join(",") || undefined,
    form: filter.form || undefined,
    channel: filter.channel || undefined,
    from: filter.from || undefined,
    to: filter.to || undefined,
    minScore: filter.minScore || undefined,
    maxScore: filter.maxScore || undefined,
    sort: filter.sort === "-created" ? undefined : filter.sort,
  };
}

export function isFiltered(filter: LeadFilter): boolean {
  const { sort: _, ...rest } = filterParams(filter);
  return Object.values(rest).some((v) => v !== undefined);
}

/** The lead's display name: its name (or first + last), else nothing. */
export function leadName(lead: Lead): string {
  const f = lead.fields;
  const name = typeof f.name === "string" ? f.name : "";
  if (name) return name;
  return [f.firstName ?? f.first_name, f.lastName ?? f.last_name]
    .filter((v) => typeof v === "string" && v)
    .join(" ");
}

export const leadCompany = (lead: Lead) =>
  typeof lead.fields.company === "string" ? lead.fields.company : "";

/** The client-side twin of the edge's filter (used only while the edge does not filter). */
export function matches(lead: Lead, filter: LeadFilter): boolean {
  const q = filter.q.trim().toLowerCase();
  if (q && ![lead.email, leadName(lead), leadCompany(lead)].some((v) => v.toLowerCase().includes(q)))
    return false;
  if (filter.temperature.length && !filter.temperature.includes(lead.temperature)) return false;
  if (filter.stage.length && !filter.stage.includes(lead.stage)) return false;
  if (filter.form && lead.form !== filter.form) return false;
  if (filter.channel && (lead.firstTouch.channel ?? "other") !== filter.channel) return false;
  const day = lead.createdAt.slice(0, 10);
  if (filter.from && day < filter.from) return false;
  if (filter.to && day > filter.to) return false;
  if (filter.minScore !== "" && lead.score < Number(filter.minScore)) return false;
  if (filter.maxScore !== "" && lead.score > Number(filter.maxScore)) return false;
  return true;
}

export function compareLeads(sort: Sort): (a: Lead, b: Lead) => number {
  const sign = sort.startsWith("-") ? -1 : 1;
  const key = sort.replace(/^-/, "");
  return (a, b) => {
    const primary =
      key === "score"
        ? a.score - b.score
        : a.createdAt < b.createdAt
          ? -1
          : a.createdAt > b.createdAt
            ? 1
            : 0;
    return sign * (primary || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  };
}

export interface LeadsPage {
  leads: Lead[];
  nextCursor: string | null;
  /** Leads matching the filter, when known. */
  total?: number;
  /** Filtered in the browser (the edge does not filter yet), over at most SCAN_LIMIT newest leads. */
  clientSide?: { scanned: number; truncated: boolean };
}

/** The most leads the browser fallback reads to filter (20 requests of 500). */
export const SCAN_LIMIT = 10_000;

let scanned: { site: string; at: number; leads: Lead[]; truncated: boolean } | null = null;
/** True once an answer showed the edge filters itself (it carries `total`). */
let edgeFilters: boolean | null = null;

async function scan(site: string, signal?: AbortSignal): Promise<{ leads: Lead[]; truncated: boolean }> {
  if (scanned && scanned.site === site && Date.now() - scanned.at < 15_000) return scanned;
  const leads: Lead[] = [];
  let cursor: string | null = null;
  do {
    const page: { leads: Lead[]; nextCursor: string | null } = await api(
      `/v1/admin/leads${query({ site, limit: 500, cursor })}`,
      { signal },
    );
    leads.push(...page.leads);
    cursor = page.nextCursor;
  } while (cursor && leads.length < SCAN_LIMIT);
  scanned = { site, at: Date.now(), leads, truncated: cursor !== null };
  return scanned;
}

/** Forget the browser-side copy (after a stage change, say). */
export function invalidateLeads(): void {
  scanned = null;
}

export async function fetchLeads(
  site: string,
  filter: LeadFilter,
  limit: number,
  cursor: string | null,
  signal?: AbortSignal,
): Promise<LeadsPage> {
  const local = cursor?.startsWith("local:");
  if (!local && edgeFilters !== false) {
    const page = await api<LeadsPage>(
      `/v1/admin/leads${query({ site, limit, cursor, ...filterParams(filter) })}`,
      { signal },
    );
    if (typeof page.total === "number") {
      edgeFilters = true;
      return page;
    }
    edgeFilters = false;
    // An edge without filters ignored them: an unfiltered, newest-first page is already right.
    if (!isFiltered(filter) && filter.sort === "-created") return page;
  } else if (!local && !isFiltered(filter) && filter.sort === "-created") {
    return api<LeadsPage>(`/v1/admin/leads${query({ site, limit, cursor })}`, { signal });
  }
  const all = await scan(site, signal);
  const found = all.leads.filter((lead) => matches(lead, filter)).sort(compareLeads(filter.sort));
  const offset = local ? Number(cursor!.slice("local:".length)) || 0 : 0;
  const end = offset + limit;
  return {
    leads: found.slice(offset, end),
    nextCursor: end < found.length ? `local:${end}` : null,
    total: found.length,
    clientSide: { scanned: all.leads.length, truncated: all.truncated },
  };
}

const CSV_COLUMNS = [
  "id",
  "createdAt",
  "email",
  "name",
  "company",
  "form",
  "score",
  "temperature",
  "stage",
  "channel",
  "utm_source",
  "utm_medium",
  "utm_campaign",
] as const;

function csvCell(value: string | number): string {
  let text = String(value);
  // Spreadsheet formula injection: a cell starting with = + - @ is text, not a formula.
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The browser fallback's CSV, for an edge without `/v1/admin/leads.csv`. */
export function leadsCsv(leads: Lead[]): string {
  const rows = leads.map((lead) =>
    [
      lead.id,
      lead.createdAt,
      lead.email,
      leadName(lead),
      leadCompany(lead),
      lead.form,
      lead.score,
      lead.temperature,
      lead.stage,
      lead.firstTouch.channel ?? "",
      lead.firstTouch.utm_source ?? "",
      lead.firstTouch.utm_medium ?? "",
      lead.firstTouch.utm_campaign ?? "",
    ].map(csvCell),
  );
  return `${[CSV_COLUMNS.join(","), ...rows.map((r) => r.join(","))].join("\r\n")}\r\n`;
}

/** Every lead matching the filter, as CSV: the edge's export, or built here from the same rows. */
export async function exportCsv(site: string, filter: LeadFilter): Promise<string> {
  const { sort, ...params } = filterParams(filter);
  try {
    return await apiText(`/v1/admin/leads.csv${query({ site, sort, ...params })}`);
  } catch (error) {
    // 404: an edge from before the CSV export; anything else is a real failure.
    if (!(error instanceof ApiFailure) || error.status !== 404) throw error;
  }
  const all = await scan(site);
  return leadsCsv(all.leads.filter((lead) => matches(lead, filter)).sort(compareLeads(filter.sort)));
}
