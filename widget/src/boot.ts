/**
 * The loader: finds where forms go, gives each its own shadow root, and renders. It never throws into
 * the page: anything unexpected is a `[leadcap]` warning and no form.
 */
import { h, render } from "preact";
import type { FormConfig } from "../../shared/config.ts";
import { browserFetch, type Fetch, loadFormConfig } from "./api.ts";
import { recordAttribution } from "./attribution.ts";
import { startEngagement } from "./engagement.ts";
import { warn } from "./log.ts";
import { applyStyles } from "./ui/styles.ts";
import { Widget } from "./ui/Widget.tsx";

export interface BootOptions {
  site: string;
  form: string;
  /** Origin of the Leadcap edge, without a trailing slash. */
  endpoint: string;
  /** The script tag; when the page has no container for the form, one is inserted right after it. */
  script?: HTMLScriptElement | null;
  fetch?: Fetch;
}

export interface Mounted {
  /** Settles once every container shows its form (or, if the config failed, nothing). */
  ready: Promise<void>;
  /** Unmounts every form and removes the containers the widget inserted itself. */
  destroy(): void;
}

/** Marks a container as taken, so a script included twice does not render the form twice. */
const MOUNTED = "data-leadcap-mounted";

/** Reads the embedding script's `data-*`. Call it from the top level: currentScript is null later. */
export function scriptOptions(script: HTMLScriptElement | null): BootOptions | undefined {
  const site = script?.dataset.site;
  const form = script?.dataset.form;
  if (!script || !site || !form) {
    warn("the script tag needs data-site and data-form");
    return undefined;
  }
  const endpoint = (script.dataset.endpoint || new URL(script.src, location.href).origin).replace(/\/+$/, "");
  return { site, form, endpoint, script };
}

export function boot(options: BootOptions): Mounted {
  const { site, form, endpoint, script, fetch = browserFetch } = options;
  // The eager part: record the landing touch and start counting engagement on every page.
  recordAttribution();
  startEngagement();

  const containers = Array.from(document.querySelectorAll<HTMLElement>("[data-leadcap-form]")).filter(
    (element) => element.dataset.leadcapForm === form && !element.hasAttribute(MOUNTED),
  );
  const inserted: HTMLElement[] = [];
  if (containers.length === 0 && script?.parentNode) {
    const element = document.createElement("div");
    element.dataset.leadcapForm = form;
    script.after(element);
    inserted.push(element);
    containers.push(element);
  }

  const roots: ShadowRoot[] = [];
  for (const container of containers) {
    try {
      const root = container.attachShadow({ mode: "open" });
      container.setAttribute(MOUNTED, "");
      applyStyles(root);
      roots.push(root);
    } catch (error) {
      warn("could not render into", container, error);
    }
  }

  // One request per page whatever the number of containers; each shows a loading state meanwhile.
  const show = (config: FormConfig | null | undefined) => {
    for (const root of roots) render(h(Widget, { site, endpoint, form: config, fetch }), root);
  };
  show(undefined);
  const ready = loadFormConfig(endpoint, site, form, fetch)
    .then(show)
    .catch((error: unknown) => {
      warn(`could not load form "${form}" of site "${site}":`, error);
      show(null);
    })
    .catch(() => {}); // Nothing left to show: the page stays as it was.

  return {
    ready,
    destroy() {
      for (const root of roots) render(null, root);
      for (const element of inserted) element.remove();
    },
  };
}
