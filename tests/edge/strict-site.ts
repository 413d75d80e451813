/**
 * A second site for the edge tests, given to the Worker through LEADCAP_SITES (as a deployment
 * would): strict identity rules, disposable emails refused, a phone field with a country, a fixed
 * rate-limit window, and no webhook destination.
 */
import type { SiteConfigInput } from "../../shared/config.ts";
import { TURNSTILE_TEST_SECRETS } from "./siteverify.ts";

export const strictSite = {
  id: "strict",
  name: "Strict test site",
  allowedOrigins: ["https://strict.example"],
  forms: [
    {
      id: "signup",
      title: "Start a trial",
      intent: "trial",
      fields: [
        { name: "email", type: "email", label: "Email", required: true },
        { name: "phone", type: "tel", label: "Phone", country: "GB" },
        { name: "heardFrom", type: "text", label: "How did you hear about us?", merge: "first" },
      ],
    },
    // Bot defence: a minimum fill time, and Turnstile with each of Cloudflare's test secrets.
    ...(["pass", "fail", "spent"] as const).map((outcome) => ({
      id: `guarded-${outcome}`,
      title: "Guarded",
      intent: "contact" as const,
      fields: [{ name: "email", type: "email" as const, label: "Email", required: true }],
      bot: { minFillMs: 1500, turnstileSecret: TURNSTILE_TEST_SECRETS[outcome] },
    })),
  ],
  scoring: {
    rules: [
      {
        id: "trial",
        label: "Started a trial",
        points: 20,
        when: [{ signal: "form.intent", op: "eq", value: "trial" }],
      },
      {
        id: "projects",
        label: "Created projects",
        points: 10,
        each: "events.project_created",
        when: [{ signal: "events.project_created", op: "gte", value: 1 }],
      },
    ],
    // Product qualified after three projects.
    pqlWhen: [{ signal: "events.project_created", op: "gte", value: 3 }],
  },
  destinations: [],
  identity: { gmailDots: true, plusTags: true, rejectDisposable: true },
  rateLimit: { limit: 3, windowSeconds: 3600, algorithm: "fixed" },
  // Every repeat is a new conversion.
  dedupeWindowDays: 0,
} satisfies SiteConfigInput;
