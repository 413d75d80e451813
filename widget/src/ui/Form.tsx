/**
 * The form: renders the config's fields (step by step for multi-step forms, conditional fields as
 * their condition holds), checks them, hands the submission to the loader's outbox and says what
 * happened. One submission id per attempt at a lead: a retry after a failure reuses it (the edge
 * deduplicates), a refusal (4xx) gets a new one for the corrected attempt.
 *
 * A class component: hooks would add preact/hooks to the bytes every inline form costs.
 */
import { Component, createRef } from "preact";
import type { Field as FieldConfig, FormConfig } from "../../../shared/config.ts";
import type { FieldErrors } from "../../../shared/errors.ts";
import { currentPage, newSubmissionId } from "../api.ts";
import type { Control, Host } from "../host.ts";
import { warn } from "../log.ts";
import { send } from "../send.ts";
import { initialValues, isEmpty, isVisible, payload, type Value, type Values } from "../validate.ts";
import { Field } from "./Field.tsx";
import { more } from "./more.tsx";
import type { Translate } from "./strings.ts";

export interface FormProps {
  config: FormConfig;
  host: Host;
  t: Translate;
  data?: Record<string, string>;
  /** Id of the title, for the dialog that labels itself with it. */
  titleId: string;
  /** Gets `set`: changes a field's value from outside (`leadcap('set', …)`). */
  control?: Control;
}

/**
 * `queued`: kept while offline; `held`: kept because the edge cannot take it yet (it said so). Those
 * two and `sent` are the done ones, each with its own sentence (see `DONE`).
 */
type Status = "idle" | "sending" | "queued" | "held" | "sent" | "failed";
/** The done statuses, as one string to look a status up in: fewer bytes than three comparisons. */
const DONE = "sent queued held";

interface State {
  values: Values;
  status: Status;
  errors: FieldErrors;
  formError?: string | undefined;
  step: number;
  /** Bumped to move focus (first invalid field, or the next step's first field) once rendered. */
  focus: number;
}

export class Form extends Component<FormProps, State> {
  #submissionId = "";
  #formRef = createRef<HTMLFormElement>();
  #doneRef = createRef<HTMLDivElement>();
  /** Form engagement: when the visitor first focused a field, and the fields they left empty. */
  #touched = { at: 0, empty: new Set<string>() };
  /** The checks are being awaited: a second click meanwhile is the same submission, ignored. */
  #checking = false;

  constructor(props: FormProps) {
    super(props);
    const { config, host, data = {}, control } = props;
    this.state = {
      values: initialValues(config.fields, host.prefill, data),
      status: "idle",
      errors: {},
      step: 0,
      focus: 0,
    };
    if (control) {
      // Consent is never set from outside: the visitor gives it.
      control.set = (name, value) =>
        this.setState(({ values }) =>
          name in values && config.fields.find((f) => f.name === name)?.type !== "consent"
            ? { values: { ...values, [name]: typeof value === "number" ? String(value) : value } }
            : null,
        );
    }
  }

  // Runs in the same frame the messages appear, before anything is painted.
  override componentDidUpdate(_: FormProps, previous: State) {
    const { focus, status } = this.state;
    const form = this.#formRef.current;
    if (focus !== previous.focus)
      (
        form?.querySelector<HTMLElement>('[aria-invalid="true"]') ??
        form?.querySelector<HTMLElement>("input,select,textarea")
      )?.focus();
    if (status !== previous.status && DONE.includes(status)) this.#doneRef.current?.focus();
  }

  #badInput = (name: string) =>
    Boolean((this.#formRef.current?.elements.namedItem(name) as HTMLInputElement | null)?.validity?.badInput);

  #showErrors(errors: FieldErrors) {
    // Multi-step: go back to the first step with a problem.
    const first = this.props.config.fields.find((f) => errors[f.name]);
    this.setState(({ step, focus }) => ({
      errors,
      step: first ? (first.step ?? 0) : step,
      focus: focus + 1,
    }));
  }

  // From the state as updated so far, not as last rendered: autofill changes several fields in one
  // task, before the form renders again.
  #onChange = (field: FieldConfig, value: Value) =>
    this.setState(({ values, errors }) => {
      const { name } = field;
      // Only fields already showing a message are re-checked: no scolding while someone is typing.
      // (A message means the checks are here: see `#check`.)
      const message = errors[name] && send.validateField(field, value, this.props.t, this.#badInput(name));
      const { [name]: _, ...others } = errors;
      return {
        values: { ...values, [name]: value },
        errors: errors[name] ? (message ? { ...others, [name]: message } : others) : errors,
      };
    });

  #interacted = (field: FieldConfig) => {
    const seen = this.#touched;
    seen.at ||= performance.now();
    seen.empty[isEmpty(this.state.values[field.name]) ? "add" : "delete"](field.name);
  };

  #onStep = (f: FieldConfig) => (f.step ?? 0) === this.state.step || f.type === "honeypot";

  #steps = () => Math.max(1, ...this.props.config.fields.map((f) => (f.step ?? 0) + 1));

  /**
   * The visitor's answers among `fields` checked, once the checks are here (leadcap-send.js, fetched
   * as the form was shown): none found if they cannot be loaded (offline), the edge checks again.
   */
  #check = async (fields: readonly FieldConfig[]): Promise<FieldErrors> => {
    const { config, host, t } = this.props;
    this.#checking = true;
    const ready = await host.ready?.();
    this.#checking = false;
    return ready === false
      ? {}
      : send.validateForm(config.fields, fields, this.state.values, t, this.#badInput);
  };

  #onSubmit = async (event: Event) => {
    event.preventDefault();
    const { config, host, t } = this.props;
    const { fields } = config;
    const { status, step } = this.state;
    if (status === "sending" || this.#checking) return;
    if (step < this.#steps() - 1) {
      const invalid = await this.#check(fields.filter(this.#onStep));
      if (Object.keys(invalid).length) return this.#showErrors(invalid);
      return this.setState((now) => ({ errors: {}, step: now.step + 1, focus: now.focus + 1 }));
    }
    const invalid = await this.#check(fields);
    if (Object.keys(invalid).length > 0) {
      this.setState({ status: "idle", formError: undefined });
      return this.#showErrors(invalid);
    }
    const { values } = this.state;
    this.setState({ errors: {}, status: "sending", formError: undefined });
    this.#submissionId ||= newSubmissionId();
    const setStatus = (status: Status, formError?: string) => this.setState({ status, formError });
    const emit = (stored: boolean) => host.emit(stored ? "success" : "error", config.id);
    host.emit("submit", config.id);
    try {
      const { attribution, engagement } = host.signals();
      const seen = this.#touched;
      const outcome = await host.submit({
        site: host.site,
        form: config.id,
        submissionId: this.#submissionId,
        fields: payload(fields, values),
        attribution,
        engagement: seen.at
          ? {
              ...engagement,
              formTimeMs: Math.round(performance.now() - seen.at),
              abandonedFields: [...seen.empty],
            }
          : engagement,
        page: currentPage(),
      });
      if (outcome.kind === "sent") {
        this.#submissionId = ""; // The next lead is a new submission.
        setStatus("sent");
        emit(true);
      } else if (outcome.kind === "queued") {
        // Saved in the outbox: the visitor must not type it all again, nor send it twice.
        setStatus(outcome.held ? "held" : "queued");
        void outcome.sent.then((stored) => {
          setStatus(stored ? "sent" : "failed");
          emit(stored);
        });
      } else {
        emit(false);
        this.#submissionId = "";
        // Messages go next to the fields the visitor can fix; anything else is a plain sentence above
        // the button (the edge's own words, by code, reach the site owner as capture health).
        const shown = send.fixable(fields, outcome.fields);
        if (Object.keys(shown).length > 0) {
          setStatus("idle");
          this.#showErrors(shown);
        } else setStatus("idle", t("refused"));
      }
    } catch (error) {
      // A bug of ours, not the network's; the visitor can still retry, and the page sees nothing.
      warn("could not submit:", error);
      setStatus("failed", t("retry"));
    }
  };

  render() {
    const { config, t, titleId } = this.props;
    const { fields } = config;
    const { values, status, errors, formError, step } = this.state;

    const uid = titleId.replace(/-title$/, "");
    const steps = this.#steps();
    const last = step >= steps - 1;
    if (DONE.includes(status)) {
      return (
        <div class="lc-success" role="status" tabIndex={-1} ref={this.#doneRef}>
          <h2 id={titleId}>{config.title}</h2>
          <p>{status === "sent" ? config.successMessage : t(status as "queued" | "held")}</p>
        </div>
      );
    }

    return (
      <form ref={this.#formRef} noValidate onSubmit={this.#onSubmit} aria-labelledby={titleId}>
        <h2 id={titleId}>{config.title}</h2>
        {config.description && <p class="lc-desc">{config.description}</p>}
        {steps > 1 && more.progress(t, step, steps, config.steps?.[step]?.title)}
        <fieldset disabled={status === "sending"}>
          {fields.map(
            (field) =>
              this.#onStep(field) &&
              isVisible(fields, field, values) && (
                <Field
                  key={field.name}
                  field={field}
                  id={`${uid}-${field.name}`}
                  value={values[field.name]}
                  error={errors[field.name]}
                  onChange={this.#onChange}
                  onFocus={this.#interacted}
                  onBlur={this.#interacted}
                />
              ),
          )}
          {(formError || status === "failed") && (
            <p class="lc-alert" role="alert">
              {formError || t("retry")}
            </p>
          )}
          <div class="lc-actions">
            {step > 0 && more.back(t, () => this.setState({ step: step - 1 }))}
            <button type="submit">
              {status === "sending" ? t("sending") : last ? config.submitLabel : t("next")}
            </button>
          </div>
        </fieldset>
      </form>
    );
  }
}
