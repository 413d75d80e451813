/**
 * What a site owner pastes: the script tag, the no-JS fallback form (a plain HTML form posting to
 * `POST /v1/leads`, see edge/src/pipeline/form-post.ts) and the CSP lines the host page needs.
 * Pure functions of the form config, so they are tested without a browser.
 */
import type { Field, FormConfig } from "../../../shared/config.ts";

const escapeHtml = (text: string) =>
  text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");

export function scriptTag(edge: string, site: string, form: string): string {
  return `<script src="${escapeHtml(edge)}/leadcap.js" data-site="${escapeHtml(site)}" data-form="${escapeHtml(form)}" async></script>`;
}

/** Where an inline form renders when the tag is not where it should appear (e.g. in <head>). */
export const containerTag = (form: string) => `<div data-leadcap-form="${escapeHtml(form)}"></div>`;

const TURNSTILE = "https://challenges.cloudflare.com";

/** The host page's CSP directives (merged into its own policy): the edge for the script, its calls and the fallback form. */
export function cspLines(edge: string, form?: FormConfig): string[] {
  const turnstile = form?.bot?.turnstileSecret ? ` ${TURNSTILE}` : "";
  return [
    `script-src 'self' ${edge}${turnstile}`,
    `connect-src 'self' ${edge}`,
    `form-action 'self' ${edge}`,
    ...(turnstile ? [`frame-src ${TURNSTILE}`] : []),
  ];
}

function attrs(values: Record<string, string | number | boolean | undefined>): string {
  let out = "";
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined || value === false) continue;
    out += value === true ? ` ${name}` : ` ${name}="${escapeHtml(String(value))}"`;
  }
  return out;
}

const INPUT_TYPES: Partial<Record<Field["type"], string>> = {
  text: "text",
  email: "email",
  tel: "tel",
  url: "url",
  number: "number",
};

function control(field: Field, required: boolean, id: string): string {
  const label = `${escapeHtml(field.label || field.name)}${required ? " *" : ""}`;
  const common = { id, name: field.name, required };
  switch (field.type) {
    case "hidden":
      return `  <input${attrs({ type: "hidden", name: field.name, value: field.value ?? "" })}>`;
    case "honeypot":
      // Left empty by people (it is never shown), filled by bots: the edge records those as spam.
      return `  <p hidden><input${attrs({ type: "text", name: field.name, tabindex: -1, autocomplete: "off" })}></p>`;
    case "textarea":
      return `  <p><label for="${id}">${label}</label>\n    <textarea${attrs({ ...common, maxlength: field.maxLength, minlength: field.minLength, placeholder: field.placeholder })}></textarea></p>`;
    case "select": {
      const options = (field.options ?? [])
        .map(
          (o) =>
            `      <option${attrs({ value: o.value, selected: field.defaultValue === o.value })}>${escapeHtml(o.label)}</option>`,
        )
        .join("\n");
      return `  <p><label for="${id}">${label}</label>\n    <select${attrs(common)}>\n      <option value="">Choose…</option>\n${options}\n    </select></p>`;
    }
    case "radio":
    case "checkboxes": {
      const type = field.type === "radio" ? "radio" : "checkbox";
      const defaults = Array.isArray(field.defaultValue) ? field.defaultValue : [field.defaultValue];
      const options = (field.options ?? [])
        .map(
          (o, i) =>
            `    <label><input${attrs({ type, name: field.name, value: o.value, id: `${id}-${i}`, required: type === "radio" && required, checked: defaults.includes(o.value) })}> ${escapeHtml(o.label)}</label>`,
        )
        .join("\n");
      return `  <fieldset>\n    <legend>${label}</legend>\n${options}\n  </fieldset>`;
    }
    case "checkbox":
    case "consent":
      return `  <p><input${attrs({ type: "checkbox", value: "true", ...common, checked: field.type === "checkbox" && field.defaultValue === true })}> <label for="${id}">${label}</label></p>`;
    default:
      return `  <p><label for="${id}">${label}</label>\n    <input${attrs({
        type: INPUT_TYPES[field.type] ?? "text",
        ...common,
        autocomplete: field.autocomplete,
        placeholder: field.placeholder,
        maxlength: field.maxLength,
        minlength: field.minLength,
        min: field.min,
        max: field.max,
        step: field.increment,
        value: typeof field.defaultValue === "string" ? field.defaultValue : undefined,
      })}></p>`;
  }
}

/**
 * The no-JS fallback: every field of the form as plain HTML, named as in the config. Conditional
 * fields cannot hide themselves without a script, so they are shown and optional; steps are flattened.
 */
export function noJsForm(edge: string, site: string, form: FormConfig): string {
  const lines = [
    `<form method="post" action="${escapeHtml(edge)}/v1/leads">`,
    `  <input type="hidden" name="site" value="${escapeHtml(site)}">`,
    `  <input type="hidden" name="form" value="${escapeHtml(form.id)}">`,
    `  <!-- optional: a thank-you page on an allowed origin (default: back to this page) -->`,
    `  <input type="hidden" name="redirect" value="">`,
    ...form.fields.map((field) =>
      control(field, field.required === true && !field.showWhen, `leadcap-${form.id}-${field.name}`),
    ),
    `  <p><button type="submit">${escapeHtml(form.submitLabel || "Send")}</button></p>`,
    `</form>`,
  ];
  return lines.join("\n");
}

/** Script tag plus the fallback in <noscript>: what most pages should paste. */
export function fullSnippet(edge: string, site: string, form: FormConfig): string {
  const fallback = noJsForm(edge, site, form)
    .split("\n")
    .map((line) => `  ${line}`)
    .join("\n");
  return `${scriptTag(edge, site, form.id)}\n<noscript>\n${fallback}\n</noscript>`;
}
