/**
 * The widget's network port: load a form's public config and submit a lead. `fetch` is injected so
 * tests fake the network here and nowhere else.
 */
import type { PublicFormConfig } from "../../shared/config.ts";
import type { ErrorBody, FieldErrors } from "../../shared/errors.ts";
import type { Page, SubmitAnswer } from "../../shared/lead.ts";

/** The one slice of `fetch` the widget uses. */
export type Fetch = (url: string, init?: RequestInit) => Promise<Response>;

/** `window.fetch` must be called with `window` as `this`, so it is wrapped rather than passed. */
export const browserFetch: Fetch = (url, init) => fetch(url, init);

/** A hung request must not leave the form disabled for ever; a retry reuses the submission id. */
export const SUBMIT_TIMEOUT_MS = 15_000;

export async function loadFormConfig(
  endpoint: string,
  site: string,
  form: string,
  fetchImpl: Fetch = browserFetch,
): Promise<Pick<PublicFormConfig, "form"> & Partial<PublicFormConfig>> {
  // The page's language: the edge answers with the form's translation for it, if there is one.
  const lang = document.documentElement.lang;
  const url = `${endpoint}/v1/sites/${encodeURIComponent(site)}/forms/${encodeURIComponent(form)}${lang ? `?lang=${encodeURIComponent(lang)}` : ""}`;
  const response = await fetchImpl(url, { credentials: "omit" });
  const body = response.ok ? ((await response.json()) as Partial<PublicFormConfig> | null) : undefined;
  if (!Array.isArray(body?.form?.fields)) throw Error(`HTTP ${response.status}`);
  return body as PublicFormConfig; // with the site's tracking settings (an older edge: without)
}

/** Idempotency key: the edge dedupes on it, so a retry of the same attempt must reuse it. */
export function newSubmissionId(): string {
  // randomUUID exists only in secure contexts (https); getRandomValues everywhere.
  return (
    crypto.randomUUID?.() ??
    Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("")
  );
}

/** The page the form is on, cut to the lengths the edge accepts. */
export function currentPage(): Page {
  const page: Page = { url: location.href.slice(0, 2000) };
  if (document.title) page.title = document.title.slice(0, 500);
  const language = document.documentElement.lang;
  if (language) page.language = language.slice(0, 35);
  return page;
}

export type SubmitResult =
  /** Stored (201) or recognised as already stored (200). */
  | { kind: "sent"; answer: SubmitAnswer | undefined }
  /** Refused (4xx): never resent. With `fields` from 400/422, each message goes next to its field. */
  | { kind: "invalid"; fields: FieldErrors; message: string }
  /** Network down, timeout, 408, 429, 5xx: safe to retry with the same id, after `retryAfter` s. */
  | { kind: "failed"; status?: number; retryAfter?: number };

/** Sends one submission (a JSON string, as the outbox keeps it). Never throws. */
export async function submitLead(
  endpoint: string,
  submission: string,
  fetchImpl: Fetch = browserFetch,
  timeoutMs = SUBMIT_TIMEOUT_MS,
): Promise<SubmitResult> {
  try {
    const response = await fetchImpl(`${endpoint}/v1/leads`, {
      method: "POST",
      // text/plain keeps this a CORS "simple request": no preflight round trip before the lead.
      headers: { "Content-Type": "text/plain;charset=UTF-8" },
      body: submission,
      credentials: "omit",
      signal: AbortSignal.timeout?.(timeoutMs),
    });
    const body = await response.json().catch(() => undefined);
    const { status } = response;
    if (response.ok) return { kind: "sent", answer: body as SubmitAnswer | undefined };
    if (status >= 400 && status < 500 && status !== 408 && status !== 429) {
      const error = (body as Partial<ErrorBody> | undefined)?.error;
      return { kind: "invalid", fields: error?.fields ?? {}, message: error?.message ?? `HTTP ${status}` };
    }
    const retryAfter = Number(response.headers.get("Retry-After"));
    return { kind: "failed", status, retryAfter: retryAfter > 0 ? retryAfter : undefined };
  } catch {
    return { kind: "failed" };
  }
}
