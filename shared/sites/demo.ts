/**
 * The demo site that ships with the repo: a contact form (inline; the tests rely on it as it is), forms
 * for every display mode (newsletter popup, demo-request slide-in, pricing launcher, updates bar) and
 * a multi-step quote form with every field type; the first rule set, and one webhook to
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
    {
      // A popup that opens by itself: after 20 s, at 60 % scroll or on exit intent; once per session,
      // at most every 7 days, never again after a submit. `[data-leadcap-open="newsletter"]` opens it too.
      id: "newsletter",
      title: "Get the product analytics newsletter",
      description: "One email a month with what we learned. Unsubscribe any time.",
      intent: "newsletter",
      submitLabel: "Subscribe",
      successMessage: "You are subscribed. Watch your inbox!",
      display: {
        mode: "popup",
        triggers: { delaySeconds: 20, scrollPercent: 60, exitIntent: true },
        frequency: { oncePerSession: true, everyDays: 7, stopAfterSubmit: true },
      },
      fields: [
        { name: "email", type: "email", label: "Email", required: true, autocomplete: "email" },
        {
          name: "consent",
          type: "consent",
          label: "Send me the monthly newsletter. I can unsubscribe at any time.",
          required: true,
          consentVersion: "2026-11-newsletter",
        },
      ],
    },
    {
      // A slide-in that opens on a click of any element marked data-demo-cta, or at 40 % scroll.
      id: "demo-request",
      title: "Book a demo",
      intent: "demo",
      submitLabel: "Request a demo",
      successMessage: "Thanks! We will email you a few times to choose from.",
      display: {
        mode: "slide-in",
        position: "bottom-right",
        triggers: { click: "[data-demo-cta]", scrollPercent: 40 },
        urls: { include: ["/examples/*", "/"] },
        frequency: { stopAfterClose: true },
      },
      fields: [
        { name: "email", type: "email", label: "Work email", required: true, autocomplete: "email" },
        { name: "name", type: "text", label: "Name", required: true, autocomplete: "name" },
        { name: "company", type: "text", label: "Company", autocomplete: "organization" },
      ],
    },
    {
      // A floating button that opens the form, on pricing pages only.
      id: "pricing",
      title: "Questions about pricing?",
      intent: "pricing",
      submitLabel: "Ask us",
      successMessage: "Thanks! A pricing specialist will reply today.",
      display: {
        mode: "launcher",
        launcherLabel: "Pricing questions?",
        position: "bottom-right",
        theme: { accent: "#0f766e", scheme: "light" },
      },
      fields: [
        { name: "email", type: "email", label: "Work email", required: true, autocomplete: "email" },
        {
          name: "seats",
          type: "number",
          label: "Team size",
          help: "How many people would use Acme?",
          min: 1,
          max: 100000,
          increment: 1,
        },
        { name: "question", type: "textarea", label: "Your question", maxLength: 2000 },
      ],
    },
    {
      // A full-width bar at the top, shown at once, dark theme.
      id: "updates",
      title: "Product updates, twice a month",
      intent: "newsletter",
      submitLabel: "Sign up",
      successMessage: "Signed up. Thank you!",
      display: {
        mode: "bar",
        position: "top",
        frequency: { stopAfterClose: true },
        theme: { scheme: "dark" },
      },
      fields: [{ name: "email", type: "email", label: "Email", required: true, autocomplete: "email" }],
    },
    {
      // A multi-step form with every field type, conditional fields and hidden values.
      id: "quote",
      title: "Get a tailored quote",
      description: "Three short steps. Fields marked * are required.",
      intent: "pricing",
      submitLabel: "Get my quote",
      successMessage: "Thank you! Your quote is on its way.",
      steps: [{ title: "About you" }, { title: "Your team" }, { title: "Almost done" }],
      fields: [
        { name: "email", type: "email", label: "Work email", required: true, autocomplete: "email", step: 0 },
        { name: "name", type: "text", label: "Full name", autocomplete: "name", minLength: 2, step: 0 },
        { name: "phone", type: "tel", label: "Phone", autocomplete: "tel", country: "GB", step: 0 },
        { name: "homepage", type: "url", label: "Company website", placeholder: "https://", step: 0 },
        {
          name: "seats",
          type: "number",
          label: "Team size",
          required: true,
          min: 1,
          max: 5000,
          increment: 1,
          defaultValue: "10",
          step: 1,
        },
        {
          name: "plan",
          type: "select",
          label: "Plan",
          required: true,
          options: [
            { value: "starter", label: "Starter" },
            { value: "growth", label: "Growth" },
            { value: "enterprise", label: "Enterprise" },
          ],
          step: 1,
        },
        {
          name: "sso",
          type: "radio",
          label: "Do you need single sign-on?",
          options: [
            { value: "yes", label: "Yes" },
            { value: "no", label: "No" },
          ],
          showWhen: { field: "plan", equals: "enterprise" },
          step: 1,
        },
        {
          name: "sources",
          type: "checkboxes",
          label: "Where does your data live?",
          options: [
            { value: "warehouse", label: "A data warehouse" },
            { value: "stripe", label: "Stripe" },
            { value: "crm", label: "A CRM" },
          ],
          step: 1,
        },
        { name: "trial", type: "checkbox", label: "Start a free trial as well", defaultValue: true, step: 2 },
        {
          name: "code",
          type: "text",
          label: "Referral code",
          help: "Two letters and four digits, like AB1234.",
          pattern: "[A-Z]{2}[0-9]{4}",
          patternMessage: "Use two capital letters and four digits, like AB1234.",
          step: 2,
        },
        { name: "notes", type: "textarea", label: "Anything else?", showWhen: { field: "trial" }, step: 2 },
        {
          name: "consent",
          type: "consent",
          label: "I agree that Acme may contact me about this quote.",
          required: true,
          consentVersion: "2026-11",
          step: 2,
        },
        { name: "source", type: "hidden", value: "quote-page" },
        { name: "campaign", type: "hidden", fromParam: "utm_campaign" },
        { name: "plan_hint", type: "hidden", fromData: "plan" },
        { name: "website", type: "honeypot" },
      ],
    },
  ],
  scoring: DEFAULT_SCORING,
  destinations: [
    { id: "receiver", type: "webhook", url: "${DEMO_WEBHOOK_URL}", secret: "${DEMO_WEBHOOK_SECRET}" },
  ],
} satisfies SiteConfigInput;
