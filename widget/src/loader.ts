/**
 * The eager loader: runs on every page, with or without a form. It records attribution and
 * engagement (unless consent mode says not yet), resends what the outbox holds, renders inline forms,
 * follows SPA route changes and answers the JS API. Everything else is loaded from the same origin
 * only when the page needs it: the form UI when a form renders, the modes chunk (triggers, popups,
 * slide-ins, launchers, bars) when a form is not inline, other languages' strings when asked for.
 *
 * It never throws into the page: anything unexpected is a `[leadcap]` warning and no form.
 */
import type { FormConfig, PublicSiteConfig, Tracking } from "../../shared/config.ts";
import type { FieldValue } from "../../shared/lead.ts";
import { browserFetch, type Fetch, loadFormConfig } from "./api.ts";
import { currentAttribution, recordAttribution, touchFromUrl } from "./attribution.ts";
import { engagementSnapshot, startEngagement, stopEngagement, trackPageView } from "./engagement.ts";
import type { Chunks, Host, Inline, Load, LoaderHost, Modes } from "./host.ts";
import { warn } from "./log.ts";
import { OUTBOX_KEY, persist } from "./outbox.ts";
import { allowStorage, readJson, storageArea } from "./storage.ts";
import { idle, nextTask } from "./tasks.ts";

export interface LoaderOptions {
  site: string;
  /** Forms named by the script tag (`data-form`, comma-separated). */
  forms: string[];
  /** Origin of the Leadcap edge, without a trailing slash. */
  endpoint: string;
  /** The script tag: `data-*` for hidden fields; an inline form with no container goes after it. */
  script?: HTMLScriptElement | null;
  /** Loads a lazy chunk. @default an import() of leadcap-<name>.js next to leadcap.js */
  load?: Load;
  fetch?: Fetch;
  /**
   * Overrides of the site's tracking settings (GET /v1/sites/:site); left out, the site's apply.
   * consent: "required" is consent mode, store and track nothing until `leadcap('consent', true)`.
   */
  consent?: "required" | "off" | undefined;
  /** Honour Global Privacy Control / Do Not Track: no tracking at all when the browser sends them. */
  gpc?: boolean | undefined;
  dnt?: boolean | undefined;
  /** Key pages for engagement: name → URL pattern. */
  keyPages?: Record<string, string> | undefined;
}

export interface Leadcap {
  /** Settles once the forms present at start have rendered (or failed to). */
  ready: Promise<void>;
  command(name: string, ...args: unknown[]): void;
  destroy(): void;
}

declare const __LEADCAP_FILES__: Record<string, string> | undefined;
/** The lazy chunks' files by name, content-hashed (`ui` → `leadcap-ui.1a2b3c4d.js`): set by the build. */
const FILES: Record<string, string | undefined> =
  typeof __LEADCAP_FILES__ === "object" ? __LEADCAP_FILES__ : {};

/**
 * Loads each chunk once, as a module: dynamic import() is no Trusted Types sink, so a page that
 * requires Trusted Types for scripts (with a default policy of its own, or allowing no policy at all)
 * gets the form with no violation and no policy of ours; the page's CSP `script-src` and the loader's
 * nonce apply as to the loader itself (the chunks are served with CORS for this). A chunk defines its
 * global on `self` (widget/vite.config.ts). A failed load may be tried again (Chromium does not keep
 * a failed import in its module map). `prefix`: the chunks' names start `w-` where the
 * loader is served under a neutral name (first-party, out of filter lists' way), else `leadcap-`.
 */
export function moduleChunks(base: string, prefix = "leadcap-"): Load {
  const loading: Record<string, Promise<unknown> | undefined> = {};
  return <K extends keyof Chunks>(name: K) => {
    const file = (FILES[name] ?? `leadcap-${name}.js`).replace("leadcap-", prefix);
    loading[name] ??= import(/* @vite-ignore */ base + file).then(
      () => (self as unknown as Record<string, unknown>)[`__leadcap_${name}`],
      (error: unknown) => {
        loading[name] = undefined;
        throw error;
      },
    );
    return loading[name] as Promise<Chunks[K]>;
  };
}

const modeOf = (config: FormConfig) => config.display?.mode ?? "inline";

export function start(options: LoaderOptions): Leadcap {
  const { site, endpoint, script } = options;
  const fetch = options.fetch ?? browserFetch;
  const src = script?.src || `${endpoint}/leadcap.js`;
  const load =
    options.load ?? moduleChunks(new URL(".", src).href, /\/leadcap\.js($|\?)/.test(src) ? "leadcap-" : "w-");
  const nav = navigator as Navigator & { globalPrivacyControl?: boolean };
  /** Site settings, once known: nothing is stored or tracked before (consent mode may be on). */
  let settings: Partial<Tracking> | undefined;
  /** What the page said through leadcap('consent', …), if anything. */
  let consented: boolean | undefined;
  let tracking = false;

  /** Where the visitor landed: tracking starts later, maybe after an SPA has moved on. */
  const landing = location.href;
  /** SPA route changes before the site's settings arrived: page views to count if tracking starts. */
  const early: string[] = [];
  /** Engagement, once per page (startEngagement keeps the first tracker), then the early views. */
  const engage = () => {
    if (!tracking || destroyed) return;
    startEngagement({ keyPages: settings?.keyPages, href: landing });
    for (const href of early.splice(0)) trackPageView(href);
  };
  /**
   * `later` (the site's settings just arrived): attribution and engagement (storage to open, read
   * and write) wait for `later` to settle, then take a task each.
   */
  const setTracking = (later?: Promise<unknown>) => {
    if (!settings) return allowStorage(false);
    const { consentMode, honorGpc, honorDnt } = settings;
    const optedOut = (honorGpc && nav.globalPrivacyControl) || (honorDnt && nav.doNotTrack === "1");
    const on = (consented ?? consentMode !== "required") && !optedOut;
    const was = tracking;
    allowStorage(on);
    tracking = on;
    if (!on) early.length = 0; // not tracked, now or before
    if (on && !was) {
      const attribute = () => void (tracking && !destroyed && recordAttribution(landing));
      if (later) return later.then(nextTask).then(attribute).then(nextTask).then(engage);
      attribute();
      engage();
    }
    if (!on && was) stopEngagement();
  };
  setTracking();
  // The site's tracking settings, with the script's data-* attributes as overrides: served with the
  // config of the form the script names, else (no form named, or an older edge) asked for. Unreadable
  // (edge down): consent mode, unless the script tag says otherwise. Tracking then starts once
  // `first` settles: the forms present at start render before it.
  const settle = (first: Promise<unknown>) =>
    Promise.resolve(options.forms[0] && config(options.forms[0]))
      .then(
        () =>
          served ??
          fetch(`${endpoint}/v1/sites/${encodeURIComponent(site)}`, { credentials: "omit" }).then(
            (response) =>
              response.ok
                ? (response.json() as Promise<PublicSiteConfig>).then((c) => c.tracking)
                : undefined,
          ),
      )
      .catch(() => undefined)
      .then((tracking: Partial<Tracking> = { consentMode: "required" }) => {
        settings = {
          consentMode: options.consent ?? tracking.consentMode,
          honorGpc: options.gpc ?? tracking.honorGpc ?? true,
          honorDnt: options.dnt ?? tracking.honorDnt,
          keyPages: options.keyPages ?? tracking.keyPages,
        };
        if (!destroyed) return setTracking(first);
      });

  const configs = new Map<string, Promise<FormConfig | undefined>>();
  const cleanups: Array<() => void> = [];
  let ui: Promise<Inline> | undefined;
  /** The UI and the modes chunk once they run, for what must happen at once (close, set, destroy). */
  let uiNow: Inline | undefined;
  let modes: Promise<Modes> | undefined;
  let modesNow: Modes | undefined;
  let destroyed = false;
  const gone = () => destroyed;

  // Every event follows a render, so the UI chunk carries the events code and is there to send them.
  const emit: Host["emit"] = (type, form) => uiNow?.emit(type, form, tracking);

  const host: LoaderHost = {
    site,
    signals() {
      // Consent not given: the page's own URL and referrer, remembered nowhere.
      const touch = tracking ? undefined : touchFromUrl(location.href, document.referrer, new Date());
      return {
        attribution: touch ? { firstTouch: touch, lastTouch: touch } : currentAttribution(),
        engagement: engagementSnapshot(),
      };
    },
    emit,
    prefill: {},
  };

  /** The site's tracking settings as a form's config brought them. */
  let served: Tracking | undefined;
  const config = (id: string) => {
    let loading = configs.get(id);
    if (!loading) {
      loading = loadFormConfig(endpoint, site, id, fetch).then(
        (body) => {
          served ??= body.tracking;
          return body.form;
        },
        (error: unknown) => {
          warn(`no form "${id}":`, error);
          configs.delete(id); // A later open() may try again.
          return undefined;
        },
      );
      configs.set(id, loading);
    }
    return loading;
  };

  const withUI = () =>
    (ui ??= load("ui").then(
      (chunk) =>
        (uiNow = chunk.inline({
          host,
          endpoint,
          fetch,
          config,
          load,
          script,
          first: options.forms[0],
          gone,
          persist: (submission) => persist(endpoint, submission),
        })),
    ));
  const withModes = (then: (m: Modes) => unknown) => {
    modes ??= load("modes").then(
      (chunk) =>
        (modesNow = chunk.modes({
          host,
          config,
          prepare: (form) => withUI().then((u) => u.prepare(form)),
          clicked: () => clicked,
          gone,
        })),
    );
    return modes.then(then).catch(warn);
  };

  // Inline forms: their configs and the UI download side by side, at once; the UI renders them
  // (`fetchOnly`: not yet, the page is still being parsed).
  const scan = (fetchOnly?: boolean) => {
    const containers = document.querySelectorAll<HTMLElement>("[data-leadcap-form]");
    if (!containers.length) return;
    const loading = withUI();
    for (const el of containers) void config(el.dataset.leadcapForm!);
    return fetchOnly ? loading.catch(() => {}) : loading.then((u) => u.scan()).catch(warn);
  };

  // The script's forms: an inline one without a container renders after the script tag (the UI
  // does it); the others' triggers are armed by the modes chunk.
  const arm = async (id: string) => {
    const form = await config(id);
    if (!form || destroyed) return;
    if (modeOf(form) === "inline") await withUI().then((u) => u.scan());
    else await withModes((m) => m.arm(id));
  };

  // Clicks on [data-leadcap-open="form"] open that form, whatever its mode. The last click is kept
  // for a click trigger armed after it (the modes chunk may still be on its way).
  let clicked: Element | null = null;
  const onClick = (event: Event) => {
    clicked = event.target as Element | null;
    const id = clicked?.closest?.("[data-leadcap-open]")?.getAttribute("data-leadcap-open");
    if (!id) return;
    event.preventDefault();
    void withModes((m) => m.open(id));
  };

  // SPA: a route change is a page view; the chunks re-run URL rules, triggers and containers.
  let href = location.href;
  const onRoute = () => {
    if (destroyed || location.href === href) return;
    href = location.href;
    clicked = null;
    // The landing page view first, if tracking is on but has not started yet. Before the settings
    // say whether it is, the view waits.
    if (settings) {
      engage();
      trackPageView();
    } else early.push(href);
    modesNow?.route();
    if (uiNow) uiNow.route();
    else setTimeout(scan, 0);
  };

  // Start. In the task that ran the script, the named forms' configs and the site settings leave at
  // once, and so do the UI chunk and the configs of the containers the page already has (embeds put
  // the container before the script). Once the page is parsed (in the next task if it already is),
  // the containers are looked for again and rendered (a named inline form without a container loads
  // the UI when its config says it is inline; a popup's triggers need only the modes chunk), then
  // the route and click listeners go on. Tracking (and so page views of an SPA) waits for the
  // settings, then for the forms present at start to render (a second at most): what the visitor
  // sees goes first. Each step is short, and the page may handle input in between. What a closed
  // tab left in the outbox is resent once the page is idle, by the UI chunk and leadcap-send.js,
  // which carry the outbox (every submission comes from a form): pages with nothing to resend never
  // load them for that.
  for (const id of options.forms) void config(id);
  void scan(true);
  const scanning =
    document.readyState === "loading"
      ? new Promise((resolve) => document.addEventListener("DOMContentLoaded", resolve, { once: true }))
      : nextTask();
  const found = scanning.then(() => scan());
  const settled = settle(Promise.race([found, new Promise((resolve) => setTimeout(resolve, 1000))]));
  idle(() => {
    if (!destroyed && readJson<unknown[]>(storageArea("localStorage", true), OUTBOX_KEY)?.length)
      withUI().then((u) => u.resend(), warn);
  });
  const wired = scanning.then(() => {
    if (destroyed) return;
    for (const method of ["pushState", "replaceState"] as const) {
      const original = history[method];
      const wrapped = function (this: History, ...args: Parameters<History["pushState"]>) {
        const result = original.apply(this, args);
        try {
          onRoute();
        } catch (error) {
          warn(error); // Never the page's navigation's problem.
        }
        return result;
      };
      history[method] = wrapped;
      cleanups.push(() => {
        if (history[method] === wrapped) history[method] = original;
      });
    }
    const listeners: Array<[EventTarget, string, EventListener]> = [
      [document, "click", onClick],
      [window, "popstate", onRoute],
    ];
    for (const [target, type, listener] of listeners) {
      target.addEventListener(type, listener);
      cleanups.push(() => target.removeEventListener(type, listener));
    }
    return settled;
  });
  const readyAll = Promise.all([wired, found, ...options.forms.map((id) => scanning.then(() => arm(id)))])
    .then(() => void document.dispatchEvent(new CustomEvent("leadcap:ready")))
    .catch(warn);

  const api: Leadcap = {
    ready: readyAll,
    command(name, ...args) {
      try {
        if (destroyed) return;
        if (name === "open" && typeof args[0] === "string") {
          const id = args[0];
          void withModes((m) => m.open(id));
        } else if (name === "close") modesNow?.close(args[0]);
        else if (name === "identify" || name === "set") {
          const values: Record<string, FieldValue> =
            name === "set" ? { [String(args[0])]: args[1] as FieldValue } : { ...(args[0] as object) };
          Object.assign(host.prefill, values);
          for (const [field, value] of Object.entries(values)) uiNow?.set(field, value);
        } else if (name === "consent") {
          consented = args[0] === true;
          if (!consented) forget();
          setTracking();
        } else if (name === "forms") {
          for (const id of args.flat()) if (typeof id === "string") void arm(id);
          void scan();
        } else if (name === "destroy") api.destroy();
        else warn("unknown command", name);
      } catch (error) {
        warn(name, error);
      }
    },
    destroy() {
      destroyed = true;
      modesNow?.destroy();
      uiNow?.destroy();
      for (const cleanup of cleanups) cleanup();
      stopEngagement();
    },
  };
  return api;
}

/** Consent withdrawn: drop what tracking stored (the outbox keeps the visitor's own submissions). */
function forget(): void {
  for (const kind of ["localStorage", "sessionStorage"] as const) {
    const storage = storageArea(kind, true) as Storage | undefined;
    for (const key of Object.keys(storage ?? {}))
      if (key.startsWith("leadcap:") && key !== OUTBOX_KEY) storage!.removeItem(key);
  }
}
