/**
 * The eager loader: runs on every page, with or without a form. It records attribution and
 * engagement (unless consent mode says not yet), resends what the outbox holds, finds where forms go,
 * arms the triggers of popups, slide-ins and bars, follows SPA route changes, and answers the JS API.
 * The Preact form UI (leadcap-ui.js) is loaded from the same origin only when a form must render.
 *
 * It never throws into the page: anything unexpected is a `[leadcap]` warning and no form.
 */
import type { FormConfig } from "../../shared/config.ts";
import type { DisplayMode } from "../../shared/display.ts";
import type { FieldValue } from "../../shared/lead.ts";
import { browserFetch, currentPage, type Fetch, loadFormConfig, newSubmissionId } from "./api.ts";
import { currentAttribution, recordAttribution, touchFromUrl } from "./attribution.ts";
import { capsAllow, capsMark } from "./caps.ts";
import { engagementSnapshot, startEngagement, stopEngagement, trackPageView } from "./engagement.ts";
import { createEvents } from "./events.ts";
import type { Host, MountedForm, UI } from "./host.ts";
import { warn } from "./log.ts";
import { createOutbox, OUTBOX_KEY } from "./outbox.ts";
import { allowStorage, storageArea } from "./storage.ts";
import { arm } from "./triggers.ts";
import { urlAllowed } from "./urls.ts";

export interface LoaderOptions {
  site: string;
  /** Forms named by the script tag (`data-form`, comma-separated). */
  forms: string[];
  /** Origin of the Leadcap edge, without a trailing slash. */
  endpoint: string;
  /** The script tag: `data-*` for hidden fields; an inline form with no container goes after it. */
  script?: HTMLScriptElement | null;
  /** Loads the form UI. @default a <script> for leadcap-ui.js next to leadcap.js */
  loadUI?: () => Promise<UI>;
  fetch?: Fetch;
  /** Consent mode: store and track nothing until `leadcap('consent', true)`. */
  consent?: boolean;
  /** Honour Global Privacy Control / Do Not Track: no tracking at all when the browser sends them. */
  gpc?: boolean;
  dnt?: boolean;
  /** URL patterns of key pages (engagement). */
  keyPages?: string[];
}

export interface Leadcap {
  /** Settles once the forms present at start have rendered (or failed to). */
  ready: Promise<void>;
  command(name: string, ...args: unknown[]): void;
  destroy(): void;
}

const MOUNTED = "data-leadcap-mounted";

/** `data-*` attributes of an element, keyed without the prefix (`data-plan-id` → `plan-id`). */
function dataOf(...elements: Array<Element | null | undefined>): Record<string, string> {
  const data: Record<string, string> = {};
  for (const el of elements)
    for (const attr of Array.from(el?.attributes ?? []))
      if (attr.name.startsWith("data-")) data[attr.name.slice(5)] = attr.value;
  return data;
}

/** Loads leadcap-ui.js once, as a classic script (no CORS needed), carrying the page's nonce. */
export function scriptUI(src: string, nonce?: string): () => Promise<UI> {
  let loading: Promise<UI> | undefined;
  const loaded = () => (window as { __leadcapUI?: UI }).__leadcapUI;
  return () =>
    (loading ??= new Promise<UI>((resolve, reject) => {
      const ui = loaded();
      if (ui) return resolve(ui);
      const script = document.createElement("script");
      script.src = src;
      script.async = true;
      if (nonce) script.nonce = nonce;
      script.onload = () => {
        const ui = loaded();
        if (ui) resolve(ui);
        else reject(new Error("leadcap-ui.js did not register"));
      };
      script.onerror = () => {
        loading = undefined;
        reject(new Error(`could not load ${src}`));
      };
      document.head.append(script);
    }));
}

interface Overlay {
  el: HTMLElement;
  mode: DisplayMode;
  auto: boolean;
  /** The page it was opened for: a popup never appears on a page the visitor already left. */
  href: string;
  mounted?: MountedForm;
}

export function start(options: LoaderOptions): Leadcap {
  const { site, endpoint, script } = options;
  const fetch = options.fetch ?? browserFetch;
  const loadUI =
    options.loadUI ?? scriptUI(new URL("leadcap-ui.js", script?.src || `${endpoint}/`).href, script?.nonce);
  const nav = navigator as Navigator & { globalPrivacyControl?: boolean };
  const optedOut = Boolean(
    (options.gpc && nav.globalPrivacyControl) || (options.dnt && nav.doNotTrack === "1"),
  );
  let granted = !options.consent;
  let tracking = false;

  const setTracking = () => {
    const on = granted && !optedOut;
    allowStorage(on);
    if (on && !tracking) {
      recordAttribution();
      startEngagement({ keyPages: options.keyPages ?? [] });
    } else if (!on && tracking) stopEngagement();
    tracking = on;
  };
  setTracking();

  const outbox = createOutbox({ fetch });
  const events = createEvents(endpoint, site, fetch);
  const prefill: Record<string, FieldValue> = {};
  const configs = new Map<string, Promise<FormConfig | undefined>>();
  const inline = new Map<HTMLElement, MountedForm | undefined>();
  const overlays = new Map<string, Overlay>();
  const autoForms = new Set<string>();
  const disarms = new Map<string, () => void>();
  const interaction = new Map<string, { start: number; empty: Set<string> }>();
  const cleanups: Array<() => void> = [];
  let destroyed = false;

  const emit: Host["emit"] = (type, form) => events.emit(type, form, tracking);

  const host: Host = {
    site,
    async submit(submission) {
      const seen = interaction.get(submission.form);
      if (seen) {
        submission.engagement = {
          ...submission.engagement,
          formTimeMs: Math.round(performance.now() - seen.start),
          abandonedFields: [...seen.empty],
        } as typeof submission.engagement;
      }
      emit("submit", submission.form);
      const outcome = await outbox.submit(endpoint, submission);
      const done = (stored: boolean) => {
        if (stored) {
          interaction.delete(submission.form);
          capsMark(submission.form, "submitted");
        }
        emit(stored ? "success" : "error", submission.form);
      };
      if (outcome.kind === "queued") outcome.sent.then(done);
      else done(outcome.kind === "sent");
      return outcome;
    },
    signals: () => ({
      // Consent not given: the page's own URL and referrer, remembered nowhere.
      attribution: tracking
        ? currentAttribution()
        : (() => {
            const touch = touchFromUrl(location.href, document.referrer, new Date());
            return { firstTouch: touch, lastTouch: touch };
          })(),
      engagement: engagementSnapshot(),
      page: currentPage(),
    }),
    emit,
    prefill: () => prefill,
    newId: newSubmissionId,
    interacted(form, field, empty) {
      const seen = interaction.get(form) ?? { start: performance.now(), empty: new Set<string>() };
      interaction.set(form, seen);
      if (empty) seen.empty.add(field);
      else seen.empty.delete(field);
    },
  };

  const getConfig = (id: string) => {
    let config = configs.get(id);
    if (!config) {
      config = loadFormConfig(endpoint, site, id, fetch).catch((error: unknown) => {
        warn(`could not load form "${id}" of site "${site}":`, error);
        configs.delete(id); // A later open() may try again.
        return undefined;
      });
      configs.set(id, config);
    }
    return config;
  };

  const modeOf = (config: FormConfig): DisplayMode => config.display?.mode ?? "inline";

  // Inline forms: every [data-leadcap-form] container not yet taken.
  const mountInline = async (container: HTMLElement) => {
    const id = container.dataset.leadcapForm ?? "";
    container.setAttribute(MOUNTED, "");
    inline.set(container, undefined);
    const [config, ui] = await Promise.all([getConfig(id), loadUI()]);
    if (!config || destroyed || !inline.has(container)) return;
    const root = container.shadowRoot ?? container.attachShadow({ mode: "open" });
    inline.set(
      container,
      ui.mount(root, { config, mode: "inline", host, data: dataOf(script, container), onClose() {} }),
    );
    emit("impression", id);
  };
  const scan = () => {
    const found = Array.from(document.querySelectorAll<HTMLElement>(`[data-leadcap-form]:not([${MOUNTED}])`));
    return Promise.all(found.map((c) => mountInline(c).catch((e: unknown) => warn("could not render:", e))));
  };

  // Popups, slide-ins, bars and launchers: one host element per form at the end of <body>.
  const remove = (id: string) => {
    const overlay = overlays.get(id);
    overlays.delete(id);
    overlay?.mounted?.unmount();
    overlay?.el.remove();
  };
  const open = async (id: string, auto: boolean) => {
    const existing = overlays.get(id);
    if (existing) {
      existing.mounted?.open();
      return;
    }
    const config = await getConfig(id);
    if (!config || destroyed || overlays.has(id)) return;
    const configured = modeOf(config);
    // An inline form opened through the API or a click shows as a popup.
    const mode: DisplayMode = configured === "inline" ? "popup" : configured;
    const el = document.createElement("div");
    el.setAttribute("data-leadcap-overlay", id);
    const overlay: Overlay = { el, mode, auto, href: location.href };
    overlays.set(id, overlay);
    const ui = await loadUI();
    if (overlays.get(id) !== overlay || (auto && location.href !== overlay.href)) {
      if (overlays.get(id) === overlay) overlays.delete(id);
      return;
    }
    document.body.append(el);
    const startOpen = mode !== "launcher" || !auto;
    overlay.mounted = ui.mount(el.attachShadow({ mode: "open" }), {
      config,
      mode,
      host,
      data: dataOf(script),
      open: startOpen,
      onClose() {
        emit("close", id);
        if (overlay.auto) capsMark(id, "closed");
        if (mode !== "launcher") remove(id);
      },
    });
    emit("impression", id);
    if (auto && mode !== "launcher") capsMark(id, "shown");
  };
  const close = (id?: unknown) => {
    for (const [form, overlay] of overlays) {
      if (id !== undefined && form !== id) continue;
      if (overlay.mode === "launcher")
        overlay.mounted?.close(); // The button stays.
      else {
        remove(form);
        emit("close", form);
      }
    }
  };

  // Auto-opening forms: URL rules, frequency caps, then triggers; re-evaluated on every route.
  const armForm = async (id: string) => {
    const config = await getConfig(id);
    if (!config || destroyed) return;
    const mode = modeOf(config);
    if (mode === "inline") return;
    autoForms.add(id);
    const display = config.display;
    if (!urlAllowed(display?.urls, location.href)) return;
    if (mode === "launcher") {
      void open(id, true);
      return;
    }
    if (overlays.has(id) || !capsAllow(id, display?.frequency)) return;
    disarms.get(id)?.();
    disarms.set(
      id,
      arm(display?.triggers, () => {
        disarms.delete(id);
        if (capsAllow(id, display?.frequency)) void open(id, true);
      }),
    );
  };

  // Clicks on [data-leadcap-open="form"] open that form, whatever its mode.
  const onClick = (event: Event) => {
    const target = (event.target as Element | null)?.closest?.("[data-leadcap-open]");
    const id = target?.getAttribute("data-leadcap-open");
    if (!id) return;
    event.preventDefault();
    void open(id, false);
  };
  document.addEventListener("click", onClick);
  cleanups.push(() => document.removeEventListener("click", onClick));

  // SPA: route changes re-run URL rules and triggers; what was armed for the old page is disarmed.
  let href = location.href;
  const onRoute = () => {
    if (destroyed || location.href === href) return;
    href = location.href;
    trackPageView();
    for (const disarm of disarms.values()) disarm();
    disarms.clear();
    for (const [id, overlay] of overlays) {
      const config = configs.get(id);
      void config?.then((c) => {
        if (overlay.auto && !urlAllowed(c?.display?.urls, location.href)) remove(id);
      });
    }
    for (const [container, mounted] of inline) {
      if (!container.isConnected) {
        mounted?.unmount();
        inline.delete(container);
      }
    }
    for (const id of autoForms) void armForm(id);
    // Frameworks render the new route after pushState: look for containers once they have.
    setTimeout(() => void scan(), 0);
  };
  const methods = ["pushState", "replaceState"] as const;
  for (const method of methods) {
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
  addEventListener("popstate", onRoute);
  addEventListener("pageshow", onPageShow);
  cleanups.push(() => {
    removeEventListener("popstate", onRoute);
    removeEventListener("pageshow", onPageShow);
  });

  // Start: resend what a closed tab left, render inline forms, arm the others.
  void outbox.flush();
  const firstId = options.forms[0];
  let ready = scan();
  if (firstId && !document.querySelector(`[data-leadcap-form="${CSS.escape(firstId)}"]`)) {
    // No container for the script's form: an inline form renders right after the script tag.
    ready = ready.then(async () => {
      const config = await getConfig(firstId);
      if (config && modeOf(config) === "inline" && script?.parentNode && !destroyed) {
        const el = document.createElement("div");
        el.dataset.leadcapForm = firstId;
        el.setAttribute("data-leadcap-inserted", "");
        script.after(el);
        await scan();
      }
      return [];
    });
  }
  const readyAll = Promise.all([ready, ...options.forms.map(armForm)])
    .then(() => events.emit("ready", ""))
    .catch((error: unknown) => warn("could not start:", error));

  const api: Leadcap = {
    ready: readyAll,
    command(name, ...args) {
      try {
        if (destroyed) return;
        if (name === "open" && typeof args[0] === "string") void open(args[0], false);
        else if (name === "close") close(args[0]);
        else if (name === "identify" || name === "set") {
          const values: Record<string, FieldValue> =
            name === "set" ? { [String(args[0])]: args[1] as FieldValue } : { ...(args[0] as object) };
          Object.assign(prefill, values);
          const mounted = [...inline.values(), ...[...overlays.values()].map((o) => o.mounted)];
          for (const form of mounted)
            for (const [field, value] of Object.entries(values)) form?.set(field, value);
        } else if (name === "consent") {
          granted = args[0] === true;
          if (!granted) forget();
          setTracking();
        } else if (name === "forms") {
          for (const id of args.flat()) if (typeof id === "string") void armForm(id);
          void scan();
        } else if (name === "destroy") api.destroy();
        else warn(`unknown command "${name}"`);
      } catch (error) {
        warn(`${name} failed:`, error);
      }
    },
    destroy() {
      destroyed = true;
      for (const disarm of disarms.values()) disarm();
      for (const id of [...overlays.keys()]) remove(id);
      for (const [container, mounted] of inline) {
        mounted?.unmount();
        container.removeAttribute(MOUNTED);
        if (container.hasAttribute("data-leadcap-inserted")) container.remove();
      }
      inline.clear();
      for (const cleanup of cleanups) cleanup();
      events.stop();
      outbox.stop();
      stopEngagement();
    },
  };
  return api;
}

/** Consent withdrawn: drop what tracking stored (the outbox keeps the visitor's own submissions). */
function forget(): void {
  for (const area of [storageArea("localStorage"), storageArea("sessionStorage")]) {
    const storage = area as Storage | undefined;
    if (!storage?.length) continue;
    for (let i = storage.length - 1; i >= 0; i--) {
      const key = storage.key(i);
      if (key?.startsWith("leadcap:") && key !== OUTBOX_KEY) storage.removeItem(key);
    }
  }
}
