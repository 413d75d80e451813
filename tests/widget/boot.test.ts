import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { boot, type Mounted, scriptOptions } from "../../widget/src/boot.ts";
import { stopEngagement } from "../../widget/src/engagement.ts";
import { demoForm, fakeFetch, json } from "./support.ts";

const ENDPOINT = "https://edge.test";
const configAnswer = json(200, { site: "demo", form: demoForm });

function addScript(attributes: Record<string, string>): HTMLScriptElement {
  const script = document.createElement("script");
  // Not a real src: happy-dom must not try to load it.
  script.type = "text/plain";
  for (const [name, value] of Object.entries(attributes)) script.setAttribute(name, value);
  document.body.append(script);
  return script;
}

let mounted: Mounted | undefined;
beforeEach(() => {
  document.body.innerHTML = "";
  localStorage.clear();
  sessionStorage.clear();
});
afterEach(() => {
  mounted?.destroy();
  mounted = undefined;
  stopEngagement();
  vi.restoreAllMocks();
});

describe("scriptOptions", () => {
  it("reads data-site and data-form, and defaults the endpoint to the script's origin", () => {
    const script = addScript({
      src: "https://edge.example/leadcap.js",
      "data-site": "demo",
      "data-form": "contact",
    });
    expect(scriptOptions(script)).toEqual({
      site: "demo",
      form: "contact",
      endpoint: "https://edge.example",
      script,
    });
  });

  it("takes data-endpoint when given", () => {
    const script = addScript({
      src: "https://cdn.example/leadcap.js",
      "data-site": "demo",
      "data-form": "contact",
      "data-endpoint": "https://leads.example.com/",
    });
    expect(scriptOptions(script)?.endpoint).toBe("https://leads.example.com");
  });

  it("warns and gives up without data-site", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    expect(scriptOptions(addScript({ src: "https://edge.example/leadcap.js" }))).toBeUndefined();
    expect(scriptOptions(null)).toBeUndefined();
    expect(warn).toHaveBeenCalledWith("[leadcap]", expect.stringContaining("data-site"));
  });
});

describe("boot", () => {
  it("renders the form in a styled shadow root of every container for that form", async () => {
    document.body.innerHTML = `
      <div id="a" data-leadcap-form="contact"></div>
      <div id="other" data-leadcap-form="newsletter"></div>
      <div id="b" data-leadcap-form="contact"></div>`;
    const network = fakeFetch(configAnswer);
    mounted = boot({ site: "demo", form: "contact", endpoint: ENDPOINT, fetch: network.fetch });

    // The loading state shows while the config is on its way.
    expect(document.getElementById("a")!.shadowRoot!.textContent).toContain("Loading");
    await mounted.ready;

    expect(network.requests.map((request) => request.url)).toEqual([
      `${ENDPOINT}/v1/sites/demo/forms/contact`,
    ]);
    for (const id of ["a", "b"]) {
      const root = document.getElementById(id)!.shadowRoot!;
      expect(root.querySelector("h2")?.textContent).toBe("Talk to us");
      expect(root.querySelectorAll("label").length).toBe(4);
      const styled = root.adoptedStyleSheets.length > 0 || root.querySelector("style") !== null;
      expect(styled).toBe(true);
    }
    expect(document.getElementById("other")!.shadowRoot).toBeNull();
    // Nothing leaks into the page's own DOM.
    expect(document.body.querySelector("form")).toBeNull();
  });

  it("inserts its own container right after the script tag when the page has none", async () => {
    const script = addScript({ "data-site": "demo", "data-form": "contact" });
    const after = document.createElement("p");
    document.body.append(after);
    mounted = boot({
      site: "demo",
      form: "contact",
      endpoint: ENDPOINT,
      script,
      fetch: fakeFetch(configAnswer).fetch,
    });
    await mounted.ready;

    const host = script.nextElementSibling as HTMLElement;
    expect(host).not.toBe(after);
    expect(host.shadowRoot?.querySelector("form")).toBeTruthy();

    mounted.destroy();
    mounted = undefined;
    expect(script.nextElementSibling).toBe(after);
  });

  it("shows nothing and warns when the config cannot be loaded", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    document.body.innerHTML = `<div id="a" data-leadcap-form="contact"></div>`;
    const network = fakeFetch(json(404, { error: { code: "not_found", message: "No such form." } }));
    mounted = boot({ site: "demo", form: "contact", endpoint: ENDPOINT, fetch: network.fetch });
    await mounted.ready;

    expect(document.getElementById("a")!.shadowRoot!.textContent).toBe("");
    expect(warn).toHaveBeenCalledWith(
      "[leadcap]",
      expect.stringContaining('form "contact"'),
      expect.any(Error),
    );
  });

  it("records the landing touch on boot, before anyone submits", async () => {
    document.body.innerHTML = `<div data-leadcap-form="contact"></div>`;
    mounted = boot({
      site: "demo",
      form: "contact",
      endpoint: ENDPOINT,
      fetch: fakeFetch(configAnswer).fetch,
    });
    await mounted.ready;
    expect(localStorage.getItem("leadcap:first-touch")).toContain(location.href);
  });
});
