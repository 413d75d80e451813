import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { FormConfig, Tracking } from "../../shared/config.ts";
import type { Frequency } from "../../shared/display.ts";
import { stopEngagement } from "../../widget/src/engagement.ts";
import type { Chunks } from "../../widget/src/host.ts";
import { type Leadcap, type LoaderOptions, start } from "../../widget/src/loader.ts";
import { modes } from "../../widget/src/modes/index.ts";
import { OUTBOX_KEY } from "../../widget/src/outbox.ts";
import { send } from "../../widget/src/send.ts";
import { allowStorage } from "../../widget/src/storage.ts";
import * as ui from "../../widget/src/ui/chunk.ts";
import * as i18n from "../../widget/src/ui/i18n.ts";
import { more } from "../../widget/src/ui/more.tsx";
import { demoForm, demoForms, ENDPOINT } from "./support.ts";

/** The site's tracking settings the fake edge serves (GET /v1/sites/demo, and with each form). */
let siteTracking: Partial<Tracking> = {};
/** Whether form configs come with the site's tracking settings (an older edge's do not). */
let formsCarryTracking = true;

/** The edge, faked at the network: site settings, form configs by id, leads 201, events 202. */
function edge(forms: Record<string, FormConfig> = demoForms) {
  const requests: string[] = [];
  const bodies: unknown[] = [];
  const fetch = vi.fn(async (url: string, init?: RequestInit) => {
    requests.push(url);
    if (typeof init?.body === "string") bodies.push(JSON.parse(init.body));
    const tracking = { consentMode: "off", honorGpc: true, honorDnt: false, keyPages: {}, ...siteTracking };
    if (url.endsWith("/v1/sites/demo")) return Response.json({ site: "demo", tracking, forms: [] });
    const form = /\/forms\/([^/?]+)(\?lang=[\w-]+)?$/.exec(url)?.[1];
    if (form) {
      const config = forms[form];
      return config
        ? Response.json({ site: "demo", form: config, ...(formsCarryTracking && { tracking }) })
        : Response.json({ error: { code: "not_found", message: "No such form." } }, { status: 404 });
    }
    if (url.endsWith("/v1/answers"))
      return Response.json({ leadId: "l1", duplicate: false }, { status: 201 });
    return Response.json({ accepted: 1 }, { status: 202 });
  });
  return { fetch, requests, bodies };
}

/** The chunks, imported rather than loaded as scripts; records which were asked for. */
const asked: string[] = [];
const chunks: Chunks = { ui, more: { more }, modes: { modes }, i18n, send: { send } };
const load = (async (name: keyof Chunks) => {
  asked.push(name);
  return chunks[name];
}) as LoaderOptions["load"];
let leadcap: Leadcap | undefined;
const boot = (options: Partial<LoaderOptions> & { fetch: LoaderOptions["fetch"] }) => {
  leadcap = start({ site: "demo", forms: [], endpoint: ENDPOINT, load, ...options });
  return leadcap;
};
const overlay = (id: string) => document.querySelector<HTMLElement>(`[data-leadcap-overlay="${id}"]`);
const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * happy-dom lays nothing out, so its IntersectionObserver never reports: this one says every
 * element is on screen, unless it is marked `data-offscreen` (then `reveal()` brings it in).
 */
const observers = new Set<{ cb: IntersectionObserverCallback; els: Element[] }>();
class FakeObserver {
  entry: { cb: IntersectionObserverCallback; els: Element[] };
  constructor(cb: IntersectionObserverCallback) {
    this.entry = { cb, els: [] };
    observers.add(this.entry);
  }
  observe(el: Element) {
    this.entry.els.push(el);
    if (!el.hasAttribute("data-offscreen")) reveal(el);
  }
  disconnect() {
    observers.delete(this.entry);
  }
}
function reveal(el: Element) {
  el.removeAttribute("data-offscreen");
  for (const { cb, els } of [...observers])
    if (els.includes(el))
      queueMicrotask(() =>
        cb([{ isIntersecting: true, target: el } as IntersectionObserverEntry], {} as never),
      );
}
globalThis.IntersectionObserver = FakeObserver as unknown as typeof IntersectionObserver;
// happy-dom never calls idle callbacks back.
globalThis.requestIdleCallback = ((task: () => void) =>
  setTimeout(task, 1)) as unknown as typeof requestIdleCallback;

/** Fills the demo contact form in a shadow root and sends it, as a visitor would. */
function sendContact(root: ShadowRoot) {
  const type = (name: string, value: string) => {
    const input = root.querySelector<HTMLInputElement>(`[name="${name}"]`)!;
    input.value = value;
    input.dispatchEvent(new Event("input", { bubbles: true }));
  };
  type("email", "ada@example.com");
  type("name", "Ada");
  root.querySelector<HTMLInputElement>('[name="consent"]')!.click();
  root.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
}

beforeEach(() => {
  asked.length = 0;
  siteTracking = {};
  formsCarryTracking = true;
  document.body.innerHTML = "";
  document.documentElement.style.overflow = "";
  localStorage.clear();
  sessionStorage.clear();
  history.replaceState(null, "", "/");
});
afterEach(() => {
  leadcap?.destroy();
  leadcap = undefined;
  stopEngagement();
  allowStorage(true);
  vi.restoreAllMocks();
});

describe("inline forms", () => {
  it("renders in a styled shadow root of every container, with one config request per form", async () => {
    document.body.innerHTML = `
      <div id="a" data-leadcap-form="contact"></div>
      <div id="b" data-leadcap-form="contact"></div>
      <div id="c" data-leadcap-form="quote"></div>`;
    const network = edge();
    await boot({ fetch: network.fetch }).ready;

    const configs = network.requests.filter((url) => url.includes("/forms/"));
    expect(configs.sort()).toEqual([
      `${ENDPOINT}/v1/sites/demo/forms/contact`,
      `${ENDPOINT}/v1/sites/demo/forms/quote`,
    ]);
    for (const id of ["a", "b"]) {
      const root = document.getElementById(id)!.shadowRoot!;
      expect(root.querySelector("h2")?.textContent).toBe("Talk to us");
      expect(root.adoptedStyleSheets.length > 0 || root.querySelector("style") !== null).toBe(true);
    }
    expect(document.getElementById("c")!.shadowRoot!.querySelector("h2")?.textContent).toBe(
      "Get a tailored quote",
    );
    expect(document.body.querySelector("form")).toBeNull(); // Nothing leaks into the page's own DOM.
  });

  it("inserts its own container after the script tag when the page has none, and destroy removes it", async () => {
    const script = document.createElement("script");
    script.type = "text/plain";
    const after = document.createElement("p");
    document.body.append(script, after);
    await boot({ fetch: edge().fetch, forms: ["contact"], script }).ready;
    const host = script.nextElementSibling as HTMLElement;
    expect(host).not.toBe(after);
    expect(host.shadowRoot?.querySelector("form")).toBeTruthy();
    leadcap!.destroy();
    expect(script.nextElementSibling).toBe(after);
  });

  it("loads only the UI chunk for inline forms in English, and the strings chunk for other languages", async () => {
    document.body.innerHTML = `<div id="a" data-leadcap-form="contact"></div>`;
    let shownWith: string[] = [];
    const onShown = () => (shownWith = [...asked]);
    document.addEventListener("leadcap:impression", onShown);
    await boot({ fetch: edge().fetch }).ready;
    document.removeEventListener("leadcap:impression", onShown);
    expect(shownWith).toEqual(["ui"]); // at once, side by side with the form's config
    // The checks, the outbox and analytics once the form is shown.
    expect(asked).toEqual(["ui", "send"]);
    leadcap!.destroy();

    asked.length = 0;
    document.documentElement.lang = "de";
    try {
      document.body.innerHTML = `<div id="b" data-leadcap-form="contact"></div>`;
      const network = edge();
      await boot({ fetch: network.fetch }).ready;
      expect([...new Set(asked)]).toEqual(["ui", "i18n", "send"]);
      // The form is asked for in the page's language (the edge serves its translation, if any).
      expect(network.requests.some((u) => u.endsWith("/forms/contact?lang=de"))).toBe(true);
      const root = document.getElementById("b")!.shadowRoot!;
      root.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
      await vi.waitFor(() => expect(root.textContent).toContain("Bitte füllen Sie dieses Feld aus."));
    } finally {
      document.documentElement.lang = "";
    }
  });

  it("downloads at once but renders a form further down the page when it comes near the viewport (or the page is idle)", async () => {
    document.body.innerHTML = `<div id="a" data-leadcap-form="contact" data-offscreen></div>`;
    const network = edge();
    const idle = globalThis.requestIdleCallback;
    globalThis.requestIdleCallback = (() => 0) as unknown as typeof requestIdleCallback; // a busy page
    const container = document.getElementById("a")!;
    try {
      boot({ fetch: network.fetch });
      // The UI has taken the container and waits for it to come near (it asked the busy page too).
      await vi.waitFor(() => expect(container.hasAttribute("data-leadcap-mounted")).toBe(true));
    } finally {
      globalThis.requestIdleCallback = idle;
    }
    expect(network.requests).toContain(`${ENDPOINT}/v1/sites/demo/forms/contact`);
    expect(asked).toContain("ui");
    expect(container.shadowRoot).toBeNull();
    reveal(container);
    await leadcap!.ready;
    await vi.waitFor(() => expect(container.shadowRoot?.querySelector("form")).toBeTruthy());
  });

  it("warns, and throws nothing into the page, when a chunk cannot be loaded (blocked, offline)", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    document.body.innerHTML = `<div id="a" data-leadcap-form="contact"></div>`;
    const failing = (async () => {
      throw new Error("blocked");
    }) as LoaderOptions["load"];
    await boot({ fetch: edge().fetch, load: failing }).ready;
    expect(warn).toHaveBeenCalledWith("[leadcap]", expect.any(Error)); // the UI's
    const warned = warn.mock.calls.length;
    leadcap!.command("open", "newsletter");
    await vi.waitFor(() => expect(warn.mock.calls.length).toBeGreaterThan(warned)); // the modes'
    expect(warn).toHaveBeenLastCalledWith("[leadcap]", expect.any(Error));
    expect(document.getElementById("a")!.shadowRoot).toBeNull();
  });

  it("shows nothing and warns when the config cannot be loaded", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    document.body.innerHTML = `<div id="a" data-leadcap-form="nope"></div>`;
    await boot({ fetch: edge().fetch }).ready;
    expect(document.getElementById("a")!.shadowRoot).toBeNull();
    expect(warn).toHaveBeenCalledWith("[leadcap]", "no form", "nope", expect.any(Error));
  });

  it("records the landing touch on start, on a page without any form", async () => {
    await boot({ fetch: edge().fetch }).ready;
    expect(localStorage.getItem("leadcap:first-touch")).toContain(location.href);
  });
});

describe("popups, slide-ins, bars and launchers", () => {
  it("opens a popup when its delay passes, as a labelled modal dialog that locks the page's scroll", async () => {
    const forms = {
      ...demoForms,
      nl: {
        ...demoForms.newsletter!,
        id: "nl",
        display: { mode: "popup", triggers: { delaySeconds: 0.05 } },
      } as FormConfig,
    };
    const events: string[] = [];
    document.addEventListener("leadcap:open", (e) => events.push((e as CustomEvent).detail.form));
    await boot({ fetch: edge(forms).fetch, forms: ["nl"] }).ready;
    expect(overlay("nl")).toBeNull();
    await vi.waitFor(() => expect(overlay("nl")?.shadowRoot?.querySelector('[role="dialog"]')).toBeTruthy());
    const dialog = overlay("nl")!.shadowRoot!.querySelector('[role="dialog"]')!;
    expect(dialog.getAttribute("aria-modal")).toBe("true");
    const title = overlay("nl")!.shadowRoot!.getElementById(dialog.getAttribute("aria-labelledby")!);
    expect(title?.textContent).toBe(demoForms.newsletter!.title);
    expect(document.documentElement.style.overflow).toBe("hidden");
    expect(events).toEqual(["nl"]);

    // Escape closes it, gives the page its scroll back, and a once-per-session cap would hold.
    dialog.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
    await vi.waitFor(() => expect(overlay("nl")).toBeNull());
    expect(document.documentElement.style.overflow).toBe("");
  });

  it("counts an SPA route change made before the site's settings arrived, each view as the page it was", async () => {
    history.replaceState(null, "", "/?utm_source=newsletter&utm_medium=email");
    siteTracking = { keyPages: { pricing: "/pricing*" } };
    const network = edge();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const slow = (async (url: string, init?: RequestInit) => {
      if (url.endsWith("/v1/sites/demo")) await held; // the settings are late
      return network.fetch(url, init);
    }) as typeof network.fetch;
    const push = history.pushState;
    const lc = boot({ fetch: slow });
    await vi.waitFor(() => expect(history.pushState).not.toBe(push)); // the loader follows routes
    history.pushState(null, "", "/pricing");
    release();
    await lc.ready;
    await vi.waitFor(() => expect(JSON.parse(sessionStorage.getItem("leadcap:views")!).views).toBe(2));
    // The landing page was no key page, /pricing was; the campaign is the landing URL's.
    expect(JSON.parse(localStorage.getItem("leadcap:visits")!).keys).toEqual({ pricing: 1 });
    expect(JSON.parse(localStorage.getItem("leadcap:first-touch")!).touch).toMatchObject({
      utm_source: "newsletter",
      utm_medium: "email",
    });
  });

  it("never opens a popup on a page the visitor left (SPA), nor where URL rules exclude it", async () => {
    const forms = {
      p: {
        ...demoForm,
        id: "p",
        display: { mode: "popup", triggers: { delaySeconds: 0.05 }, urls: { exclude: ["/checkout*"] } },
      } as FormConfig,
    };
    await boot({ fetch: edge(forms).fetch, forms: ["p"] }).ready;
    history.pushState(null, "", "/checkout/step-1");
    // The subject is a delay that must pass without the popup: time has to go by here.
    await tick(120);
    expect(overlay("p")).toBeNull();
    // Back on an allowed page, the triggers are armed again.
    history.pushState(null, "", "/blog");
    await vi.waitFor(() => expect(overlay("p")).not.toBeNull());
  });

  it("respects once-per-session and never-after-submit caps across page loads", async () => {
    const slideIn = (id: string, frequency?: Frequency) =>
      ({ ...demoForm, id, display: { mode: "slide-in", ...(frequency && { frequency }) } }) as FormConfig;
    // s: once per session; t: no cap but the default one (never again after a submit); c: the same,
    // never sent, to show what the next page would open.
    const forms = { s: slideIn("s", { oncePerSession: true }), t: slideIn("t"), c: slideIn("c") };
    const shown = (id: string) => overlay(id)?.shadowRoot?.querySelector("form");

    // First page: both open; the visitor sends t.
    await boot({ fetch: edge(forms).fetch, forms: ["s", "t"] }).ready;
    await vi.waitFor(() => {
      expect(shown("s")).toBeTruthy();
      expect(shown("t")).toBeTruthy();
    });
    const sent = new Promise((resolve) =>
      document.addEventListener("leadcap:success", resolve, { once: true }),
    );
    sendContact(overlay("t")!.shadowRoot!);
    expect(((await sent) as CustomEvent<{ form: string }>).detail.form).toBe("t");
    // Kept where the next page load looks: the page's storage.
    expect(JSON.parse(localStorage.getItem("leadcap:caps")!).t.submitted).toBeGreaterThan(0);
    leadcap!.destroy();

    // Next page, same session: c opens; s (shown this session) and t (sent) do not, though they
    // went through the same steps and would have opened with it.
    await boot({ fetch: edge(forms).fetch, forms: ["s", "t", "c"] }).ready;
    await vi.waitFor(() => expect(shown("c")).toBeTruthy());
    expect(overlay("s")).toBeNull();
    expect(overlay("t")).toBeNull();
  });

  it("opens any form from a [data-leadcap-open] click and from leadcap('open'), and closes with leadcap('close')", async () => {
    document.body.innerHTML = `<button data-leadcap-open="contact">Contact</button>`;
    await boot({ fetch: edge().fetch }).ready;
    document.querySelector("button")!.click();
    await vi.waitFor(() =>
      expect(overlay("contact")?.shadowRoot?.querySelector('[role="dialog"]')).toBeTruthy(),
    );
    leadcap!.command("close", "contact");
    expect(overlay("contact")).toBeNull();
    leadcap!.command("open", "demo-request");
    await vi.waitFor(() =>
      expect(overlay("demo-request")?.shadowRoot?.querySelector(".lc-slide")).toBeTruthy(),
    );
  });

  it("opens a click-triggered slide-in for a click made before its trigger was armed", async () => {
    document.body.innerHTML = `<button data-demo-cta>Book a demo</button>`;
    const push = history.pushState;
    const lc = boot({ fetch: edge().fetch, forms: [] });
    // The loader listens from its second task, clicks and routes at once.
    await vi.waitFor(() => expect(history.pushState).not.toBe(push));
    document.querySelector("button")!.click(); // before the page names the form, before any chunk
    expect(overlay("demo-request")).toBeNull();
    lc.command("forms", ["demo-request"]);
    await vi.waitFor(() =>
      expect(overlay("demo-request")?.shadowRoot?.querySelector(".lc-slide")).toBeTruthy(),
    );
  });

  it("shows a launcher's button at once and opens its panel on click", async () => {
    await boot({ fetch: edge().fetch, forms: ["pricing"] }).ready;
    await vi.waitFor(() => expect(overlay("pricing")?.shadowRoot?.querySelector(".lc-launch")).toBeTruthy());
    const root = overlay("pricing")!.shadowRoot!;
    const button = root.querySelector<HTMLButtonElement>(".lc-launch")!;
    expect(button.textContent).toBe("Pricing questions?");
    expect(button.getAttribute("aria-expanded")).toBe("false");
    button.click();
    await vi.waitFor(() => expect(root.querySelector('[role="dialog"]')).toBeTruthy());
    expect(button.getAttribute("aria-expanded")).toBe("true");
  });

  it("shows a bar with its close button", async () => {
    await boot({ fetch: edge().fetch, forms: ["updates"] }).ready;
    await vi.waitFor(() =>
      expect(overlay("updates")?.shadowRoot?.querySelector(".lc-bar.lc-top")).toBeTruthy(),
    );
    overlay("updates")!.shadowRoot!.querySelector<HTMLButtonElement>(".lc-x")!.click();
    await vi.waitFor(() => expect(overlay("updates")).toBeNull());
  });
});

describe("JS API, consent and the outbox", () => {
  it("prefills forms from identify and set", async () => {
    document.body.innerHTML = `<div id="a" data-leadcap-form="contact"></div>`;
    const lc = boot({ fetch: edge().fetch });
    lc.command("identify", { email: "ada@example.com" });
    await lc.ready;
    const root = document.getElementById("a")!.shadowRoot!;
    expect(root.querySelector<HTMLInputElement>('input[name="email"]')!.value).toBe("ada@example.com");
    lc.command("set", "company", "Analytical Engines");
    await vi.waitFor(() =>
      expect(root.querySelector<HTMLInputElement>('input[name="company"]')!.value).toBe("Analytical Engines"),
    );
  });

  it("in consent mode, writes nothing to storage until consent is given", async () => {
    const lc = boot({ fetch: edge().fetch, consent: "required" });
    await lc.ready;
    expect(localStorage.length).toBe(0);
    expect(sessionStorage.length).toBe(0);
    lc.command("consent", true);
    expect(localStorage.getItem("leadcap:first-touch")).toContain(location.href);
    lc.command("consent", false); // Withdrawn: what tracking stored is dropped.
    expect(localStorage.getItem("leadcap:first-touch")).toBeNull();
  });

  it("takes consent mode and key pages from the site's settings; script attributes override them", async () => {
    history.replaceState(null, "", "/pricing");
    siteTracking = { consentMode: "required", keyPages: { pricing: "/pricing*" } };
    const lc = boot({ fetch: edge().fetch });
    await lc.ready;
    expect(localStorage.length + sessionStorage.length).toBe(0); // consent mode, from the site
    lc.command("consent", true);
    expect(JSON.parse(localStorage.getItem("leadcap:visits")!).keys).toEqual({ pricing: 1 });
    lc.destroy();
    stopEngagement();
    localStorage.clear();
    sessionStorage.clear();

    // data-consent="off" and data-key-pages win over the site's settings.
    await boot({ fetch: edge().fetch, consent: "off", keyPages: { "/pricing*": "/pricing*" } }).ready;
    expect(JSON.parse(localStorage.getItem("leadcap:visits")!).keys).toEqual({ "/pricing*": 1 });
  });

  it("takes the site's settings from the named form's config, else (no form named, an older edge) asks", async () => {
    siteTracking = { consentMode: "required" };
    const settingsAsked = (network: ReturnType<typeof edge>) =>
      network.requests.filter((url) => url.endsWith("/v1/sites/demo")).length;
    // A script naming a form: one request brings the form and the settings.
    let network = edge();
    await boot({ fetch: network.fetch, forms: ["contact"] }).ready;
    expect(settingsAsked(network)).toBe(0);
    expect(localStorage.length + sessionStorage.length).toBe(0); // consent mode, from the form's answer
    leadcap!.destroy();
    // No form named (a page with tracking only), or an edge whose form configs lack the settings.
    for (const [forms, carry] of [
      [[], true],
      [["contact"], false],
    ] as const) {
      formsCarryTracking = carry;
      network = edge();
      await boot({ fetch: network.fetch, forms: [...forms] }).ready;
      expect(settingsAsked(network)).toBe(1);
      expect(localStorage.length + sessionStorage.length).toBe(0);
      leadcap!.destroy();
    }
  });

  it("stores nothing when the site's settings cannot be read (they may ask for consent)", async () => {
    const network = edge();
    const fetch = vi.fn(async (url: string, init?: RequestInit) =>
      url.endsWith("/v1/sites/demo") ? Promise.reject(new TypeError("offline")) : network.fetch(url, init),
    );
    await boot({ fetch }).ready;
    expect(localStorage.length + sessionStorage.length).toBe(0);
  });

  it("honours Global Privacy Control when asked to", async () => {
    Object.defineProperty(navigator, "globalPrivacyControl", { configurable: true, value: true });
    try {
      await boot({ fetch: edge().fetch, gpc: true }).ready;
      expect(localStorage.length).toBe(0);
    } finally {
      delete (navigator as { globalPrivacyControl?: boolean }).globalPrivacyControl;
    }
  });

  it("resends on load what the outbox kept from a closed tab", async () => {
    const body = JSON.stringify({ site: "demo", form: "contact", submissionId: "left_behind_1" });
    localStorage.setItem(
      OUTBOX_KEY,
      JSON.stringify([
        { id: "left_behind_1", endpoint: ENDPOINT, body, tries: 1, next: 0, created: Date.now() },
      ]),
    );
    const network = edge();
    await boot({ fetch: network.fetch }).ready;
    // Once the page is idle: sent, and gone from the outbox.
    await vi.waitFor(() => expect(JSON.parse(localStorage.getItem(OUTBOX_KEY)!)).toEqual([]));
    expect(network.requests).toContain(`${ENDPOINT}/v1/answers`);
  });

  it("resends what the outbox kept on a page whose form never shows", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    const body = JSON.stringify({ site: "demo", form: "contact", submissionId: "left_behind_2" });
    localStorage.setItem(
      OUTBOX_KEY,
      JSON.stringify([
        { id: "left_behind_2", endpoint: ENDPOINT, body, tries: 1, next: 0, created: Date.now() },
      ]),
    );
    document.body.innerHTML = `<div data-leadcap-form="gone"></div>`; // the UI loads; no form shows
    const network = edge();
    await boot({ fetch: network.fetch }).ready;
    await vi.waitFor(() => expect(JSON.parse(localStorage.getItem(OUTBOX_KEY)!)).toEqual([]));
    expect(leadPosts(network)).toBe(1);
  });

  const leadPosts = (network: ReturnType<typeof edge>) =>
    network.requests.filter((url) => url === `${ENDPOINT}/v1/answers`).length;
  /** The contact form on a page where leadcap-send.js cannot be loaded until `online()`. */
  function offlineForSend() {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    document.body.innerHTML = `<div id="a" data-leadcap-form="contact"></div>`;
    let offline = true;
    const flaky = (async (name: keyof Chunks) => {
      if (name === "send" && offline) throw new Error("offline");
      return load!(name);
    }) as LoaderOptions["load"];
    const online = () => {
      offline = false;
    };
    return { network: edge(), flaky, online };
  }

  it("keeps a lead sent while the checks and the outbox cannot load (offline), and sends it once when back", async () => {
    const { network, flaky, online } = offlineForSend();
    await boot({ fetch: network.fetch, load: flaky }).ready;
    const root = document.getElementById("a")!.shadowRoot!;
    sendContact(root);
    // Said to be saved, and it is, where the outbox looks (this page's or the next one's).
    await vi.waitFor(() => expect(root.textContent).toContain("saved on this device"));
    const kept = JSON.parse(localStorage.getItem(OUTBOX_KEY)!) as Array<{ body: string }>;
    expect(kept).toHaveLength(1);
    expect(JSON.parse(kept[0]!.body).fields).toMatchObject({ email: "ada@example.com", name: "Ada" });
    expect(network.requests).not.toContain(`${ENDPOINT}/v1/answers`);

    online();
    dispatchEvent(new Event("online"));
    dispatchEvent(new Event("online")); // twice: still one lead
    await vi.waitFor(() => expect(root.textContent).toContain("Thank you!"));
    expect(JSON.parse(localStorage.getItem(OUTBOX_KEY)!)).toEqual([]);
    expect(leadPosts(network)).toBe(1);
  });

  it("hands a kept lead to the outbox however the checks arrive (another form shown), and sends it once", async () => {
    const { network, flaky, online } = offlineForSend();
    const lc = boot({ fetch: network.fetch, load: flaky });
    await lc.ready;
    const root = document.getElementById("a")!.shadowRoot!;
    sendContact(root);
    await vi.waitFor(() => expect(root.textContent).toContain("saved on this device"));
    // Back online without an `online` event; a second form shows and brings leadcap-send.js.
    online();
    document.body.insertAdjacentHTML("beforeend", `<div id="b" data-leadcap-form="newsletter"></div>`);
    lc.command("forms", []);
    await vi.waitFor(() => expect(root.textContent).toContain("Thank you!")); // the form learns its lead went through
    expect(document.getElementById("b")!.shadowRoot?.querySelector("form")).toBeTruthy();
    expect(leadPosts(network)).toBe(1);
    dispatchEvent(new Event("online"));
    // Nothing is to happen, so there is no event to wait for: a second lead would leave at once.
    await tick(20);
    expect(leadPosts(network)).toBe(1);
  });

  it("counts one submission when Send is clicked twice while the checks are on their way", async () => {
    (window as { dataLayer?: unknown[] }).dataLayer = [];
    document.body.innerHTML = `<div id="a" data-leadcap-form="contact"></div>`;
    let arrive!: () => void;
    const arrived = new Promise<void>((resolve) => (arrive = resolve));
    const slow = (async (name: keyof Chunks) => {
      if (name === "send") await arrived;
      return load!(name);
    }) as LoaderOptions["load"];
    const network = edge();
    await boot({ fetch: network.fetch, load: slow }).ready;
    const root = document.getElementById("a")!.shadowRoot!;
    sendContact(root);
    root.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    arrive();
    const events = () => (window as { dataLayer?: Array<{ event: string }> }).dataLayer!.map((e) => e.event);
    await vi.waitFor(() => expect(events()).toContain("leadcap.success"));
    const pushed = events();
    expect(pushed.filter((e) => e === "leadcap.submit")).toHaveLength(1);
    expect(pushed.filter((e) => e === "leadcap.success")).toHaveLength(1);
    expect(leadPosts(network)).toBe(1);
    delete (window as { dataLayer?: unknown[] }).dataLayer;
  });

  it("reports impressions to /v1/counts and pushes lifecycle events to the dataLayer", async () => {
    (window as { dataLayer?: unknown[] }).dataLayer = [];
    document.body.innerHTML = `<div data-leadcap-form="contact"></div>`;
    const network = edge();
    const lc = boot({ fetch: network.fetch });
    await lc.ready;
    expect((window as { dataLayer?: unknown[] }).dataLayer).toContainEqual({
      event: "leadcap.impression",
      leadcapForm: "contact",
    });
    lc.destroy(); // flushes the batch
    await vi.waitFor(() => expect(network.bodies.some((b) => (b as { events?: unknown }).events)).toBe(true));
    const batch = network.bodies.find((b) => (b as { events?: unknown }).events) as {
      site: string;
      events: Array<{ type: string; form: string }>;
    };
    expect(batch.site).toBe("demo");
    expect(batch.events).toContainEqual(expect.objectContaining({ type: "impression", form: "contact" }));
    // With the visit's latest touch, so the edge can count conversion per channel and campaign.
    expect((batch as { touch?: { landingPage?: string } }).touch?.landingPage).toBe(location.href);
    delete (window as { dataLayer?: unknown[] }).dataLayer;
  });

  it("destroy leaves the page as it was", async () => {
    document.body.innerHTML = `<div id="a" data-leadcap-form="contact"></div><button data-leadcap-open="newsletter">x</button>`;
    const push = history.pushState;
    // A bar of its own: "updates" was closed above, and its cap (never after a close) outlives a
    // loader in this module's memory, as it would outlive one in a page.
    const forms = { ...demoForms, bar: { ...demoForms.updates!, id: "bar" } };
    const lc = boot({ fetch: edge(forms).fetch, forms: ["bar"] });
    await lc.ready;
    await vi.waitFor(() => expect(overlay("bar")).not.toBeNull());
    lc.destroy();
    expect(history.pushState).toBe(push);
    expect(document.querySelector("[data-leadcap-overlay]")).toBeNull();
    expect(document.getElementById("a")!.hasAttribute("data-leadcap-mounted")).toBe(false);
    expect(document.getElementById("a")!.shadowRoot!.childNodes.length).toBe(0);
  });
});
