/** The edge's field validation against a form config with every field type (pure: runs in Node). */
import { describe, expect, it } from "vitest";
import { ApiError } from "../../edge/src/errors.ts";
import { MESSAGES, validateFields } from "../../edge/src/pipeline/validate.ts";
import { type Field, type FormConfig, FormSchema } from "../../shared/config.ts";
import { MESSAGES_EN } from "../../shared/messages.ts";
import { isEmpty, isVisible } from "../../shared/visibility.ts";

const form: FormConfig = FormSchema.parse({
  id: "everything",
  title: "Everything",
  intent: "demo",
  fields: [
    { name: "email", type: "email", label: "Email", required: true },
    { name: "name", type: "text", label: "Name", minLength: 2, maxLength: 20 },
    { name: "phone", type: "tel", label: "Phone" },
    { name: "homepage", type: "url", label: "Website" },
    { name: "seats", type: "number", label: "Seats", min: 1, max: 500, increment: 1 },
    { name: "about", type: "textarea", label: "About" },
    {
      name: "size",
      type: "select",
      label: "Company size",
      options: [
        { value: "1-10", label: "1–10" },
        { value: "11-200", label: "11–200" },
      ],
    },
    {
      name: "role",
      type: "radio",
      label: "Role",
      required: true,
      options: [
        { value: "eng", label: "Engineering" },
        { value: "mkt", label: "Marketing" },
      ],
    },
    {
      name: "other_role",
      type: "text",
      label: "Which role?",
      required: true,
      showWhen: { field: "role", equals: "mkt" },
    },
    {
      name: "topics",
      type: "checkboxes",
      label: "Topics",
      options: [
        { value: "a", label: "A" },
        { value: "b", label: "B" },
      ],
    },
    {
      name: "code",
      type: "text",
      label: "Promo code",
      pattern: "[A-Z]{3}-\\d{2}",
      patternMessage: "Like ABC-12.",
    },
    { name: "news", type: "checkbox", label: "Send me news" },
    { name: "consent", type: "consent", label: "I agree", required: true },
    { name: "ref", type: "hidden", value: "x" },
    { name: "website", type: "honeypot" },
  ],
});

function errorsOf(
  values: Record<string, unknown>,
  of: FormConfig = form,
): { code: string; fields: Record<string, string> } {
  try {
    validateFields(of, values as never);
  } catch (error) {
    if (error instanceof ApiError) return { code: error.code, fields: error.fields ?? {} };
    throw error;
  }
  throw new Error("expected a validation error");
}

const valid = { email: "a@b.example", role: "eng", consent: true };

describe("validateFields", () => {
  it("accepts a minimal valid answer and trims and NFC-normalizes text", () => {
    const out = validateFields(form, { ...valid, name: "  Zoe\u0301  " });
    expect(out.name).toBe("Zoé");
    expect(out.name).toHaveLength(3);
  });

  it("reports every failing field at once, with the visitor's messages", () => {
    const result = errorsOf({
      email: "nope",
      name: "x",
      phone: "call me",
      homepage: "example.com",
      seats: 1000,
      size: "huge",
      role: "",
      topics: ["a", "z"],
      code: "abc",
      consent: true,
    });
    expect(result.code).toBe("validation_failed");
    expect(result.fields).toEqual({
      email: MESSAGES.email,
      name: MESSAGES.tooShort(2),
      phone: MESSAGES.tel,
      homepage: MESSAGES.url,
      seats: MESSAGES.max(500),
      size: MESSAGES.option,
      role: MESSAGES.option,
      topics: MESSAGES.option,
      code: "Like ABC-12.",
    });
  });

  it("checks number bounds and increments and refuses numbers sent as text", () => {
    expect(errorsOf({ ...valid, seats: 0 }).fields).toEqual({ seats: MESSAGES.min(1) });
    expect(errorsOf({ ...valid, seats: 2.5 }).fields).toEqual({ seats: MESSAGES.increment(1) });
    expect(errorsOf({ ...valid, seats: "3" }).fields).toEqual({ seats: MESSAGES.number });
    expect(validateFields(form, { ...valid, seats: 3 }).seats).toBe(3);
  });

  it("requires a conditional field only when it is shown, and drops its value when hidden", () => {
    expect(errorsOf({ ...valid, role: "mkt" }).fields).toEqual({ other_role: MESSAGES.required });
    expect(validateFields(form, { ...valid, role: "mkt", other_role: "Growth" }).other_role).toBe("Growth");
    expect(validateFields(form, { ...valid, role: "eng", other_role: "Growth" })).not.toHaveProperty(
      "other_role",
    );
  });

  it("answers 422 when only the consent is missing", () => {
    expect(errorsOf({ ...valid, consent: false })).toEqual({
      code: "unprocessable",
      fields: { consent: MESSAGES.consent },
    });
  });

  it("rejects unknown fields and wrong value types", () => {
    expect(errorsOf({ ...valid, extra: "x" }).fields).toEqual({ extra: MESSAGES.unknown });
    expect(errorsOf({ ...valid, news: "yes" }).fields).toEqual({ news: MESSAGES.notBoolean });
    expect(errorsOf({ ...valid, topics: "a" }).fields).toEqual({ topics: MESSAGES.notList });
  });

  it("keeps ticked options and booleans as they are", () => {
    const out = validateFields(form, { ...valid, topics: ["a", "b"], news: true, size: "1-10" });
    expect(out).toMatchObject({ topics: ["a", "b"], news: true, size: "1-10", consent: true });
  });
});

describe("form config rules", () => {
  const base = {
    id: "f",
    title: "F",
    intent: "contact",
    fields: [{ name: "email", type: "email", label: "E", required: true }],
  };
  it.each([
    ["an option field without options", { name: "x", type: "select", label: "X" }],
    ["a showWhen naming no field", { name: "x", type: "text", label: "X", showWhen: { field: "nope" } }],
    ["a pre-ticked consent", { name: "c", type: "consent", label: "C", defaultValue: true }],
    ["an invalid pattern", { name: "p", type: "text", label: "P", pattern: "([" }],
    ["a field named like the no-JS envelope", { name: "redirect", type: "text", label: "R" }],
  ])("refuses %s", (_, field) => {
    expect(FormSchema.safeParse({ ...base, fields: [...base.fields, field] }).success).toBe(false);
  });
});

describe("showWhen (shared/visibility.ts, the widget's and the edge's one copy)", () => {
  const f = (name: string, showWhen?: Field["showWhen"]): Field =>
    ({ name, type: "text", label: name, ...(showWhen ? { showWhen } : {}) }) as Field;
  const fields = [
    f("role"),
    f("other", { field: "role", equals: "other" }),
    f("detail", { field: "other" }),
    f("topics"),
    f("api", { field: "topics", equals: "api" }),
    f("a", { field: "b" }),
    f("b", { field: "a" }),
  ];
  const shown = (values: Record<string, unknown>) =>
    fields.filter((field) => isVisible(fields, field, values)).map((field) => field.name);

  it("shows a field when its controller has the value, and only when the controller is shown too", () => {
    expect(shown({})).toEqual(["role", "topics"]);
    expect(shown({ role: "other", other: "x" })).toEqual(["role", "other", "detail", "topics"]);
    expect(shown({ role: "mkt", other: "x" })).toEqual(["role", "topics"]);
  });

  it("reads a ticked option of checkboxes as the value, and a cycle as hidden", () => {
    expect(shown({ topics: ["billing", "api"] })).toEqual(["role", "topics", "api"]);
    expect(shown({ a: "x", b: "y" })).not.toContain("a");
    expect([undefined, "", false, []].every(isEmpty)).toBe(true);
    expect(["x", true, ["a"], 0].some(isEmpty)).toBe(false);
  });
});

describe("messages", () => {
  it("are the widget's English strings, so an error reads the same whichever side caught it", () => {
    for (const key of ["required", "tick", "email", "url", "tel", "pattern", "number", "option"] as const)
      expect(MESSAGES[key]).toBe(MESSAGES_EN[key]);
    expect(MESSAGES.tooLong(20)).toBe("Please use at most 20 characters.");
    expect(MESSAGES.min(1)).toBe("Please enter 1 or more.");
    expect(MESSAGES.consent).toBe(MESSAGES_EN.tick);
  });

  it("names the empty answer as the widget does: tick a box, choose an option, fill in a field", () => {
    const f = FormSchema.parse({
      id: "f",
      title: "F",
      intent: "demo",
      fields: [
        { name: "email", type: "email", required: true },
        { name: "terms", type: "checkbox", required: true },
        { name: "size", type: "select", required: true, options: [{ value: "s", label: "S" }] },
        { name: "topics", type: "checkboxes", required: true, options: [{ value: "a", label: "A" }] },
        { name: "name", type: "text", required: true },
      ],
    });
    expect(errorsOf({}, f).fields).toEqual({
      email: MESSAGES_EN.required,
      terms: MESSAGES_EN.tick,
      size: MESSAGES_EN.option,
      topics: MESSAGES_EN.option,
      name: MESSAGES_EN.required,
    });
  });
});
