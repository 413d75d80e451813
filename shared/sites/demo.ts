/**
 * The demo site that ships with the repo: one contact form, the first rule set, and one webhook to
 * the local receiver. `${…}` values come from Worker variables (wrangler.toml [vars], .dev.vars, or
 * secrets in production).
 */
import type { SiteConfigInput } from "../config.ts";
import { DEFAULT_SCORING } from "../scoring.ts";

export const demoSite = {
  id: "demo",
  name: "Leadcap demo",
  allowedOrigins: ["${DEMO_ORIGINS}"],
  forms: [
    {
      id: "contact",
      title: "Talk to us",
      description: "Tell us a little about you and we will get back within one business day.",
      intent: "contact",
      submitLabel: "Send",
      successMessage: "Thank you! We will be in touch within one business day.",
      fields: [
        {
          name: "email",
          type: "email",
          label: "Work email",
          required: true,
          autocomplete: "email",
          placeholder: "you@company.com",
        },
        { name: "name", type: "text", label: "Name", required: true, autocomplete: "name", maxLength: 200 },
        { name: "company", type: "text", label: "Company", autocomplete: "organization", maxLength: 200 },
        {
          name: "consent",
          type: "consent",
          label: "I agree that Leadcap may contact me about my request.",
          required: true,
          consentVersion: "2026-11",
        },
        // Honeypot: invisible to people, tempting to bots. A filled one marks the submission as spam.
        { name: "website", type: "honeypot" },
      ],
    },
  ],
  scoring: DEFAULT_SCORING,
  destinations: [
    { id: "receiver", type: "webhook", url: "${DEMO_WEBHOOK_URL}", secret: "${DEMO_WEBHOOK_SECRET}" },
  ],
} satisfies SiteConfigInput;
