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
import type { Events } from "./events.ts";
import type { Chunks, Host, Load, Modes, MountedForm, MountOptions } from "./host.ts";
import { warn } from "./log.ts";
import { createOutbox, OUTBOX_KEY } from "./outbox.ts";
import { allowStorage, storageArea } from "./storage.ts";

export interface LoaderOptions {
  site: string;
  /** Forms named by the script tag (`data-form`, comma-separated). */
  forms: string[];
  /** Origin of the Leadcap edge, without a trailing slash. */
  endpoint: string;
  /** The script tag: `data-*` for hidden fields; an inline form with no container goes after it. */
  script?: HTMLScriptElement | null;
  /** Loads a lazy chunk. @default a <script> for leadcap-<name>.js next to leadcap.js */
  load?: Load;
  fetch?: Fetch;
  /**
   * Overrides of the site's tracking settings (GET /v1/sites/:site); left out, the site's apply.
   * consent: consent mode, store and track nothing until `leadcap('consent', true)`.
   */
  consent?: boolean | undefined;
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

const MOUNTED = "data-leadcap-mounted";

/** `data-*` attributes of elements, keyed without the prefix (`data-plan-id` → `plan-id`). */
function dataOf(...elements: Array<Element | null | undefined>): Record<string, string> {
  const data: Record<string, string> = {};
  for (const el of elements)
    for (const attr of el?.attributes ?? [])
      if (attr.name.startsWith("data-")) data[attr.name.slice(5)] = attr.value;
  return data;
}

/**
 * Loads each chunk once, as a classic script (no CORS needed; `script-src` of the edge's origin is
 * all a strict CSP has to allow), carrying the page's nonce. A failed load may be tried again.
 */
export function scriptChunks(base: string, nonce?: string): Load {
  const loading: Record<string, Promise<unknown> | undefined> = {};
  const global = (name: string) => (window as unknown as Record<string, unknown>)[`__leadcap_${name}`];
  return <K extends keyof Chunks>(name: K) => {
    loading[name] ??= new Promise((resolve, reject) => {
      if (global(name)) return resolve(global(name));
      const script = document.createElement("script");
      script.src = `${base}leadcap-${name}.js`;
      script.async = true;
      if (nonce) script.nonce = nonce;
      script.onload = () => (global(name) ? resolve(global(name)) : reject(Error(`${name} did not load`)));
      script.onerror = () => {
        loading[name] = undefined;
        reject(Error(`could not load ${script.src}`));
      };
      document.head.append(script);
    });
    return loading[name] as Promise<Chunks[K]>;
  };
}

const modeOf = (config: FormConfig) => config.display?.mode ?? "inline";

/** Yields to the browser: what follows runs in a new task (input and rendering may go first). */
const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** Runs `task` when the main thread is idle (the page's own work first), at the latest after 2 s. */
const idle = (task: () => void) =>
  typeof requestIdleCallback === "function"
    ? requestIdleCallback(task, { timeout: 2000 })
    : setTimeout(task, 50);

/** Resolves once `el` is within a screen of the viewport (at once where IntersectionObserver is missing). */
const nearViewport = (el: Element) =>
  new Promise<void>((resolve) => {
    if (typeof IntersectionObserver !== "function") return resolve();
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) {
          observer.disconnect();
          resolve();
        }
      },
      { rootMargin: "100% 0px" },
    );
    observer.observe(el);
  });

export function start(options: LoaderOptions): Leadcap {
  const { site, endpoint, script } = options;
  const fetch = options.fetch ?? browserFetch;
  const load = options.load ?? scriptChunks(new URL(".", script?.src || `${endpoint}/`).href, script?.nonce);
  const nav = navigator as Navigator & { globalPrivacyControl?: boolean };
  /** Site settings, once known: nothing is stored or tracked before (consent mode may be on). */
  let settings: Tracking | undefined;
  /** What the page said through leadcap('consent', …), if anything. */
  let consented: boolean | undefined;
  let tracking = false;

  const setTracking = () => {
    if (!settings) return allowStorage(false);
    const { consentMode, honorGpc, honorDnt, keyPages } = settings;
    const optedOut = (honorGpc && nav.globalPrivacyControl) || (honorDnt && nav.doNotTrack === "1");
    const on = (consented ?? consentMode !== "required") && !optedOut;
    allowStorage(on);
    if (on && !tracking) {
      recordAttribution();
      startEngagement({ keyPages });
    } else if (!on && tracking) stopEngagement();
    tracking = on;
  };
  setTracking();
  // The site's tracking settings, with the script's data-* attributes as overrides. Unreadable
  // (edge down, old edge): consent mode, unless the script tag says otherwise.
  const settled = fetch(`${endpoint}/v1/sites/${encodeURIComponent(site)}`, { credentials: "omit" })
    .then((response) => (response.ok ? (response.json() as Promise<PublicSiteConfig>) : undefined))
    .catch(() => undefined)
    .then((config) => {
      const tracking: Partial<Tracking> = config?.tracking ?? { consentMode: "required" };
      settings = {
        consentMode:
          options.consent === undefined
            ? (tracking.consentMode ?? "off")
            : options.consent
              ? "required"
              : "off",
        honorGpc: options.gpc ?? tracking.honorGpc ?? true,
        honorDnt: options.dnt ?? tracking.honorDnt ?? false,
        keyPages: options.keyPages ?? tracking.keyPages ?? {},
      };
      if (!destroyed) setTracking();
    });

  const outbox = createOutbox({ fetch });
  let events: Events | undefined;
  const configs = new Map<string, Promise<FormConfig | undefined>>();
  const inline = new Map<HTMLElement, MountedForm | undefined>();
  const mounted = new Set<MountedForm>();
  const cleanups: Array<() => void> = [];
  let modes: Promise<Modes> | undefined;
  /** The modes chunk once it runs, for what must happen at once (close, destroy). */
  let modesNow: Modes | undefined;
  let destroyed = false;

  // Every event follows a render, so the UI chunk carries the events code and is there to send them.
  const emit: Host["emit"] = (type, form) => events?.emit(type, form, tracking);

  const host: Host = {
    site,
    async submit(submission) {
      emit("submit", submission.form);
      const outcome = await outbox.submit(endpoint, submission);
      const done = (stored: boolean) => emit(stored ? "success" : "error", submission.form);
      if (outcome.kind === "queued") outcome.sent.then(done);
      else done(outcome.kind === "sent");
      return outcome;
    },
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

  const config = (id: string) => {
    let loading = configs.get(id);
    if (!loading) {
      loading = loadFormConfig(endpoint, site, id, fetch).catch((error: unknown) => {
        warn(`could not load form "${id}" of site "${site}":`, error);
        configs.delete(id); // A later open() may try again.
        return undefined;
      });
      configs.set(id, loading);
    }
    return loading;
  };

  // The UI and, for a language other than English, its strings, loaded side by side.
  const prepare = async (form: FormConfig) => {
    const language = (form.display?.language || document.documentElement.lang || "en")
      .slice(0, 2)
      .toLowerCase();
    const [ui, i18n] = await Promise.all([
      load("ui"),
      language === "en" ? undefined : load("i18n").catch(() => undefined),
    ]);
    events ??= ui.events(endpoint, site, fetch);
    return (root: ShadowRoot, extra: Partial<MountOptions>) => {
      const form_ = ui.mount(root, {
        config: form,
        host,
        data: dataOf(script),
        strings: i18n?.[language],
        ...extra,
      });
      mounted.add(form_);
      return {
        ...form_,
        unmount() {
          mounted.delete(form_);
          form_.unmount();
        },
      };
    };
  };

  const withModes = (then: (m: Modes) => unknown) => {
    modes ??= load("modes").then(
      (chunk) => (modesNow = chunk.modes({ host, config, prepare, gone: () => destroyed })),
    );
    return modes.then(then).catch((error: unknown) => warn("could not show the form:", error));
  };

  // Inline forms: every [data-leadcap-form] container not yet taken.
  // The config and the UI download side by side at once; the form renders once it is near the
  // viewport, so a form further down the page costs the first screen nothing.
  const mountInline = async (container: HTMLElement) => {
    const id = container.dataset.leadcapForm ?? "";
    container.setAttribute(MOUNTED, "");
    inline.set(container, undefined);
    const loading = config(id);
    load("ui").catch(() => {}); // prepare() retries a failed download
    const [form] = await Promise.all([loading, nearViewport(container)]);
    const mount = form && (await prepare(form));
    await nextTask(); // Rendering starts a task of its own: no long task with what came before.
    if (!mount || destroyed || !inline.has(container)) return;
    const data = dataOf(script, container);
    inline.set(container, mount(container.shadowRoot ?? container.attachShadow({ mode: "open" }), { data }));
    emit("impression", id);
  };
  const scan = () =>
    Promise.all(
      [...document.querySelectorAll<HTMLElement>(`[data-leadcap-form]:not([${MOUNTED}])`)].map((c) =>
        mountInline(c).catch((e: unknown) => warn("could not render:", e)),
      ),
    );

  // Forms of the script tag that are not inline: the modes chunk arms their triggers.
  const arm = async (id: string) => {
    const form = await config(id);
    if (form && modeOf(form) !== "inline" && !destroyed) await withModes((m) => m.arm(id));
  };

  // Clicks on [data-leadcap-open="form"] open that form, whatever its mode.
  const onClick = (event: Event) => {
    const id = (event.target as Element | null)
      ?.closest?.("[data-leadcap-open]")
      ?.getAttribute("data-leadcap-open");
    if (!id) return;
    event.preventDefault();
    void withModes((m) => m.open(id));
  };

  // SPA: a route change is a page view; the modes chunk re-runs URL rules and triggers.
  let href = location.href;
  const onRoute = () => {
    if (destroyed || location.href === href) return;
    href = location.href;
    trackPageView();
    modesNow?.route();
    for (const [container, form] of inline)
      if (!container.isConnected) {
        form?.unmount();
        inline.delete(container);
      }
    // Frameworks render the new route after pushState: look for containers once they have.
    setTimeout(scan, 0);
  };
  // Start: render inline forms and arm the others first (their requests leave now); what a closed
  // tab left in the outbox is resent once the page is idle.
  idle(() => destroyed || void outbox.flush());
  const first = options.forms[0];
  let ready = scan();
  if (first && !document.querySelector(`[data-leadcap-form="${CSS.escape(first)}"]`)) {
    // No container for the script's form: an inline form renders right after the script tag.
    ready = ready.then(async () => {
      const form = await config(first);
      if (form && modeOf(form) === "inline" && script?.parentNode && !destroyed) {
        const el = document.createElement("div");
        el.dataset.leadcapForm = first;
        el.setAttribute("data-leadcap-inserted", "");
        script.after(el);
        return scan();
      }
      return [];
    });
  }
  // The rest in a task of its own, so the first one (which sent the requests) stays short.
  const wired = nextTask().then(() => {
    if (destroyed) return;
    for (const method of ["pushState", "replaceState"] as const) {
      const original = history[method];
      const wrapped = function (this: History, ...args: Parameters<History["pushState"]>) {
        const result = original.apply(this, args);
        try {
          onRoute();
        } catch (error) {
          warn("route change:", error);
        }
        return result;
      };
      history[method] = wrapped;
      cleanups.push(() => {
        if (history[method] === wrapped) history[method] = original;
      });
    }
    const onPageShow = (event: PageTransitionEvent) => {
      if (event.persisted) void outbox.flush(); // Back from the bfcache: the network may be back too.
    };
    const listeners: Array<[EventTarget, string, EventListener]> = [
      [document, "click", onClick],
      [window, "popstate", onRoute],
      [window, "pageshow", onPageShow as EventListener],
    ];
    for (const [target, type, listener] of listeners) {
      target.addEventListener(type, listener);
      cleanups.push(() => target.removeEventListener(type, listener));
    }
  });
  const readyAll = Promise.all([wired, settled, ready, ...options.forms.map(arm)])
    .then(() => void document.dispatchEvent(new CustomEvent("leadcap:ready")))
    .catch((error: unknown) => warn("could not start:", error));

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
          for (const form of mounted)
            for (const [field, value] of Object.entries(values)) form.set(field, value);
        } else if (name === "consent") {
          consented = args[0] === true;
          if (!consented) forget();
          setTracking();
        } else if (name === "forms") {
          for (const id of args.flat()) if (typeof id === "string") void arm(id);
          void scan();
        } else if (name === "destroy") api.destroy();
        else warn(`unknown command "${name}"`);
      } catch (error) {
        warn(`${name} failed:`, error);
      }
    },
    destroy() {
      destroyed = true;
      modesNow?.destroy();
      for (const [container, form] of inline) {
        form?.unmount();
        container.removeAttribute(MOUNTED);
        if (container.hasAttribute("data-leadcap-inserted")) container.remove();
      }
      inline.clear();
      for (const cleanup of cleanups) cleanup();
      events?.stop();
      outbox.stop();
      stopEngagement();
    },
  };
  return api;
}

/** Consent withdrawn: drop what tracking stored (the outbox keeps the visitor's own submissions). */
function forget(): void {
  for (const kind of ["localStorage", "sessionStorage"] as const) {
    const storage = storageArea(kind, true) as Storage | undefined;
    for (let i = (storage?.length ?? 0) - 1; i >= 0; i--) {
      const key = storage!.key(i);
      if (key?.startsWith("leadcap:") && key !== OUTBOX_KEY) storage!.removeItem(key);
    }
  }
}
