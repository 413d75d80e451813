/**
 * npm run screenshots: the README's pictures, taken from the real product. Starts the stack on
 * local state of its own, sends a handful of leads as visitors from different channels would, and
 * photographs the demo page (with the inline form) and the console's main screens in Chromium into
 * demo-site/screenshots/.
 */
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { startStack } from "../../demo-site/dev/stack.ts";
import type { LeadSubmission } from "../../shared/lead.ts";
import { launchChromium } from "../e2e/browser.ts";

const OUT = fileURLToPath(new URL("../../demo-site/screenshots/", import.meta.url));

const VISITORS: {
  name: string;
  company?: string;
  form: string;
  touch: Record<string, string>;
  minutes: number;
}[] = [
  {
    name: "Ada Lovelace",
    company: "Analytical Engines",
    form: "contact",
    touch: { utm_source: "newsletter", utm_medium: "email", utm_campaign: "launch" },
    minutes: 6,
  },
  {
    name: "Alan Turing",
    company: "Bletchley Park",
    form: "demo-request",
    touch: { utm_source: "google", utm_medium: "cpc", utm_campaign: "brand" },
    minutes: 12,
  },
  {
    name: "Grace Hopper",
    company: "Navy Labs",
    form: "contact",
    touch: { utm_source: "linkedin", utm_medium: "paid_social", utm_campaign: "q4-webinar" },
    minutes: 3,
  },
  {
    name: "Katherine Johnson",
    company: "Langley",
    form: "newsletter",
    touch: { referrer: "https://news.ycombinator.com/" },
    minutes: 1,
  },
  {
    name: "Edsger Dijkstra",
    form: "newsletter",
    touch: { utm_source: "google", utm_medium: "organic" },
    minutes: 0.5,
  },
  {
    name: "Barbara Liskov",
    company: "CLU Systems",
    form: "demo-request",
    touch: { utm_source: "google", utm_medium: "cpc", utm_campaign: "competitor" },
    minutes: 9,
  },
];

async function main() {
  mkdirSync(OUT, { recursive: true });
  const stack = await startStack();
  const browser = await launchChromium();
  try {
    for (const [i, v] of VISITORS.entries()) {
      const at = {
        landingPage: `${stack.demoUrl}/`,
        at: new Date(Date.now() - i * 3_600_000).toISOString(),
        ...v.touch,
      };
      const email = `${v.name.split(" ")[0]!.toLowerCase()}@${(v.company ?? "gmail").toLowerCase().replace(/\W+/g, "")}.example`;
      const body: LeadSubmission = {
        site: "demo",
        form: v.form,
        submissionId: `readme_${i}_${Date.now().toString(36)}`,
        // Each demo form's own fields: the newsletter asks only for consent besides the address.
        fields:
          v.form === "newsletter"
            ? { email, consent: true }
            : {
                email,
                name: v.name,
                ...(v.company ? { company: v.company } : {}),
                ...(v.form === "contact" ? { consent: true } : {}),
              },
        attribution: { firstTouch: at, lastTouch: at },
        engagement: {
          activeTimeMs: v.minutes * 60_000,
          maxScrollPct: 80,
          visits: 1 + (i % 3),
          pageViews: 2 + i,
        },
        page: { url: `${stack.demoUrl}/` },
      };
      const res = await fetch(`${stack.edgeUrl}/v1/leads`, {
        method: "POST",
        headers: { "content-type": "text/plain;charset=UTF-8", origin: stack.demoUrl },
        body: JSON.stringify(body),
      });
      if (res.status >= 300) throw new Error(`lead ${i}: ${res.status} ${await res.text()}`);
    }

    // The widget's impressions over the last days, as pages with the forms would have reported them.
    for (const [form, views] of [
      ["contact", 140],
      ["demo-request", 60],
      ["newsletter", 90],
    ] as const) {
      const events = Array.from({ length: views }, (_, i) => ({
        type: "impression",
        form,
        at: new Date(Date.now() - (i % 5) * 86_400_000).toISOString(),
      }));
      for (let i = 0; i < events.length; i += 20) {
        const res = await fetch(`${stack.edgeUrl}/v1/events`, {
          method: "POST",
          headers: { "content-type": "text/plain;charset=UTF-8", origin: stack.demoUrl },
          body: JSON.stringify({ site: "demo", events: events.slice(i, i + 20) }),
        });
        if (res.status >= 300) throw new Error(`events: ${res.status} ${await res.text()}`);
      }
    }

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${stack.demoUrl}/?utm_source=newsletter&utm_medium=email&utm_campaign=launch`);
    await page.locator("#contact").scrollIntoViewIfNeeded();
    await page.getByLabel("Work email").waitFor({ timeout: 15_000 });
    await page.getByLabel("Work email").fill("ada@analytical.example");
    await page.screenshot({ path: `${OUT}demo-page.png` });

    await page.goto(`${stack.edgeUrl}/console/`);
    await page.getByLabel("Admin token").fill(stack.adminToken);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Leads", level: 1 }).waitFor();
    await page.getByRole("link", { name: "Alan Turing" }).waitFor();
    await page.screenshot({ path: `${OUT}console-leads.png` });
    await page.getByRole("link", { name: "Alan Turing" }).click();
    await page.getByRole("heading", { name: "Alan Turing" }).waitFor();
    await page.screenshot({ path: `${OUT}console-lead.png` });
    await page.getByRole("link", { name: "Metrics" }).click();
    await page.getByRole("heading", { name: "Metrics", level: 1 }).waitFor();
    await page.waitForTimeout(500);
    await page.screenshot({ path: `${OUT}console-metrics.png` });
    await page.getByRole("link", { name: "Forms" }).click();
    await page
      .getByRole("link", { name: /contact/i })
      .first()
      .click();
    await page.getByText("Live preview").waitFor();
    await page.waitForTimeout(500);
    await page.screenshot({ path: `${OUT}console-form-editor.png` });
    console.log(`screenshots written to ${OUT}`);
  } finally {
    await browser.close();
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
