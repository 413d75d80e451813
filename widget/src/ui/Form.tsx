/**
 * The form: renders the config's fields, checks them, submits, and shows what happened. A failed
 * attempt keeps everything the visitor typed and the same submission id, so pressing the button
 * again is a true retry that the edge deduplicates.
 */
import { useLayoutEffect, useRef, useState } from "preact/hooks";
import type { Field as FieldConfig, FormConfig } from "../../../shared/config.ts";
import type { FieldErrors } from "../../../shared/errors.ts";
import type { Page } from "../../../shared/lead.ts";
import type { Attribution, Engagement } from "../../../shared/signals.ts";
import {
  browserFetch,
  buildSubmission,
  currentPage,
  type Fetch,
  newSubmissionId,
  type SubmitResult,
  submitLead,
} from "../api.ts";
import { currentAttribution } from "../attribution.ts";
import { engagementSnapshot } from "../engagement.ts";
import { warn } from "../log.ts";
import { type FieldValues, validateField, validateForm } from "../validate.ts";
import { Field } from "./Field.tsx";

export const RETRY_MESSAGE = "We could not send your details. Check your connection and try again.";

export interface Signals {
  attribution: Attribution;
  engagement: Engagement;
  page: Page;
}

/** What the page knows about the visit at the moment of submitting. */
const pageSignals = (): Signals => ({
  attribution: currentAttribution(),
  engagement: engagementSnapshot(),
  page: currentPage(),
});

export interface FormProps {
  site: string;
  config: FormConfig;
  /** Origin of the Leadcap edge, without a trailing slash. */
  endpoint: string;
  fetch?: Fetch;
  /** @default attribution, engagement and page of the current page view */
  signals?: () => Signals;
}

type Status = "idle" | "sending" | "sent" | "failed";

let instances = 0;

function readValues(form: HTMLFormElement, fields: readonly FieldConfig[]): FieldValues {
  const values: FieldValues = {};
  for (const field of fields) {
    const control = form.elements.namedItem(field.name) as HTMLInputElement | null;
    values[field.name] =
      field.type === "checkbox" || field.type === "consent"
        ? Boolean(control?.checked)
        : (control?.value ?? "");
  }
  return values;
}

export function Form({ site, config, endpoint, fetch = browserFetch, signals = pageSignals }: FormProps) {
  const [uid] = useState(() => `lc${++instances}`);
  const [status, setStatus] = useState<Status>("idle");
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string>();
  // Bumped to move focus to the first invalid field once the messages are rendered.
  const [focusRequest, setFocusRequest] = useState(0);
  const submissionId = useRef(newSubmissionId());
  const formRef = useRef<HTMLFormElement>(null);
  const successRef = useRef<HTMLDivElement>(null);

  // Layout effects: focus moves in the same frame the messages appear, before anything is painted.
  useLayoutEffect(() => {
    if (focusRequest) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [focusRequest]);
  useLayoutEffect(() => {
    if (status === "sent") successRef.current?.focus();
  }, [status]);

  const showErrors = (next: FieldErrors) => {
    setErrors(next);
    setFocusRequest((n) => n + 1);
  };

  const onInput = (field: FieldConfig, value: string | boolean) => {
    // Only fields already showing a message are re-checked: no scolding while someone is typing.
    if (!errors[field.name]) return;
    const message = validateField(field, value);
    setErrors((current) => {
      const next = { ...current };
      if (message) next[field.name] = message;
      else delete next[field.name];
      return next;
    });
  };

  const onSubmit = async (event: Event) => {
    event.preventDefault();
    const form = formRef.current;
    if (!form || status === "sending") return;
    const values = readValues(form, config.fields);
    const invalid = validateForm(config.fields, values);
    setFormError(undefined);
    if (Object.keys(invalid).length > 0) {
      setStatus("idle");
      showErrors(invalid);
      return;
    }
    setErrors({});
    setStatus("sending");
    let result: SubmitResult;
    try {
      const submission = buildSubmission({
        site,
        form: config,
        submissionId: submissionId.current,
        values,
        ...signals(),
      });
      result = await submitLead(endpoint, submission, fetch);
    } catch (error) {
      // A bug of ours, not the network's; the visitor can still retry, and the page sees nothing.
      warn("could not submit:", error);
      result = { kind: "failed" };
    }
    if (result.kind === "sent") {
      submissionId.current = newSubmissionId(); // The next lead is a new submission.
      setStatus("sent");
    } else if (result.kind === "invalid") {
      setStatus("idle");
      // Messages go next to the fields the visitor can fix; anything else is said above the button.
      const shown: FieldErrors = {};
      for (const field of config.fields) {
        const message = result.fields[field.name];
        if (message && field.type !== "hidden" && field.type !== "honeypot") shown[field.name] = message;
      }
      if (Object.keys(shown).length > 0) showErrors(shown);
      else setFormError(result.message);
    } else {
      setStatus("failed");
      setFormError(RETRY_MESSAGE);
    }
  };

  if (status === "sent") {
    return (
      <div class="lc-success" role="status" tabIndex={-1} ref={successRef}>
        {config.successMessage}
      </div>
    );
  }

  const titleId = `${uid}-title`;
  return (
    <form ref={formRef} noValidate onSubmit={onSubmit} aria-labelledby={titleId}>
      <h2 id={titleId}>{config.title}</h2>
      {config.description && <p class="lc-desc">{config.description}</p>}
      <fieldset disabled={status === "sending"}>
        {config.fields.map((field) => (
          <Field
            key={field.name}
            field={field}
            id={`${uid}-${field.name}`}
            error={errors[field.name]}
            onInput={onInput}
          />
        ))}
        {formError && (
          <p class="lc-alert" role="alert">
            {formError}
          </p>
        )}
        <button type="submit">{status === "sending" ? "Sending…" : config.submitLabel}</button>
      </fieldset>
    </form>
  );
}
