/**
 * The lenient parse of a lead submission: the edge never refuses a lead over a signal.
 *
 * Only what names the site and form and what the person answered (`fields`) can make a body invalid.
 * The signals around the answers are the host page's doing, not the person's: a page with Prototype.js
 * (its `Array.prototype.toJSON`) sends every list as text, an old script sends numbers as strings, a
 * broken clock sends "soon". Each such value is repaired where the intent is clear (a list written as
 * JSON text or as a comma list, a number in a string, a count out of range, text too long, a touch
 * without a usable time, or no touch at all) or dropped, and every change is noted: the lead is kept,
 * and whoever reads it can see what arrived broken.
 *
 * Pure (the time comes in) and bounded by the body limit: it never recurses into what was sent.
 */
import type { FormConfig } from "../../../shared/config.ts";
import type { FieldErrors } from "../../../shared/errors.ts";
import { MAX_EVENTS_PER_BATCH, type WidgetEvent, WidgetEventSchema } from "../../../shared/events.ts";
import {
  type FieldValue,
  type LeadSubmission,
  LeadSubmissionSchema,
  MAX_REPAIR_NOTES,
  type Page,
  type RepairNote,
  SubmissionIdSchema,
} from "../../../shared/lead.ts";
import { type Engagement, EngagementSchema, type Touch, TouchSchema } from "../../../shared/signals.ts";
import { touchFromUrl, UTM_KEYS } from "../../../shared/touch.ts";
import { ApiError } from "../errors.ts";
import { fieldErrors } from "./validate.ts";

type Note = (path: string, action: RepairNote["action"], reason: string) => void;
type Json = Record<string, unknown>;

const WEEK_MS = 7 * 24 * 3600 * 1000;

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const isTextLike = (value: unknown) =>
  typeof value === "string" || typeof value === "number" || typeof value === "boolean";

/** What a value is, in the words a note uses. */
function kind(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return (
    { string: "text", number: "a number", boolean: "true or false" }[typeof value as string] ?? "an object"
  );
}

/** "missing", or "expected …, got …". */
const got = (value: unknown, expected: string) =>
  value === undefined ? "missing" : `expected ${expected}, got ${kind(value)}`;

/** What became of a value replaced by a default: nothing was there to drop when it was missing. */
const lost = (value: unknown): RepairNote["action"] => (value === undefined ? "repaired" : "dropped");

/** Adds notes to `notes` up to the cap, so a body full of garbage cannot fill the store with notes. */
export function noter(notes: RepairNote[]): Note {
  return (path, action, reason) => {
    if (notes.length < MAX_REPAIR_NOTES) notes.push({ path: path.slice(0, 120), action, reason });
  };
}

/**
 * A list or an object sent as its JSON text (Prototype.js's `Array#toJSON` encodes lists twice):
 * decoded when it is of the expected kind, else returned as it came.
 */
function decode(value: unknown, is: (v: unknown) => boolean, what: string, path: string, note: Note) {
  if (typeof value !== "string" || !/^\s*[[{]/.test(value)) return value;
  try {
    const parsed: unknown = JSON.parse(value);
    if (!is(parsed)) return value;
    note(path, "repaired", `expected ${what}, got it written as JSON text`);
    return parsed;
  } catch {
    return value;
  }
}

/** Optional text of at most `max` characters: numbers and booleans written out, longer text cut. */
function text(value: unknown, max: number, path: string, note: Note): string | undefined {
  if (value === undefined) return undefined;
  if (!isTextLike(value)) {
    note(path, "dropped", got(value, "text"));
    return undefined;
  }
  if (typeof value !== "string") note(path, "repaired", `expected text, got ${kind(value)}`);
  const out = String(value);
  if (out.length <= max) return out;
  note(path, "repaired", `longer than ${max} characters; shortened`);
  // Never through the middle of a surrogate pair.
  return out.slice(0, /[\uD800-\uDBFF]/.test(out[max - 1]!) ? max - 1 : max);
}

/** Text that must be there: undefined (to be filled by the caller, said in `fill`) when unusable. */
function requiredText(value: unknown, max: number, path: string, fill: string, note: Note) {
  if (isTextLike(value)) return text(value, max, path, note);
  note(path, "repaired", `${got(value, "text")}; set to ${fill}`);
  return undefined;
}

/** A whole number from 0 to `max`: numbers in strings read, fractions rounded, the rest clamped. */
function count(value: unknown, max: number, path: string, note: Note): number | undefined {
  if (value === undefined) return undefined;
  let n = value;
  if (typeof n === "string" && n.trim() !== "" && Number.isFinite(Number(n))) {
    n = Number(n);
    note(path, "repaired", "expected a number, got text");
  }
  if (typeof n !== "number" || !Number.isFinite(n)) {
    note(path, "dropped", got(value, "a number"));
    return undefined;
  }
  const out = Math.min(max, Math.max(0, Math.round(n)));
  if (out !== n)
    note(
      path,
      "repaired",
      n < 0 ? "below 0; set to 0" : n > max ? `over ${max}; set to ${max}` : "not a whole number; rounded",
    );
  return out;
}

/** A list of names: from JSON text or a comma list too; items that are not short text left out. */
function list(value: unknown, maxItems: number, maxLength: number, path: string, note: Note) {
  if (value === undefined) return undefined;
  let items = decode(value, Array.isArray, "a list", path, note);
  if (typeof items === "string" && items.includes(",")) {
    items = items
      .split(",")
      .map((item) => item.trim())
      .filter(Boolean);
    note(path, "repaired", "expected a list, got a comma-separated text");
  }
  if (!Array.isArray(items)) {
    note(path, "dropped", got(value, "a list"));
    return undefined;
  }
  const kept = items.filter((item): item is string => typeof item === "string" && item.length <= maxLength);
  if (kept.length < items.length)
    note(
      path,
      "repaired",
      `left out ${items.length - kept.length} items that were not text of up to ${maxLength} characters`,
    );
  if (kept.length > maxItems) {
    note(path, "repaired", `more than ${maxItems} items; kept the first ${maxItems}`);
    kept.length = maxItems;
  }
  return kept;
}

/** Named values (click ids, key page counts): names too long and values `each` cannot use left out. */
function named<T>(
  raw: Json,
  maxName: number,
  path: string,
  note: Note,
  each: (value: unknown, path: string) => T | undefined,
): Record<string, T> {
  const out: [string, T][] = [];
  for (const [name, value] of Object.entries(raw)) {
    const at = `${path}.${name.slice(0, 40)}`;
    if (name.length > maxName) note(at, "dropped", `name longer than ${maxName} characters`);
    else {
      const kept = each(value, at);
      if (kept !== undefined) out.push([name, kept]);
    }
  }
  // fromEntries defines own properties: a "__proto__" name stays a name.
  return Object.fromEntries(out);
}

function touch(value: unknown, path: string, now: string, fallback: Touch, from: string, note: Note): Touch {
  const valid = TouchSchema.safeParse(value);
  if (valid.success) return valid.data;
  const raw = decode(value, isObject, "a touch", path, note);
  if (!isObject(raw)) {
    note(path, "repaired", `${got(value, "a touch")}; rebuilt from ${from}`);
    return { ...fallback };
  }
  const out: Touch = {
    landingPage:
      requiredText(raw.landingPage, 2000, `${path}.landingPage`, "the page's address", note) ??
      fallback.landingPage,
    at: now,
  };
  if (TouchSchema.shape.at.safeParse(raw.at).success) out.at = raw.at as string;
  else note(`${path}.at`, "repaired", `${got(raw.at, "an ISO 8601 time")}; set to the time it was received`);
  for (const key of UTM_KEYS) {
    const kept = text(raw[key], 200, `${path}.${key}`, note);
    if (kept !== undefined) out[key] = kept;
  }
  const referrer = text(raw.referrer, 2000, `${path}.referrer`, note);
  if (referrer !== undefined) out.referrer = referrer;
  if (raw.clickIds !== undefined) {
    const ids = decode(raw.clickIds, isObject, "click ids by name", `${path}.clickIds`, note);
    if (isObject(ids))
      out.clickIds = named(ids, 40, `${path}.clickIds`, note, (id, at) => text(id, 500, at, note));
    else note(`${path}.clickIds`, "dropped", got(raw.clickIds, "click ids by name"));
  }
  // `channel` is left out: the edge sets it from the site's rules whatever a client sends.
  return out;
}

function engagement(value: unknown, note: Note): Engagement {
  const valid = EngagementSchema.safeParse(value);
  if (valid.success) return valid.data;
  const raw = decode(value, isObject, "an object", "engagement", note);
  if (!isObject(raw)) {
    note("engagement", lost(value), `${got(value, "an object")}; counted as no engagement`);
    return { activeTimeMs: 0, maxScrollPct: 0 };
  }
  const required = (key: "activeTimeMs" | "maxScrollPct", max: number) => {
    if (raw[key] === undefined) note(`engagement.${key}`, "repaired", "missing; counted as 0");
    return count(raw[key], max, `engagement.${key}`, note) ?? 0;
  };
  const out: Engagement = {
    activeTimeMs: required("activeTimeMs", WEEK_MS),
    maxScrollPct: required("maxScrollPct", 100),
  };
  for (const [key, max] of [
    ["pageViews", 100_000],
    ["visits", 100_000],
    ["totalPageViews", 10_000_000],
    ["formTimeMs", WEEK_MS],
  ] as const) {
    const n = count(raw[key], max, `engagement.${key}`, note);
    if (n !== undefined) out[key] = n;
  }
  const abandoned = list(raw.abandonedFields, 100, 64, "engagement.abandonedFields", note);
  if (abandoned) out.abandonedFields = abandoned;
  const keyPages = pageCounts(raw.keyPages, note);
  if (keyPages) out.keyPages = keyPages;
  return out;
}

/** Key pages as counts by name; a list of names counts each once (as the schema reads it). */
function pageCounts(value: unknown, note: Note): Record<string, number> | undefined {
  const path = "engagement.keyPages";
  const raw = decode(value, (v) => typeof v === "object" && v !== null, "key pages", path, note);
  if (isObject(raw)) return named(raw, 200, path, note, (n, at) => count(n, 100_000, at, note));
  const names = list(raw, 50, 200, path, note);
  return names && Object.fromEntries(names.map((name) => [name, 1]));
}

/**
 * An idempotency key for a body without a usable one: the same site, form and answers (and whatever
 * id was sent) always give the same key, so a retry of that body is still answered once.
 */
export async function derivedSubmissionId(
  site: string,
  form: string,
  fields: Record<string, FieldValue>,
  sent: unknown,
): Promise<string> {
  const canonical = JSON.stringify([
    site,
    form,
    Object.keys(fields)
      .sort()
      .map((name) => [name, fields[name]]),
    typeof sent === "string" || typeof sent === "number" ? String(sent) : null,
  ]);
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(canonical)));
  const base64url = btoa(String.fromCharCode(...digest))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
  return `sha256_${base64url}`;
}

export interface Repaired {
  submission: LeadSubmission;
  /** What was repaired or dropped, and why (at most MAX_REPAIR_NOTES). */
  notes: RepairNote[];
}

/**
 * Reads a submission body, repairing or dropping malformed signals with a note. Throws 400
 * invalid_request only when the body is not an object, or `site`, `form` or `fields` are malformed;
 * the answers themselves are validated against the form afterwards (validateFields).
 */
export async function repairSubmission(body: unknown, now: Date): Promise<Repaired> {
  const valid = LeadSubmissionSchema.safeParse(body);
  if (valid.success) return { submission: valid.data, notes: [] };

  const shape = LeadSubmissionSchema.shape;
  const refuse = (fields: FieldErrors) =>
    new ApiError("invalid_request", "The submission does not have the expected shape.", { fields });
  if (!isObject(body)) throw refuse({ _: "Expected a JSON object." });
  const errors: FieldErrors = {};
  for (const key of ["site", "form"] as const)
    if (!shape[key].safeParse(body[key]).success) errors[key] = `Expected the ${key}'s id.`;
  const fields = shape.fields.safeParse(body.fields);
  if (!fields.success)
    for (const [name, message] of Object.entries(fieldErrors(fields.error.issues)))
      errors[name === "_" ? "fields" : `fields.${name}`] = message;
  if (!fields.success || Object.keys(errors).length > 0) throw refuse(errors);

  const notes: RepairNote[] = [];
  const note = noter(notes);
  const at = now.toISOString();
  const site = body.site as string;
  const form = body.form as string;

  let submissionId = body.submissionId;
  if (!SubmissionIdSchema.safeParse(submissionId).success) {
    note(
      "submissionId",
      "repaired",
      `${typeof submissionId === "string" ? "not 8–64 letters, digits, - or _" : got(submissionId, "text")}; derived from the answers, so a retry is still recognised`,
    );
    submissionId = await derivedSubmissionId(site, form, fields.data, submissionId);
  }

  const rawPage = decode(body.page, isObject, "an object", "page", note);
  const pageObject = isObject(rawPage) ? rawPage : undefined;
  if (!pageObject) note("page", lost(body.page), `${got(body.page, "an object")}; the landing page is used`);
  const url = pageObject && requiredText(pageObject.url, 2000, "page.url", "the landing page", note);

  const fromPage = touchFromUrl(url ?? "", "", now);
  const attribution = decode(body.attribution, isObject, "an object", "attribution", note);
  let lastTouch = fromPage;
  let firstTouch = fromPage;
  if (isObject(attribution)) {
    lastTouch = touch(
      attribution.lastTouch,
      "attribution.lastTouch",
      at,
      fromPage,
      "the page's address",
      note,
    );
    firstTouch = touch(
      attribution.firstTouch,
      "attribution.firstTouch",
      at,
      lastTouch,
      "the latest touch",
      note,
    );
  } else {
    note("attribution", "repaired", `${got(body.attribution, "an object")}; rebuilt from the page's address`);
    firstTouch = { ...fromPage };
  }

  const page: Page = { url: url ?? lastTouch.landingPage };
  if (pageObject) {
    const title = text(pageObject.title, 500, "page.title", note);
    const language = text(pageObject.language, 35, "page.language", note);
    if (title !== undefined) page.title = title;
    if (language !== undefined) page.language = language;
  }

  const submission: LeadSubmission = {
    site,
    form,
    submissionId: submissionId as string,
    fields: fields.data,
    attribution: { firstTouch, lastTouch },
    engagement: engagement(body.engagement, note),
    page,
  };
  const token = body.turnstileToken;
  if (typeof token === "string" && token.length <= 2048) submission.turnstileToken = token;
  else if (token !== undefined)
    note(
      "turnstileToken",
      "dropped",
      typeof token === "string" ? "longer than 2048 characters" : got(token, "text"),
    );
  return { submission, notes };
}

/**
 * Answers to list fields (checkboxes) written as JSON text, as Prototype.js writes every list: decoded
 * when every item is text, so the person's choices are validated as they made them.
 */
export function repairAnswers(
  form: FormConfig,
  fields: Record<string, FieldValue>,
  notes: RepairNote[],
): Record<string, FieldValue> {
  const note = noter(notes);
  const isTextList = (v: unknown) => Array.isArray(v) && v.every((item) => typeof item === "string");
  let out = fields; // copied only when an answer is decoded: the common lead pays nothing
  for (const field of form.fields) {
    const value = fields[field.name];
    if (field.type !== "checkboxes" || typeof value !== "string") continue;
    const decoded = decode(value, isTextList, "a list", `fields.${field.name}`, note);
    if (Array.isArray(decoded)) out = { ...out, [field.name]: decoded };
  }
  return out;
}

/**
 * The events of a `POST /v1/events` batch: the valid ones, and how many were dropped (invalid, or past
 * MAX_EVENTS_PER_BATCH). A list sent as JSON text is decoded; one event sent on its own is a list of one.
 */
export function batchEvents(value: unknown): { events: WidgetEvent[]; dropped: number } {
  if (value === undefined) return { events: [], dropped: 0 };
  const decoded = decode(value, Array.isArray, "a list", "events", () => {});
  const items: unknown[] = Array.isArray(decoded) ? decoded : [decoded];
  const events: WidgetEvent[] = [];
  for (const item of items.slice(0, MAX_EVENTS_PER_BATCH)) {
    const parsed = WidgetEventSchema.safeParse(item);
    if (parsed.success) events.push(parsed.data);
  }
  return { events, dropped: items.length - events.length };
}
