/**
 * Bot defence beyond the honeypot, per form: a minimum fill time and Cloudflare Turnstile. A verdict
 * is a spam reason (the caller answers like for a person and records it) or null.
 */
import type { FormConfig } from "../../../shared/config.ts";
import type { LeadSubmission } from "../../../shared/lead.ts";
import type { Env } from "../env.ts";
import { resolvePlaceholders } from "../sites.ts";

export const TURNSTILE_VERIFY_URL = "https://challenges.cloudflare.com/turnstile/v0/siteverify";
/** A verification that takes longer than this is treated as unavailable (fail open, logged). */
const TURNSTILE_TIMEOUT_MS = 5000;

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

export async function botVerdict(
  env: Env,
  form: FormConfig,
  submission: LeadSubmission,
  ip: string,
): Promise<string | null> {
  const rules = form.bot;
  if (!rules) return null;
  if (rules.minFillMs !== undefined) {
    const filled = submission.engagement.formTimeMs;
    // No timing at all is a script posting directly; a human takes longer than the minimum.
    if (filled === undefined) return "too-fast:no-timing";
    if (filled < rules.minFillMs) return `too-fast:${filled}ms`;
  }
  if (rules.turnstileSecret) {
    const secret = resolvePlaceholders(rules.turnstileSecret, env);
    if (!secret) {
      console.warn(
        `[leadcap] form ${form.id} asks for Turnstile but its secret is not set; skipping the check`,
      );
      return null;
    }
    return turnstileVerdict(env, secret, submission.turnstileToken, ip);
  }
  return null;
}
