/**
 * The leads list's filter: parsed from and written to the URL, sent to the admin API, which filters,
 * sorts, counts and pages (by cursor) on the server, so a list of many thousands costs one page.
 */
import { api, apiText, type Lead, type LeadPage, query } from "./api.ts";
import { addDays } from "./format.ts";

const DAY = /^\d{4}-\d{2}-\d{2}$/;

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

/** The filter as the admin API takes it: its `to` is exclusive, the screen's is the last day shown. */
export function apiParams(filter: LeadFilter): Record<string, string | undefined> {
  const score = (value: string) => {
    if (value.trim() === "" || !Number.isFinite(Number(value))) return undefined;
    return String(Math.min(100, Math.max(0, Math.round(Number(value)))));
  };
  const params = filterParams(filter);
  return {
    ...params,
    to: params.to && DAY.test(params.to) ? addDays(params.to, 1) : undefined,
    from: params.from && DAY.test(params.from) ? params.from : undefined,
    minScore: score(filter.minScore),
    maxScore: score(filter.maxScore),
  };
}

export function fetchLeads(
  site: string,
  filter: LeadFilter,
  limit: number,
  cursor: string | null,
  signal?: AbortSignal,
): Promise<LeadPage> {
  return api<LeadPage>(`/v1/admin/leads${query({ site, limit, cursor, ...apiParams(filter) })}`, { signal });
}

/** Every lead matching the filter, as the edge's CSV export. */
export function exportCsv(site: string, filter: LeadFilter): Promise<string> {
  return apiText(`/v1/admin/leads.csv${query({ site, ...apiParams(filter) })}`);
}

/** Saves the leads `filter` matches as `leads-<site>-<day>.csv` in the browser; how many were saved. */
export async function downloadCsv(site: string, filter: LeadFilter): Promise<number> {
  const csv = await exportCsv(site, filter);
  const url = URL.createObjectURL(new Blob([csv], { type: "text/csv" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = `leads-${site}-${new Date().toISOString().slice(0, 10)}.csv`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return Math.max(csv.trim().split(/\r?\n/).length - 1, 0);
}
