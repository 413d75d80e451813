/**
 * The live preview: the real widget form (widget/src/ui `mount`, the code leadcap-ui.js runs on a
 * customer's page) rendered into a shadow root beside the editor, re-rendered as the marketer types.
 * Its Host sends nothing: a submit shows the form's success message and "Preview: not sent" here.
 * Popups, slide-ins, launchers and bars are shown inline (their shell opens on the page by triggers).
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { type FormConfig, FormSchema } from "../../../../shared/config.ts";
import type { Host, MountedForm } from "../../../../widget/src/host.ts";
import { mount } from "../../../../widget/src/ui/index.tsx";
import { humanize } from "../format.ts";

/** A Host for the preview: no outbox, no events, no network. */
export function previewHost(site: string, onSubmit: (fields: Record<string, unknown>) => void): Host {
  const touch = { landingPage: location.href, at: new Date().toISOString() };
  return {
    site,
    async submit(submission) {
      onSubmit(submission.fields);
      return { kind: "sent", answer: undefined };
    },
    signals: () => ({
      attribution: { firstTouch: touch, lastTouch: touch },
      engagement: { activeTimeMs: 0, maxScrollPct: 0 },
    }),
    emit: () => {},
    prefill: {},
  };
}

/** How a non-inline form opens on the page, in words. */
export function describeDisplay(form: FormConfig): string {
  const d = form.display;
  const mode = d?.mode ?? "inline";
  if (mode === "inline") return "Inline: where the script tag (or its container) stands.";
  if (mode === "launcher") return `Launcher: a “${d?.launcherLabel || form.title}” button opens it.`;
  const t = d?.triggers ?? {};
  const when = [
    t.delaySeconds !== undefined ? `after ${t.delaySeconds} s` : "",
    t.scrollPercent !== undefined ? `at ${t.scrollPercent} % scrolled` : "",
    t.exitIntent ? "on exit intent" : "",
    t.click ? `on a click on ${t.click}` : "",
  ].filter(Boolean);
  return `${humanize(mode)}: opens ${when.length ? when.join(", or ") : "as soon as the page allows"}. Shown inline here.`;
}

export function Preview({ site, form }: { site: string; form: unknown }) {
  const hostRef = useRef<HTMLDivElement>(null);
  const rootRef = useRef<ShadowRoot | null>(null);
  const mounted = useRef<MountedForm | null>(null);
  const [sent, setSent] = useState<Record<string, unknown> | null>(null);
  const [stale, setStale] = useState(false);
  const [shown, setShown] = useState<FormConfig | null>(null);
  const [generation, setGeneration] = useState(0);
  /** A re-render is on its way (the marketer is typing): the frame is aria-busy meanwhile. */
  const [pending, setPending] = useState(false);
  const text = JSON.stringify(form);

  useEffect(() => {
    const parsed = FormSchema.safeParse(form);
    // A form the schema refuses keeps the last good preview; the editor says what to fix.
    if (!parsed.success) {
      setStale(true);
      return;
    }
    setStale(false);
    setPending(true);
    const timer = setTimeout(() => {
      const el = hostRef.current;
      if (!el) return;
      rootRef.current ??= el.attachShadow({ mode: "open" });
      mounted.current?.unmount();
      mounted.current = mount(rootRef.current, {
        config: parsed.data,
        host: previewHost(site, (fields) => setSent(fields)),
        data: {},
      });
      setShown(parsed.data);
      setSent(null);
      setPending(false);
    }, 120);
    return () => clearTimeout(timer);
  }, [text, site, generation]);

  useEffect(() => () => mounted.current?.unmount(), []);

  return (
    <section class="card preview" aria-labelledby="preview-title">
      <div class="preview-head">
        <h2 id="preview-title">Live preview</h2>
        <button
          type="button"
          class="button button-ghost button-small"
          onClick={() => setGeneration((g) => g + 1)}
        >
          Reset preview
        </button>
      </div>
      {shown && <p class="muted small">{describeDisplay(shown)}</p>}
      {stale && (
        <p class="notice small" role="status">
          The preview shows the last version without problems: fix the ones marked in the editor.
        </p>
      )}
      <div
        class="preview-frame"
        ref={hostRef}
        data-testid="preview"
        aria-busy={pending ? "true" : undefined}
      />
      {sent && (
        <p class="notice small" role="status">
          Preview: not sent. It would have sent{" "}
          {Object.keys(sent).length ? Object.keys(sent).join(", ") : "no fields"}.
        </p>
      )}
    </section>
  );
}
