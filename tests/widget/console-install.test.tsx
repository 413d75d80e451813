/**
 * The console's Install screen snippets (pure functions of the form config) and its chart helpers,
 * rendered the way a browser parses them: the no-JS form has every field of the form, named as the
 * edge expects, and nothing a strict CSP would refuse.
 */
import { render } from "@testing-library/preact";
import { describe, expect, it } from "vitest";
import { containerTag, cspLines, fullSnippet, noJsForm, scriptTag } from "../../edge/console/src/install.ts";
import { apiParams, filterFromParams, filterParams } from "../../edge/console/src/leads-query.ts";
import { everyDay, rangeFrom } from "../../edge/console/src/screens/metrics.tsx";
import { Bars, niceMax } from "../../edge/console/src/ui/charts.tsx";
import { SiteSchema } from "../../shared/config.ts";
import { demoSite } from "../../shared/sites/demo.ts";

const EDGE = "https://edge.example";
const site = SiteSchema.parse(demoSite);
const form = (id: string) => site.forms.find((f) => f.id === id)!;

function parse(html: string): Document {
  return new DOMParser().parseFromString(`<!doctype html><body>${html}</body>`, "text/html");
}

describe("install snippets", () => {
  it("writes the script tag and container the README documents", () => {
    expect(scriptTag(EDGE, "demo", "contact")).toBe(
      '<script src="https://edge.example/leadcap.js" data-site="demo" data-form="contact" async></script>',
    );
    expect(containerTag("contact")).toBe('<div data-leadcap-form="contact"></div>');
    expect(scriptTag(EDGE, 'x"><b', "c")).not.toContain('"><b');
  });

  it("builds a no-JS form with every field of the form, posting to the edge", () => {
    for (const f of site.forms) {
      const doc = parse(noJsForm(EDGE, "demo", f));
      const el = doc.querySelector("form")!;
      expect(el.getAttribute("action")).toBe(`${EDGE}/v1/leads`);
      expect(el.getAttribute("method")).toBe("post");
      const named = new Set([...el.querySelectorAll("[name]")].map((n) => n.getAttribute("name")));
      for (const name of ["site", "form", "redirect", ...f.fields.map((field) => field.name)])
        expect(named).toContain(name);
      // Every visible control has a label, and there is nothing inline a strict CSP would block.
      for (const input of el.querySelectorAll("input:not([type=hidden]), select, textarea")) {
        if (input.closest("[hidden]") || input.closest("fieldset")) continue;
        expect(doc.querySelector(`label[for="${input.id}"]`), input.outerHTML).not.toBeNull();
      }
      expect(el.querySelector("[style], script")).toBeNull();
      expect((el.querySelector('input[name="email"]') as HTMLInputElement).required).toBe(true);
    }
  });

  it("keeps the honeypot out of sight and makes conditional fields optional", () => {
    const doc = parse(noJsForm(EDGE, "demo", form("contact")));
    expect(doc.querySelector('input[name="website"]')!.closest("[hidden]")).not.toBeNull();
    const quote = form("quote");
    const conditional = quote.fields.find((f) => f.showWhen && f.required);
    if (conditional) {
      const q = parse(noJsForm(EDGE, "demo", quote));
      expect((q.querySelector(`[name="${conditional.name}"]`) as HTMLInputElement).required).toBe(false);
    }
  });

  it("lists the CSP directives, with Turnstile only when the form uses it", () => {
    expect(cspLines(EDGE, form("contact"))).toEqual([
      `script-src 'self' ${EDGE}`,
      `connect-src 'self' ${EDGE}`,
      `form-action 'self' ${EDGE}`,
    ]);
    const guarded = { ...form("contact"), bot: { turnstileSecret: "${TURNSTILE_SECRET}" } };
    expect(cspLines(EDGE, guarded).join("; ")).toContain("frame-src https://challenges.cloudflare.com");
    expect(fullSnippet(EDGE, "demo", form("contact"))).toMatch(/<\/script>\n<noscript>\n {2}<form/);
  });
});

describe("leads filter (URL ⇄ API)", () => {
  it("round-trips through the URL and drops what is unset", () => {
    const params = new URLSearchParams("q=ada&temperature=hot,bogus&stage=SQL&sort=-score&minScore=10");
    const filter = filterFromParams(params);
    expect(filter.temperature).toEqual(["hot"]);
    expect(filterParams(filter)).toEqual({
      q: "ada",
      temperature: "hot",
      stage: "SQL",
      form: undefined,
      channel: undefined,
      from: undefined,
      to: undefined,
      minScore: "10",
      maxScore: undefined,
      sort: "-score",
    });
  });

  it("sends the last day shown as the API's exclusive end, and scores the API accepts", () => {
    const f = filterFromParams(
      new URLSearchParams("from=2026-11-02&to=2026-11-30&minScore=-4&maxScore=100.4"),
    );
    expect(apiParams(f)).toMatchObject({
      from: "2026-11-02",
      to: "2026-12-01",
      minScore: "0",
      maxScore: "100",
    });
    expect(apiParams(filterFromParams(new URLSearchParams("to=nonsense&minScore=x")))).toMatchObject({
      to: undefined,
      minScore: undefined,
    });
  });
});

describe("metrics helpers", () => {
  it("fills the days without leads and picks a round axis", () => {
    const days = everyDay({
      from: "2026-11-01",
      to: "2026-11-04",
      leadsByDay: [{ day: "2026-11-02", leads: 3 }],
    });
    expect(days).toEqual([
      { day: "2026-11-01", leads: 0 },
      { day: "2026-11-02", leads: 3 },
      { day: "2026-11-03", leads: 0 },
    ]);
    expect([0, 3, 7, 10, 11, 4200].map(niceMax)).toEqual([1, 5, 10, 10, 20, 5000]);
    expect(rangeFrom(new URLSearchParams("from=2026-11-10&to=2026-11-01"), "2026-11-22")).toEqual({
      from: "2026-11-01",
      to: "2026-11-01",
    });
    expect(rangeFrom(new URLSearchParams(), "2026-11-30")).toEqual({ from: "2026-11-01", to: "2026-11-30" });
  });

  it("renders bars as SVG sizes, never inline styles", () => {
    const { container } = render(
      <Bars
        rows={[
          { key: "a", label: "contact", value: 2, text: "2" },
          { key: "b", label: "newsletter", value: 1, text: "1" },
        ]}
      />,
    );
    const bars = [...container.querySelectorAll("rect.bar")].map((r) => Number(r.getAttribute("width")));
    expect(bars).toEqual([100, 50]);
    expect(container.querySelector("[style]")).toBeNull();
    expect(container.textContent).toContain("newsletter");
  });
});
