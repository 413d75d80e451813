/**
 * Inline forms, on the UI side: the loader fetches the configs and this chunk side by side, then
 * hands over. Every `[data-leadcap-form="<id>"]` container gets the form in its own shadow root
 * (the script's first form goes right after the script tag when the page has no container for it),
 * rendered in a task of its own once the container is within a screen of the viewport or the page
 * is idle, so a form further down the page costs the first screen nothing. `prepare` is also how leadcap-modes.js
 * renders: one place picks the strings and keeps the list of rendered forms for `leadcap('set')`.
 */
import type { FormConfig } from "../../../shared/config.ts";
import type { FieldValue } from "../../../shared/lead.ts";
import { createEvents } from "../events.ts";
import type { Host, Inline, InlineContext, MountedForm, MountOptions } from "../host.ts";
import { warn } from "../log.ts";
import { createOutbox } from "../outbox.ts";
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

/** Yields to the browser: what follows runs in a new task (input and rendering may go first). */
const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** Runs `task` once the page is idle, or after 2 s at the latest. */
const idle = (task: () => void) =>
  typeof requestIdleCallback === "function"
    ? requestIdleCallback(task, { timeout: 2000 })
    : setTimeout(task, 200);

/**
 * Resolves once `el` is within a screen of the viewport, or the page is idle: a form further down
 * costs the first screen nothing, yet is there for find-in-page and screen readers' landmark and
 * heading navigation (which do not scroll) soon after.
 */
const nearViewport = (el: Element) =>
  new Promise<void>((resolve) => {
    idle(resolve);
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

export function inline(context: InlineContext): Inline {
  const { config, load, script, gone, endpoint, fetch } = context;
  let { first } = context;
  // Lifecycle events: every one of them follows a render, so their code lives here.
  const events = createEvents(
    endpoint,
    context.host.site,
    fetch,
    () => context.host.signals().attribution.lastTouch,
  );
  // The outbox too: every submission comes from a form. It starts by resending what a closed tab
  // left (the loader loads this chunk on pages with no form when there is something to resend).
  const outbox = createOutbox({ fetch });
  const host: Host = { ...context.host, submit: (submission) => outbox.submit(endpoint, submission) };
  const onPageShow = (event: PageTransitionEvent) => {
    if (event.persisted) void outbox.flush(); // Back from the bfcache: the network may be back too.
  };
  addEventListener("pageshow", onPageShow);
  // Once the page is idle (opening localStorage can block the main thread for a while).
  idle(() => gone() || void outbox.flush());
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
      !more.check &&
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
    // Built off the page in this task, put in place in the next: the page's style and layout of the
    // form come in a frame of their own, not after the render's script (no long frame of both).
    const box = document.createElement("div");
    const shown = mountIt(root, { data: dataOf(script, container), into: box });
    containers.set(container, shown);
    await nextTask();
    if (containers.get(container) !== shown) return; // unmounted meanwhile (destroy, route change)
    root.append(box);
    host.emit("impression", id);
  };

  const scan = () =>
    Promise.all(
      [...document.querySelectorAll<HTMLElement>(`[data-leadcap-form]:not([${MOUNTED}])`)].map((c) =>
        render(c).catch((e: unknown) => warn("could not render:", e)),
      ),
    );

  return {
    emit: events.emit,
    prepare,
    async scan() {
      const found = scan();
      if (!first || document.querySelector(`[data-leadcap-form="${CSS.escape(first)}"]`)) return found;
      // No container for the script's form: an inline form renders right after the script tag.
      const form = await config(first);
      if ((form?.display?.mode ?? "inline") === "inline" && form && script?.parentNode && !gone()) {
        const el = document.createElement("div");
        el.dataset.leadcapForm = first;
        el.setAttribute(INSERTED, "");
        script.after(el);
        await scan();
      }
      first = undefined;
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
      events.stop();
      outbox.stop();
      removeEventListener("pageshow", onPageShow);
    },
  };
}
