/**
 * The widget's network port: load a form's public config and submit a lead. `fetch` is injected so
 * tests fake the network here and nowhere else.
 */
import type { PublicFormConfig } from "../../shared/api/sites.ts";
import type { ErrorBody, FieldErrors } from "../../shared/errors.ts";
import type { Page, SubmitAnswer } from "../../shared/lead.ts";

/** The one slice of `fetch` the widget uses. */
export type Fetch = (url: string, init?: RequestInit) => Promise<Response>;

/**
 * The page's fetch as it was when this script ran (a library loaded later that replaces it changes
 * nothing here), called with `window` as `this`, as it must be.
 */
const pageFetch = fetch;
export const browserFetch: Fetch = (url, init) => pageFetch.call(window, url, init);

/** A hung request must not leave the form disabled for ever; a retry reuses the submission id. */
export const SUBMIT_TIMEOUT_MS = 15_000;

/** `siteUrl`: the site's public settings, `<endpoint>/v1/sites/<site>`; its forms are under it. */
export async function loadFormConfig(
  siteUrl: string,
  form: string,
  fetchImpl: Fetch,
): Promise<Pick<PublicFormConfig, "form"> & Partial<PublicFormConfig>> {
  // The page's language: the edge answers with the form's translation for it, if there is one.
  const lang = document.documentElement.lang;
  const url = `${siteUrl}/forms/${encodeURIComponent(form)}${lang ? `?lang=${encodeURIComponent(lang)}` : ""}`;
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
  /**
   * Refused (4xx): never resent. With `fields` from 400/422, each message goes next to its field;
   * `code` says why otherwise (the visitor reads a plain sentence for it, never the edge's message).
   */
  | { kind: "invalid"; fields: FieldErrors; code: string; message: string }
  /**
   * Not stored yet, safe to retry with the same id, after `retryAfter` s: the network (no `status`),
   * or the edge answered 408, 429, 5xx, or 403 `origin_not_allowed` (the site has not allowed this
   * page's origin yet: kept until it does).
   */
  | { kind: "failed"; status?: number; retryAfter?: number };

/**
 * Sends one submission (a JSON string, as the outbox keeps it). Never throws, and always settles: a
 * page's fetch wrapper that ignores the abort signal cannot hold the form in "sending" for ever.
 */
export async function submitLead(
  endpoint: string,
  submission: string,
  fetchImpl: Fetch = browserFetch,
  timeoutMs = SUBMIT_TIMEOUT_MS,
): Promise<SubmitResult> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const response = await Promise.race([
      fetchImpl(`${endpoint}/v1/answers`, {
        method: "POST",
        // text/plain keeps this a CORS "simple request": no preflight round trip before the lead.
        headers: { "Content-Type": "text/plain;charset=UTF-8" },
        body: submission,
        credentials: "omit",
        signal: AbortSignal.timeout?.(timeoutMs),
      }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(reject, timeoutMs * 2);
      }),
    ]);
    const body = await response.json().catch(() => undefined);
    const { status } = response;
    const error = (body as Partial<ErrorBody> | undefined)?.error;
    if (response.ok) return { kind: "sent", answer: body as SubmitAnswer | undefined };
    if (
      status >= 400 &&
      status < 500 &&
      status !== 408 &&
      status !== 429 &&
      error?.code !== "origin_not_allowed"
    ) {
      return {
        kind: "invalid",
        fields: error?.fields ?? {},
        code: error?.code ?? "",
        message: error?.message ?? `HTTP ${status}`,
      };
    }
    const retryAfter = Number(response.headers?.get("Retry-After"));
    return { kind: "failed", status, retryAfter: retryAfter > 0 ? retryAfter : undefined };
  } catch {
    return { kind: "failed" };
  } finally {
    clearTimeout(timer);
  }
}

/** How long a fetch may stay unanswered before the same request also goes through XMLHttpRequest. */
export const FALLBACK_MS = 10_000;

/**
 * `fetchImpl`, or XMLHttpRequest where it fails: a page's fetch wrapper that throws, rejects what
 * the network would carry, or never answers (offline-first wrappers, broken polyfills) must not keep
 * a lead from the edge. Both may arrive; the submission id makes that one lead.
 */
export const withFallback =
  (fetchImpl: Fetch): Fetch =>
  (url, init = {}) =>
    new Promise((resolve, reject) => {
      let started = false;
      const other = () => {
        if (started) return;
        started = true;
        try {
          const xhr = new XMLHttpRequest();
          xhr.open(init.method ?? "GET", url);
          xhr.setRequestHeader("Content-Type", "text/plain;charset=UTF-8");
          xhr.timeout = SUBMIT_TIMEOUT_MS;
          xhr.onload = () =>
            resolve(
              new Response(xhr.status === 204 ? null : xhr.responseText, {
                status: xhr.status,
                headers: { "Retry-After": xhr.getResponseHeader("Retry-After") ?? "" },
              }),
            );
          xhr.onerror = xhr.ontimeout = reject;
          xhr.send(init.body as string);
        } catch (error) {
          reject(error);
        }
      };
      const timer = setTimeout(other, FALLBACK_MS);
      try {
        fetchImpl(url, init).then((response) => {
          clearTimeout(timer);
          resolve(response);
        }, other);
      } catch {
        other();
      }
    });
