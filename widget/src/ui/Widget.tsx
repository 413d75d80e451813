/** One mounted form: a small loading state until the config arrives, then the form, or nothing. */
import { useErrorBoundary } from "preact/hooks";
import type { FormConfig } from "../../../shared/config.ts";
import type { Fetch } from "../api.ts";
import { warn } from "../log.ts";
import { Form, type Signals } from "./Form.tsx";

export interface WidgetProps {
  site: string;
  endpoint: string;
  /** undefined while loading; null when it could not be loaded (the page then shows nothing). */
  form: FormConfig | null | undefined;
  fetch?: Fetch;
  signals?: () => Signals;
}

export function Widget({ form, ...props }: WidgetProps) {
  // A rendering bug must not surface as an uncaught error on the customer's page.
  const [error] = useErrorBoundary((caught) => warn("the form failed:", caught));
  if (form === null || error) return null;
  return (
    <div class="lc" aria-busy={form ? undefined : "true"}>
      {form ? <Form {...props} config={form} /> : <p class="lc-loading">Loading…</p>}
    </div>
  );
}
