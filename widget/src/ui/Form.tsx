/**
 * The form: renders the config's fields (step by step for multi-step forms, conditional fields as
 * their condition holds), checks them, hands the submission to the loader's outbox and says what
 * happened. One submission id per attempt at a lead: a retry after a failure reuses it (the edge
 * deduplicates), a refusal (4xx) gets a new one for the corrected attempt.
 */
import { useLayoutEffect, useRef, useState } from "preact/hooks";
import type { Field as FieldConfig, FormConfig } from "../../../shared/config.ts";
import type { FieldErrors } from "../../../shared/errors.ts";
import type { FieldValue } from "../../../shared/lead.ts";
import type { Host } from "../host.ts";
import { warn } from "../log.ts";
import {
  initialValues,
  isVisible,
  payload,
  type Value,
  type Values,
  validateField,
  validateForm,
} from "../validate.ts";
import { Field } from "./Field.tsx";
import type { Translate } from "./strings.ts";

export interface FormControl {
  /** Set by the form: changes a field's value from outside (`leadcap('set', …)`). */
  set?: (name: string, value: FieldValue) => void;
}

export interface FormProps {
  config: FormConfig;
  host: Host;
  t: Translate;
  data?: Record<string, string>;
  /** Id of the title, for the dialog that labels itself with it. */
  titleId: string;
  control?: FormControl;
}

type Status = "idle" | "sending" | "queued" | "sent" | "failed";

export function Form({ config, host, t, data = {}, titleId, control }: FormProps) {
  const { fields } = config;
  const uid = titleId.replace(/-title$/, "");
  const [values, setValues] = useState<Values>(() => initialValues(fields, host.prefill(), data));
  const [status, setStatus] = useState<Status>("idle");
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string>();
  const [step, setStep] = useState(0);
  // Bumped to move focus (first invalid field, or the next step's first field) once rendered.
  const [focusRequest, setFocusRequest] = useState(0);
  const submissionId = useRef("");
  const formRef = useRef<HTMLFormElement>(null);
  const doneRef = useRef<HTMLDivElement>(null);

  const steps = Math.max(1, ...fields.map((f) => (f.step ?? 0) + 1));
  const last = step >= steps - 1;
  const onStep = (f: FieldConfig) => (f.step ?? 0) === step || f.type === "honeypot";

  if (control) {
    // Consent is never set from outside: the visitor gives it.
    control.set = (name, value) =>
      setValues((v) =>
        name in v && fields.find((f) => f.name === name)?.type !== "consent"
          ? { ...v, [name]: typeof value === "number" ? String(value) : value }
          : v,
      );
  }

  // Layout effects: focus moves in the same frame the messages appear, before anything is painted.
  useLayoutEffect(() => {
    if (!focusRequest) return;
    const form = formRef.current;
    (
      form?.querySelector<HTMLElement>('[aria-invalid="true"]') ??
      form?.querySelector<HTMLElement>("input,select,textarea")
    )?.focus();
  }, [focusRequest]);
  useLayoutEffect(() => {
    if (status === "sent" || status === "queued") doneRef.current?.focus();
  }, [status]);

  const badInput = (name: string) =>
    Boolean((formRef.current?.elements.namedItem(name) as HTMLInputElement | null)?.validity?.badInput);

  const showErrors = (next: FieldErrors) => {
    setErrors(next);
    // Multi-step: go back to the first step with a problem.
    const first = fields.find((f) => next[f.name]);
    if (first) setStep(first.step ?? 0);
    setFocusRequest((n) => n + 1);
  };

  const onChange = (field: FieldConfig, value: Value) => {
    const next = { ...values, [field.name]: value };
    setValues(next);
    // Only fields already showing a message are re-checked: no scolding while someone is typing.
    if (errors[field.name]) {
      const message = validateField(field, value, t, badInput(field.name));
      setErrors((current) => {
        const copy = { ...current };
        if (message) copy[field.name] = message;
        else delete copy[field.name];
        return copy;
      });
    }
  };
  const empty = (field: FieldConfig) => {
    const v = values[field.name];
    return v === "" || v === false || (Array.isArray(v) && v.length === 0);
  };

  const next = () => {
    const invalid = validateForm(fields, fields.filter(onStep), values, t, badInput);
    if (Object.keys(invalid).length) return showErrors(invalid);
    setErrors({});
    setStep(step + 1);
    setFocusRequest((n) => n + 1);
  };

  const onSubmit = async (event: Event) => {
    event.preventDefault();
    if (status === "sending") return;
    if (!last) return next();
    const invalid = validateForm(fields, fields, values, t, badInput);
    setFormError(undefined);
    if (Object.keys(invalid).length > 0) {
      setStatus("idle");
      return showErrors(invalid);
    }
    setErrors({});
    setStatus("sending");
    submissionId.current ||= host.newId();
    try {
      const outcome = await host.submit({
        site: host.site,
        form: config.id,
        submissionId: submissionId.current,
        fields: payload(fields, values),
        ...host.signals(),
      });
      if (outcome.kind === "sent") {
        submissionId.current = ""; // The next lead is a new submission.
        setStatus("sent");
      } else if (outcome.kind === "queued") {
        // Saved in the outbox: the visitor must not type it all again, nor send it twice.
        setStatus("queued");
        void outcome.sent.then((stored) => setStatus(stored ? "sent" : "failed"));
      } else {
        submissionId.current = "";
        setStatus("idle");
        // Messages go next to the fields the visitor can fix; anything else is said above the button.
        const shown: FieldErrors = {};
        for (const field of fields) {
          const message = outcome.fields[field.name];
          if (message && field.type !== "hidden" && field.type !== "honeypot") shown[field.name] = message;
        }
        if (Object.keys(shown).length > 0) showErrors(shown);
        else setFormError(outcome.message);
      }
    } catch (error) {
      // A bug of ours, not the network's; the visitor can still retry, and the page sees nothing.
      warn("could not submit:", error);
      setStatus("failed");
      setFormError(t("retry"));
    }
  };

  if (status === "sent" || status === "queued") {
    return (
      <div class="lc-success" role="status" tabIndex={-1} ref={doneRef}>
        <h2 id={titleId}>{config.title}</h2>
        <p>{status === "sent" ? config.successMessage : t("queued")}</p>
      </div>
    );
  }

  const stepTitle = config.steps?.[step]?.title;
  return (
    <form ref={formRef} noValidate onSubmit={onSubmit} aria-labelledby={titleId}>
      <h2 id={titleId}>{config.title}</h2>
      {config.description && <p class="lc-desc">{config.description}</p>}
      {steps > 1 && (
        <div class="lc-progress">
          <p>
            {t("progress", step + 1, steps)}
            {stepTitle && `: ${stepTitle}`}
          </p>
          <div class="lc-track" aria-hidden="true">
            <span style={{ width: `${((step + 1) / steps) * 100}%` }} />
          </div>
        </div>
      )}
      <fieldset disabled={status === "sending"}>
        {fields.map(
          (field) =>
            onStep(field) &&
            isVisible(fields, field, values) && (
              <Field
                key={field.name}
                field={field}
                id={`${uid}-${field.name}`}
                value={values[field.name]}
                error={errors[field.name]}
                onChange={onChange}
                onFocus={(f) => host.interacted(config.id, f.name, empty(f))}
                onBlur={(f) => host.interacted(config.id, f.name, empty(f))}
              />
            ),
        )}
        {formError && (
          <p class="lc-alert" role="alert">
            {formError}
          </p>
        )}
        {status === "failed" && !formError && (
          <p class="lc-alert" role="alert">
            {t("retry")}
          </p>
        )}
        <div class="lc-actions">
          {step > 0 && (
            <button type="button" class="lc-back" onClick={() => setStep(step - 1)}>
              {t("back")}
            </button>
          )}
          <button type="submit">
            {status === "sending" ? t("sending") : last ? config.submitLabel : t("next")}
          </button>
        </div>
      </fieldset>
    </form>
  );
}
