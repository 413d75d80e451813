/**
 * The no-JS fallback: a plain HTML `<form method="post" action="…/v1/leads">` posting
 * `application/x-www-form-urlencoded`. Values are typed by the form config (boxes, lists, numbers),
 * attribution comes from the Referer (the page the form was on), the body goes through the same
 * lenient parse as the widget's (pipeline/repair.ts), and the visitor is redirected
 * (303) to a thank-you page on the site, or shown a readable page of what to correct.
 *
 * Every answer to a form post is for the person who pressed the button, never JSON, errors included
 * (an unknown site is a 404 page, not a 404 body a browser would print as code): the OpenAPI document
 * lists `text/html` beside `application/json` for those answers. Programs post JSON.
 *
 *   <form method="post" action="https://edge.example/v1/leads">
 *     <input type="hidden" name="site" value="demo">
 *     <input type="hidden" name="form" value="contact">
 *     <input type="hidden" name="redirect" value="https://www.example.com/thanks">   (optional)
 *     …one input per form field, named as in the config…
 *   </form>
 */
import { type FormConfig, RESERVED_FIELD_NAMES, type SiteConfig } from "../../../shared/config.ts";
import type { FieldValue, LeadSubmission } from "../../../shared/lead.ts";
import { touchFromUrl } from "../../../shared/touch.ts";
import type { Env } from "../env.ts";
import type { ApiError } from "../errors.ts";
import { isOriginAllowed } from "../sites.ts";

export function isFormPost(request: Request): boolean {
  const type = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  return type === "application/x-www-form-urlencoded";
}

/** The hidden input Turnstile adds to a plain HTML form. */
const TURNSTILE_FIELD = "cf-turnstile-response";

function parseUrl(value: string | null | undefined): URL | undefined {
  if (!value) return undefined;
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

/** Turns the posted pairs into the submission the JSON API takes, typed by the form config. */
export function submissionFromForm(
  params: URLSearchParams,
  form: FormConfig,
  referer: string | null,
  now: Date,
): LeadSubmission {
  const fields: Record<string, FieldValue> = {};
  const known = new Set(form.fields.map((f) => f.name));
  for (const field of form.fields) {
    const values = params.getAll(field.name);
    switch (field.type) {
      case "checkbox":
      case "consent":
        // An unticked box is simply absent from a form post.
        fields[field.name] = values.length > 0 && values[0] !== "" && values[0] !== "false";
        break;
      case "checkboxes":
        fields[field.name] = values;
        break;
      case "number":
        if (values[0] !== undefined && values[0].trim() !== "") {
          const n = Number(values[0]);
          // Not a number: keep the text so validation says "Enter a number." for this field.
          fields[field.name] = Number.isFinite(n) ? n : values[0];
        }
        break;
      default:
        if (values[0] !== undefined) fields[field.name] = values[0];
    }
  }
  // Unknown names go through, so validation reports them instead of them vanishing.
  for (const [name, value] of params) {
    if (!known.has(name) && !RESERVED_FIELD_NAMES.has(name) && name !== TURNSTILE_FIELD) fields[name] = value;
  }

  const page = parseUrl(referer);
  const touch = touchFromUrl(page?.href ?? "", "", now);
  return {
    site: params.get("site") ?? "",
    form: params.get("form") ?? "",
    // A static HTML form cannot make a fresh id per submission: the edge does.
    submissionId: params.get("submissionId") || `nojs_${crypto.randomUUID()}`,
    fields,
    attribution: { firstTouch: touch, lastTouch: touch },
    engagement: { activeTimeMs: 0, maxScrollPct: 0 },
    page: { url: page?.href.slice(0, 2000) ?? "" },
    ...(params.get(TURNSTILE_FIELD) ? { turnstileToken: params.get(TURNSTILE_FIELD)! } : {}),
  };
}

/**
 * Where to send the visitor after a successful post: the `redirect` field or else the Referer, and
 * only to an origin the site allows, so the endpoint cannot be used as an open redirect.
 */
export function thankYouUrl(
  params: URLSearchParams,
  site: SiteConfig,
  env: Env,
  referer: string | null,
  origin: string | null = null,
): string | undefined {
  // Browsers send only the origin as Referer by default (strict-origin-when-cross-origin), so a
  // relative `redirect` ("/thanks") is resolved against the page's origin: Origin, else Referer.
  const base = [origin, referer].map(parseUrl).find((u) => u && isOriginAllowed(site, u.origin, env));
  const redirect = params.get("redirect");
  const candidates = [
    redirect?.startsWith("/") && !redirect.startsWith("//") && base
      ? new URL(redirect, base.origin).href
      : redirect,
    referer,
  ];
  for (const candidate of candidates) {
    const url = parseUrl(candidate);
    if (
      url &&
      (url.protocol === "https:" || url.protocol === "http:") &&
      isOriginAllowed(site, url.origin, env)
    ) {
      if (candidate === referer) url.searchParams.set("leadcap", "sent");
      return url.href;
    }
  }
  return undefined;
}

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );

/** A plain page for a person whose browser posted the fallback form. */
export function htmlPage(title: string, lines: string[], back: string | undefined): string {
  const items = lines.map((line) => `<li>${escapeHtml(line)}</li>`).join("");
  const link = back ? `<p><a href="${escapeHtml(back)}">Go back to the form</a></p>` : "";
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title></head><body><main><h1>${escapeHtml(title)}</h1>${items ? `<ul>${items}</ul>` : ""}${link}</main></body></html>`;
}

export function htmlError(error: ApiError, form: FormConfig | undefined, back: string | undefined): string {
  const label = (name: string) => form?.fields.find((f) => f.name === name)?.label || name;
  const lines = Object.entries(error.fields ?? {}).map(([name, message]) => `${label(name)}: ${message}`);
  return htmlPage(
    error.status >= 500 ? "Please try again" : "Please check the form",
    lines.length ? lines : [error.message],
    back,
  );
}
