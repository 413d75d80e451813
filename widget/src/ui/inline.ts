/**
 * Inline forms, on the UI side: the loader fetches the configs and this chunk side by side, then
 * hands over. Every `[data-leadcap-form="<id>"]` container gets the form in its own shadow root
 * (the script's first form goes right after the script tag when the page has no container for it),
 * rendered in a task of its own once the container is within a screen of the viewport or the page
 * is idle, so a form further down the page costs the first screen nothing. `prepare` is also how leadcap-modes.js
 * renders: one place picks the strings and keeps the list of rendered forms for `leadcap('set')`.
 */
import type { FormConfig } from "../../../shared/config.ts";
import type { FieldValue, LeadSubmission } from "../../../shared/lead.ts";
import { dispatch } from "../events.ts";
import type { Host, Inline, InlineContext, MountedForm, MountOptions, Outcome } from "../host.ts";
import { warn } from "../log.ts";
import { type Sender, send } from "../send.ts";
import { idle } from "../tasks.ts";
import { mount } from "./index.tsx";
import { more } from "./more.tsx";
import { sheet } from "./styles.ts";

const MOUNTED = "data-leadcap-mounted";
const INSERTED = "data-leadcap-inserted";

/** `data-*` attributes of elements, keyed without the prefix (`data-plan-id` → `plan-id`). */
function dataOf(...elements: Array<Element | null | undefined>): Record<string, string> {
  const data: Record<string, string> = {};
  for (const el of elements)
    for (const attr of el?.attributes ?? [])
      if (attr.name.startsWith("data-")) data[attr.name.slice(5)] = attr.value;
  return data;
}

/**
 * Resolves once `el` is within a screen of the viewport, or the page is idle: a form further down
 * costs the first screen nothing, yet is there for find-in-page and screen readers' landmark and
 * heading navigation (which do not scroll) soon after.
 */
const nearViewport = (el: Element) =>
  new Promise<void>((resolve) => {
    idle(resolve);
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

export function inline(context: InlineContext): Inline {
  const { config, load, script, gone, endpoint } = context;
  let { first } = context;
  // What the visitor needs once they act on a form, not to see it (the checks, the outbox, the
  // analytics batches) is leadcap-send.js: fetched as soon as a form is shown (its impression), so
  // it never competes with the form for the network or the main thread. Loaded, it resends what a
  // closed tab left in the outbox (`resend`: what the loader asks for once the page is idle when the
  // outbox holds something, whether a form shows on the page or not).
  let sending: Promise<Sender> | undefined;
  /** Submissions kept while leadcap-send.js could not be loaded: for the outbox once it is. */
  const kept: Array<(loaded: Sender) => void> = [];
  const sender = () =>
    (sending ??= load("send").then(
      (chunk) => {
        const loaded = Object.assign(send, chunk.send).start(context);
        // Before the outbox's own flush: the forms that kept them await these entries' outcomes.
        for (const resume of kept.splice(0)) resume(loaded);
        return loaded;
      },
      (error: unknown) => {
        sending = undefined; // asked for again at the next submit, or when the network is back
        throw error;
      },
    ));
  // Offline before leadcap-send.js arrived: the submission is kept where the outbox looks for it (the
  // next page sends it if this one closes first) and handed to the outbox once the chunk loads: asked
  // for again when the browser is back online, at the next submit, or when the loader resends.
  const keep = (submission: LeadSubmission): Outcome => {
    context.persist(submission);
    const retry = () => gone() || void sender().catch(warn);
    addEventListener("online", retry);
    const sent = new Promise<Outcome>((resolve) =>
      kept.push(({ outbox }) => {
        removeEventListener("online", retry);
        resolve(outbox.submit(endpoint, submission));
      }),
    );
    return { kind: "queued", sent: sent.then((o) => (o.kind === "queued" ? o.sent : o.kind === "sent")) };
  };
  const host: Host = {
    ...context.host,
    ready: () =>
      sender().then(
        () => true,
        () => false,
      ),
    submit: (submission) =>
      sender().then(
        ({ outbox }) => outbox.submit(endpoint, submission),
        () => keep(submission),
      ),
  };
  const onPageShow = (event: PageTransitionEvent) => {
    // Back from the bfcache: the network may be back too.
    if (event.persisted) void sending?.then(({ outbox }) => outbox.flush(), warn);
  };
  addEventListener("pageshow", onPageShow);
  const containers = new Map<HTMLElement, MountedForm | undefined>();
  const mounted = new Set<MountedForm>();

  // The UI is here; for a language other than English, its strings come from leadcap-i18n.js.
  const prepare = async (form: FormConfig) => {
    const language = (form.display?.language || document.documentElement.lang || "en")
      .slice(0, 2)
      .toLowerCase();
    // Choice and number fields, and multi-step forms, need leadcap-more.js (in the source, ./more.tsx
    // is always there); the strings of a language other than English, leadcap-i18n.js. Side by side.
    const [i18n] = await Promise.all([
      language === "en" ? undefined : load("i18n").catch(() => undefined),
      !more.progress &&
        form.fields.some((f) => f.step || /^(radio|checkboxes|select|number)$/.test(f.type)) &&
        load("more").then((chunk) => Object.assign(more, chunk.more)),
    ]);
    return (root: ShadowRoot, extra: Partial<MountOptions>): MountedForm => {
      const rendered = mount(root, {
        config: form,
        host,
        data: dataOf(script),
        strings: i18n?.[language],
        ...extra,
      });
      mounted.add(rendered);
      return {
        ...rendered,
        unmount() {
          mounted.delete(rendered);
          rendered.unmount();
        },
      };
    };
  };

  const render = async (container: HTMLElement) => {
    const id = container.dataset.leadcapForm ?? "";
    container.setAttribute(MOUNTED, "");
    containers.set(container, undefined);
    sheet(); // Parsed now, in the task that found the container: the render's task is long enough.
    const [form] = await Promise.all([config(id), nearViewport(container)]);
    // Both settle in tasks of their own (the config's response, the observer's first report after a
    // frame, or the idle callback), so the render is never part of the task that ran this chunk.
    const mountIt = form && (await prepare(form));
    if (!mountIt || gone() || !containers.has(container)) return;
    const root = container.shadowRoot ?? container.attachShadow({ mode: "open" });
    // Rendered in place: building it off the page and putting it in place a task later (tried) made
    // the widget's main-thread time and time to interactive worse in the bench, not better.
    const shown = mountIt(root, { data: dataOf(script, container) });
    containers.set(container, shown);
    host.emit("impression", id);
  };

  const scan = () =>
    Promise.all(
      [...document.querySelectorAll<HTMLElement>(`[data-leadcap-form]:not([${MOUNTED}])`)].map((c) =>
        render(c).catch((e: unknown) => warn("could not render:", e)),
      ),
    );

  return {
    resend: () => void sender().catch(warn),
    emit(type, form, track = true) {
      dispatch(type, form);
      const at = new Date().toISOString();
      sender().then(({ events }) => track && events.add(type, form, at), warn);
    },
    prepare,
    async scan() {
      const found = scan();
      // Taken at once: a second scan meanwhile (a second copy of the script tag) must not insert too.
      const id = first;
      first = undefined;
      if (!id || document.querySelector(`[data-leadcap-form="${CSS.escape(id)}"]`)) return found;
      // No container for the script's form: an inline form renders right after the script tag.
      const form = await config(id);
      if ((form?.display?.mode ?? "inline") === "inline" && form && script?.parentNode && !gone()) {
        const el = document.createElement("div");
        el.dataset.leadcapForm = id;
        el.setAttribute(INSERTED, "");
        script.after(el);
        await scan();
      }
      return found;
    },
    route() {
      for (const [container, form] of containers)
        if (!container.isConnected) {
          form?.unmount();
          containers.delete(container);
        }
      // Frameworks render the new route after pushState: look for containers once they have.
      setTimeout(scan, 0);
    },
    set(name: string, value: FieldValue) {
      for (const form of mounted) form.set(name, value);
    },
    destroy() {
      for (const [container, form] of containers) {
        form?.unmount();
        container.removeAttribute(MOUNTED);
        if (container.hasAttribute(INSERTED)) container.remove();
      }
      containers.clear();
      void sending?.then(({ outbox, events }) => {
        events.stop();
        outbox.stop();
      }, warn);
      removeEventListener("pageshow", onPageShow);
    },
  };
}
