/**
 * The widget bench's reference (see widget.ts): the least any Preact widget must do to show the demo
 * page's form. It loads the same form config from the edge, attaches a shadow root to the container,
 * adopts one small constructable stylesheet, renders a label and an input per field and a submit
 * button, and announces the form with `leadcap:impression` like the widget. No storage, attribution,
 * validation, translations or lazy chunks: what it costs is the floor of this stack, not a widget.
 *
 * It marks its start and measures to the parsed config (`leadcap-reference:config`): the network
 * part of its time to interactive, which no widget on this edge can go below.
 */
import { render } from "preact";

performance.mark("leadcap-reference:start");

interface Field {
  name: string;
  type: string;
  label: string;
  required?: boolean;
}

/** The contact form's field types that are no HTML input type; its others are. */
const INPUT_TYPE: Record<string, string> = { consent: "checkbox", honeypot: "hidden" };

const CSS =
  "form{display:grid;gap:12px;max-width:512px;font:16px/1.5 system-ui,sans-serif}" +
  "label{display:grid;gap:4px}input{font:inherit;padding:8px;border:1px solid #6b7280;border-radius:4px}" +
  "button{font:inherit;padding:8px 16px;justify-self:start}";

function Form({ fields, submitLabel }: { fields: Field[]; submitLabel: string }) {
  return (
    <form>
      {fields.map((field) => (
        <label key={field.name}>
          {field.label}
          <input
            // Any input type (as widget/src/ui/Field.tsx): Preact's types allow some roles per type only.
            type={(INPUT_TYPE[field.type] ?? field.type) as "text"}
            name={field.name}
            required={field.required}
          />
        </label>
      ))}
      <button type="submit">{submitLabel}</button>
    </form>
  );
}

async function show(script: HTMLScriptElement, container: HTMLElement) {
  const lang = document.documentElement.lang;
  const url = `${new URL(script.src).origin}/v1/sites/${script.dataset.site}/forms/${container.dataset.leadcapForm}${lang ? `?lang=${lang}` : ""}`;
  const response = await fetch(url, { credentials: "omit" });
  const { form } = (await response.json()) as { form: { fields: Field[]; submitLabel?: string } };
  performance.measure("leadcap-reference:config", "leadcap-reference:start");
  const root = container.attachShadow({ mode: "open" });
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(CSS);
  root.adoptedStyleSheets = [sheet];
  render(<Form fields={form.fields} submitLabel={form.submitLabel ?? "Send"} />, root);
  document.dispatchEvent(
    new CustomEvent("leadcap:impression", { detail: { form: container.dataset.leadcapForm } }),
  );
}

const script = document.currentScript as HTMLScriptElement;
const container = document.querySelector<HTMLElement>("[data-leadcap-form]");
if (container) void show(script, container);
