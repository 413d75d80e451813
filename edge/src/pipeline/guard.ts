/**
 * The guard: every check a submission passes that is not about what the person answered. In the
 * order a submission meets them:
 *
 * - size and type: `readJsonBody` / `readLimitedText` (body.ts), before a byte is parsed;
 * - origin: `siteCors` and `assertOrigin` (cors.ts), once the body names the site;
 * - a paused site, here: `assertTakingLeads`, so the visitor's browser keeps the lead for later;
 * - bots, here: the honeypot, the time trap and Turnstile, after the answers are validated (a bot
 *   with invalid answers is refused like a person). A bot is answered as if it were a person, so it
 *   learns nothing; its submission is recorded as spam, and nothing is stored or sent;
 * - rate, here: the window a device's submissions are counted in. The count itself happens inside
 *   the store's atomic write (stores/ports/ratelimit.ts RateWindow), so a replayed submission never counts and
 *   a refused one writes nothing.
 */

import type { FormConfig, RateLimit, SiteConfig } from "../../../shared/config.ts";
import type { FieldValue, LeadSubmission } from "../../../shared/lead.ts";
import type { Env } from "../env.ts";
import { ApiError } from "../errors.ts";
import { open } from "../secrets.ts";
import { resolvePlaceholders } from "../sites.ts";

export const TURNSTILE_VERIFY_URL = "https://challenges.cloudflare.com/turnstile/v0/siteverify";
/** A verification that takes longer than this is treated as unavailable (fail open, logged). */
const TURNSTILE_TIMEOUT_MS = 5000;

/**
 * The bot verdicts a submission settles by itself, with no request: a filled honeypot, then a form
 * filled faster than the form's minimum. A spam reason, or null. Pure.
 */
export function trapVerdict(
  form: FormConfig,
  answers: Record<string, FieldValue>,
  submission: LeadSubmission,
): string | null {
  const trap = form.fields.find(
    (f) => f.type === "honeypot" && typeof answers[f.name] === "string" && answers[f.name] !== "",
  );
  if (trap) return `honeypot:${trap.name}`;
  const minFillMs = form.bot?.minFillMs;
  if (minFillMs !== undefined) {
    const filled = submission.engagement.formTimeMs;
    // No timing at all is a script posting directly; a human takes longer than the minimum.
    if (filled === undefined) return "too-fast:no-timing";
    if (filled < minFillMs) return `too-fast:${filled}ms`;
  }
  return null;
}

/**
 * Whether a bot sent this: the traps first, then (when the form asks for it) Cloudflare Turnstile,
 * asked only when the traps found nothing. A spam reason, or null for a person.
 */
export async function botVerdict(
  env: Env,
  form: FormConfig,
  submission: LeadSubmission,
  answers: Record<string, FieldValue>,
  client: string,
): Promise<string | null> {
  const trapped = trapVerdict(form, answers, submission);
  if (trapped) return trapped;
  const configured = form.bot?.turnstileSecret;
  if (!configured) return null;
  const secret = resolvePlaceholders(await open(configured, submission.site, env).catch(() => ""), env);
  if (!secret) {
    console.warn(
      `[leadcap] form ${form.id} asks for Turnstile but its secret is not set; skipping the check`,
    );
    return null;
  }
  return turnstileVerdict(env, secret, submission.turnstileToken, client);
}

async function turnstileVerdict(
  env: Env,
  secret: string,
  token: string | undefined,
  ip: string,
): Promise<string | null> {
  if (!token) return "turnstile:missing-input-response";
  const body = new URLSearchParams({ secret, response: token });
  if (ip !== "unknown") body.set("remoteip", ip);
  const url =
    typeof env.TURNSTILE_VERIFY_URL === "string" && env.TURNSTILE_VERIFY_URL
      ? env.TURNSTILE_VERIFY_URL
      : TURNSTILE_VERIFY_URL;
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: body.toString(),
      signal: AbortSignal.timeout(TURNSTILE_TIMEOUT_MS),
    });
    const outcome = (await res.json()) as { success?: boolean; "error-codes"?: string[] };
    if (outcome.success === true) return null;
    return `turnstile:${(outcome["error-codes"] ?? ["rejected"]).join(",") || "rejected"}`;
  } catch (error) {
    // Losing a real lead costs more than letting one bot through: fail open, and say so.
    console.warn("[leadcap] Turnstile verification unavailable; accepting the submission", error);
    return null;
  }
}

/** Who is submitting: Cloudflare's client IP (set by the edge, not spoofable there), or "unknown". */
export function clientOf(request: Request): string {
  return request.headers.get("cf-connecting-ip") ?? "unknown";
}

/**
 * Loopback clients are not rate limited: only local runs (the dev stack, load tests on this machine)
 * have them; in production Cloudflare always reports the visitor's public address.
 */
const LOOPBACK = new Set(["127.0.0.1", "::1"]);

/** The client whose submissions the site's rate limit counts, or undefined when none is counted. */
export function rateLimitedClient(site: SiteConfig, client: string): string | undefined {
  return site.rateLimit && !LOOPBACK.has(client) ? client : undefined;
}

/**
 * The window `now` falls in; a sliding window weighs the previous one by how much of it still
 * overlaps. `retryAfter`: the seconds until the window ends (the answer's Retry-After). Pure.
 */
export function rateWindow(limit: RateLimit, now: Date) {
  const seconds = now.getTime() / 1000;
  const windowStart = Math.floor(seconds / limit.windowSeconds) * limit.windowSeconds;
  const elapsed = (seconds - windowStart) / limit.windowSeconds;
  return {
    windowStart,
    previousWindowStart: windowStart - limit.windowSeconds,
    previousWeight: limit.algorithm === "sliding" ? 1 - elapsed : 0,
    windowSeconds: limit.windowSeconds,
    algorithm: limit.algorithm,
    retryAfter: Math.max(1, Math.ceil(windowStart + limit.windowSeconds - seconds)),
  };
}

/** When a paused site (`disabled`) asks browsers to try a submission again. */
const PAUSED_RETRY_SECONDS = 900;

/** A paused site takes no lead now: 503 with Retry-After, so the visitor's browser keeps it for later. */
export function assertTakingLeads(site: SiteConfig): void {
  if (site.disabled)
    throw new ApiError(
      "unavailable",
      `Site "${site.id}" is paused: the lead is kept in the browser and sent later.`,
      {
        headers: { "Retry-After": String(PAUSED_RETRY_SECONDS) },
      },
    );
}
