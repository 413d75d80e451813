/**
 * The eager loader: runs on every page, with or without a form. It records attribution and
 * engagement (unless consent mode says not yet), resends what the outbox holds, renders inline forms,
 * follows SPA route changes and answers the JS API. Everything else is loaded from the same origin
 * only when the page needs it: the form UI when a form renders, the modes chunk (triggers, popups,
 * slide-ins, launchers, bars) when a form is not inline, other languages' strings when asked for.
 *
 * `start` wires the parts in ./loader/: whether and how the visit is tracked (tracking.ts), SPA
 * route changes (history.ts), the lazy chunks (chunks.ts) and the command API (commands.ts). Each
 * attach returns its remover; `destroy()` calls them all and leaves the page as it found it.
 *
 * It never throws into the page: anything unexpected is a `[leadcap]` warning and no form.
 */
import type { PublicSiteConfig } from "../../shared/api/sites.ts";
import type { FormConfig, Tracking } from "../../shared/config.ts";
import type { FieldValue } from "../../shared/lead.ts";
import { browserFetch, type Fetch, loadFormConfig } from "./api.ts";
import { currentAttribution, touchFromUrl } from "./attribution.ts";
import { engagementSnapshot } from "./engagement.ts";
import type { Host, Load, LoaderHost } from "./host.ts";
import { listen } from "./listen.ts";
import { lazyParts, moduleChunks } from "./loader/chunks.ts";
import { commands } from "./loader/commands.ts";
import { watchHistory } from "./loader/history.ts";
import { type TrackingOptions, tracking } from "./loader/tracking.ts";
import { warn } from "./log.ts";
import { OUTBOX_KEY, persist } from "./outbox.ts";
import { readJson, storageArea } from "./storage.ts";
import { idle, nextTask } from "./tasks.ts";

export interface LoaderOptions extends TrackingOptions {
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
}

export interface Leadcap {
  /** Settles once the forms present at start have rendered (or failed to). */
  ready: Promise<void>;
  /** `leadcap(name, …args)`: a function of its own (no `this`), what `window.leadcap` becomes. */
  command: (name: string, ...args: unknown[]) => void;
  destroy(): void;
}

export function start(options: LoaderOptions): Leadcap {
  const { site, endpoint, script } = options;
  const fetch = options.fetch ?? browserFetch;
  const src = script?.src || `${endpoint}/leadcap.js`;
  const load =
    options.load ?? moduleChunks(new URL(".", src).href, /\/leadcap\.js($|\?)/.test(src) ? "leadcap-" : "w-");
  const siteUrl = `${endpoint}/v1/sites/${encodeURIComponent(site)}`;
  let destroyed = false;
  const gone = () => destroyed;
  // Storage off until the site's settings say whether to track.
  const tracker = tracking(options, gone);

  /** The site's tracking settings as a form's config brought them. */
  let served: Tracking | undefined;
  const configs = new Map<string, Promise<FormConfig | undefined>>();
  const config = (id: string) => {
    let loading = configs.get(id);
    if (!loading) {
      loading = loadFormConfig(siteUrl, id, fetch).then(
        (body) => {
          served ??= body.tracking;
          return body.form;
        },
        (error: unknown) => {
          warn("no form", id, error);
          configs.delete(id); // A later open() may try again.
          return undefined;
        },
      );
      configs.set(id, loading);
    }
    return loading;
  };

  const host: LoaderHost = {
    site,
    signals() {
      // Not tracked (consent not given): the page's own URL and referrer, remembered nowhere.
      const touch = touchFromUrl(location.href, document.referrer, new Date());
      return {
        attribution: tracker.on() ? currentAttribution() : { firstTouch: touch, lastTouch: touch },
        engagement: engagementSnapshot(),
      };
    },
    // Every event follows a render, so the UI chunk carries the events code and is there to send them.
    emit: ((type, form) => parts.uiNow?.emit(type, form, tracker.on())) as Host["emit"],
    prefill: {},
  };

  /** The last click, for a click trigger armed after it (the modes chunk may still be on its way). */
  let clicked: Element | null = null;
  const parts = lazyParts(
    {
      host,
      endpoint,
      fetch,
      config,
      load,
      script,
      first: options.forms[0],
      gone,
      persist: (submission) => persist(endpoint, submission),
    },
    // The modes render through the UI.
    {
      host,
      config,
      clicked: () => clicked,
      gone,
      on: tracker.on,
      prepare: (form) => parts.ui().then((u) => u.prepare(form)),
    },
  );
  /** What `destroy()` undoes: the forms, tracking, then (once wired) the page's listeners. */
  const removers = [parts.remove, tracker.remove];
  const open = (id: string) => void parts.modes((m) => m.open(id));

  // Inline forms: their configs and the UI download side by side, at once; the UI renders them
  // (`fetchOnly`: not yet, the page is still being parsed).
  const scan = (fetchOnly?: boolean) => {
    const containers = document.querySelectorAll<HTMLElement>("[data-leadcap-form]");
    if (!containers.length) return;
    const loading = parts.ui();
    for (const el of containers) void config(el.dataset.leadcapForm!);
    return fetchOnly ? loading.catch(() => {}) : loading.then((u) => u.scan()).catch(warn);
  };

  // The script's forms: an inline one without a container renders after the script tag (the UI
  // does it); the others' triggers are armed by the modes chunk.
  const arm = async (id: string) => {
    const form = await config(id);
    if (!form || destroyed) return;
    if ((form.display?.mode ?? "inline") === "inline") await parts.ui().then((u) => u.scan());
    else await parts.modes((m) => m.arm(id));
  };

  // SPA: a route change is a page view; the chunks re-run URL rules, triggers and containers.
  let href = location.href;
  const onRoute = () => {
    if (destroyed || location.href === href) return;
    href = location.href;
    clicked = null;
    tracker.view(href);
    parts.modesNow?.route();
    if (parts.uiNow) parts.uiNow.route();
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
  // The site's tracking settings, with the script's data-* attributes as overrides: served with the
  // config of the form the script names, else (no form named, or an older edge) asked for. Unreadable
  // (edge down; an error answer, which carries no `tracking` or is no JSON): consent mode, unless the
  // script tag says otherwise. Tracking then starts once the forms present at start have rendered
  // (a second at most).
  const settled = tracker.settle(
    Promise.resolve(options.forms[0] && config(options.forms[0])).then(
      () =>
        served ??
        fetch(siteUrl, { credentials: "omit" })
          .then((response) => response.json() as Promise<PublicSiteConfig>)
          .then((body) => body.tracking),
    ),
    Promise.race([found, new Promise((resolve) => setTimeout(resolve, 1000))]),
  );
  idle(() => {
    if (!destroyed && readJson<unknown[]>(storageArea("localStorage", true), OUTBOX_KEY)?.length)
      parts.ui().then((u) => u.resend(), warn);
  });
  const wired = scanning.then(() => {
    if (destroyed) return;
    removers.push(
      watchHistory(onRoute),
      listen(document, "click", (event) => {
        clicked = event.target as Element | null;
        const id = clicked?.closest?.("[data-leadcap-open]")?.getAttribute("data-leadcap-open");
        if (!id) return;
        event.preventDefault();
        open(id);
      }),
    );
    return settled;
  });
  const readyAll = Promise.all([wired, found, ...options.forms.map((id) => scanning.then(() => arm(id)))])
    .then(() => void document.dispatchEvent(new CustomEvent("leadcap:ready")))
    .catch(warn);

  /** `identify` and `set`: defaults for forms to come, and values for the forms shown. */
  const prefill = (values: Record<string, FieldValue>) => {
    Object.assign(host.prefill, values);
    for (const [field, value] of Object.entries(values)) parts.uiNow?.set(field, value);
  };
  const destroy = () => {
    destroyed = true;
    for (const remove of removers) remove();
  };
  return {
    ready: readyAll,
    command: commands(
      {
        open: (id) => typeof id === "string" && open(id),
        close: (id) => parts.modesNow?.close(id),
        identify: (values) => prefill({ ...(values as object) }),
        set: (name, value) => prefill({ [String(name)]: value as FieldValue }),
        consent: tracker.consent,
        forms(...ids) {
          for (const id of ids.flat()) if (typeof id === "string") void arm(id);
          void scan();
        },
        destroy,
      },
      gone,
    ),
    destroy,
  };
}
