import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { FormConfig } from "../../shared/config.ts";
import { LeadSubmissionSchema } from "../../shared/lead.ts";
import { de, es, fr } from "../../widget/src/ui/i18n.ts";
import { Widget } from "../../widget/src/ui/index.tsx";
import { translator } from "../../widget/src/ui/strings.ts";
import { created, demoForms, fakeFetch, json, testHost } from "./support.ts";

const quote = demoForms.quote!;
const t = translator(quote);

function renderForm(config: FormConfig, network = fakeFetch(created), data: Record<string, string> = {}) {
  const test = testHost(network);
  render(<Widget config={config} host={test.host} data={data} control={{}} titleId="lc1-title" />);
  return { ...test, network };
}
/** Clicks the button and lets the form check the answers (they are checked once the checks load). */
async function click(name: string) {
  fireEvent.click(screen.getByRole("button", { name }));
  await new Promise((resolve) => setTimeout(resolve, 0));
}
const next = () => click("Next");
const submit = () => click("Get my quote");
const describedBy = (el: HTMLElement) =>
  (el.getAttribute("aria-describedby") ?? "")
    .split(" ")
    .map((id) => document.getElementById(id)?.textContent)
    .join(" | ");

beforeEach(() => {
  localStorage.clear();
  sessionStorage.clear();
  document.documentElement.lang = "en";
  history.replaceState(null, "", "/quote?utm_campaign=spring");
});
afterEach(cleanup);

describe("every field type, multi-step, conditional fields", () => {
  it("walks the quote form step by step with a progress indicator and sends typed values", async () => {
    const { network } = renderForm(quote, fakeFetch(created), { plan: "growth" });
    expect(screen.getByText("Step 1 of 3: About you")).toBeTruthy();
    const email = screen.getByLabelText(/Work email/) as HTMLInputElement;
    expect(email.autocomplete).toBe("email");
    expect((screen.getByLabelText(/Phone/) as HTMLInputElement).type).toBe("tel");
    expect((screen.getByLabelText(/Company website/) as HTMLInputElement).type).toBe("url");

    // Step 1 checks its own fields only.
    await next();
    expect(email.getAttribute("aria-invalid")).toBe("true");
    expect(describedBy(email)).toBe(t("required"));
    expect(document.activeElement).toBe(email);
    fireEvent.input(email, { target: { value: "ada@example.com" } });
    fireEvent.input(screen.getByLabelText(/Company website/), { target: { value: "example.com" } });
    await next();
    expect(describedBy(screen.getByLabelText(/Company website/))).toBe(t("url"));
    fireEvent.input(screen.getByLabelText(/Company website/), { target: { value: "https://example.com" } });
    await next();

    // Step 2: number with a default, select, radio shown only for enterprise, multi-checkbox.
    expect(screen.getByText("Step 2 of 3: Your team")).toBeTruthy();
    const seats = screen.getByLabelText(/Team size/) as HTMLInputElement;
    expect(seats.value).toBe("10");
    expect(seats.type).toBe("number");
    fireEvent.input(seats, { target: { value: "0" } });
    await next();
    expect(describedBy(seats)).toBe(t("min", 1));
    expect(describedBy(screen.getByLabelText(/Plan/))).toBe(t("option"));
    fireEvent.input(seats, { target: { value: "12" } });
    expect(screen.queryByRole("radio")).toBeNull();
    fireEvent.change(screen.getByLabelText(/Plan/), { target: { value: "enterprise" } });
    fireEvent.click(screen.getByRole("radio", { name: "Yes" }));
    fireEvent.click(screen.getByRole("checkbox", { name: "Stripe" }));
    fireEvent.click(screen.getByRole("checkbox", { name: "A CRM" }));
    await next();

    // Step 3: a ticked-by-default checkbox shows the notes field; pattern; consent never pre-ticked.
    const trial = screen.getByRole("checkbox", { name: /free trial/ }) as HTMLInputElement;
    expect(trial.checked).toBe(true);
    expect(screen.getByLabelText(/Anything else/)).toBeTruthy();
    const consent = screen.getByRole("checkbox", { name: /I agree/ }) as HTMLInputElement;
    expect(consent.checked).toBe(false);
    const code = screen.getByLabelText(/Referral code/);
    expect(describedBy(code)).toContain("Two letters and four digits");
    fireEvent.input(code, { target: { value: "ab12" } });
    await submit();
    expect(describedBy(code)).toContain("Use two capital letters and four digits");
    expect(describedBy(consent)).toBe(t("tick"));
    fireEvent.input(code, { target: { value: "AB1234" } });
    fireEvent.click(consent);
    fireEvent.click(trial); // unticked: notes disappear and are not sent
    expect(screen.queryByLabelText(/Anything else/)).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: "Get my quote" }));

    await screen.findByText(quote.successMessage);
    const sent = LeadSubmissionSchema.parse(network.requests[0]!.body);
    expect(sent.fields).toEqual({
      email: "ada@example.com",
      name: "",
      phone: "",
      homepage: "https://example.com",
      seats: 12,
      plan: "enterprise",
      sso: "yes",
      sources: ["stripe", "crm"],
      trial: false,
      code: "AB1234",
      consent: true,
      source: "quote-page",
      campaign: "spring",
      plan_hint: "growth",
      website: "",
    });
  });

  it("goes back to the step of a field the edge refused, with the edge's message", async () => {
    const network = fakeFetch(
      json(400, {
        error: { code: "validation_failed", message: "x", fields: { email: "Use your work email." } },
      }),
    );
    const single = {
      ...quote,
      fields: quote.fields.map((f) => ({ ...f, step: f.name === "email" ? 0 : 1 })),
      steps: undefined,
    };
    renderForm(single, network);
    fireEvent.input(screen.getByLabelText(/Work email/), { target: { value: "ada@gmail.com" } });
    await next();
    fireEvent.change(screen.getByLabelText(/Plan/), { target: { value: "growth" } });
    fireEvent.click(screen.getByRole("checkbox", { name: /I agree/ }));
    fireEvent.click(screen.getByRole("button", { name: "Get my quote" }));
    const email = await screen.findByLabelText(/Work email/);
    await waitFor(() => expect(describedBy(email)).toBe("Use your work email."));
    expect(document.activeElement).toBe(email);
  });

  it("speaks the form's language, and the config's own strings win", async () => {
    const config = {
      ...demoForms.contact!,
      display: { mode: "inline" as const, strings: { required: "Pflichtfeld!" } },
    };
    const test = testHost(fakeFetch(created));
    render(
      <Widget config={config} host={test.host} data={{}} control={{}} titleId="lc1-title" strings={de} />,
    );
    fireEvent.click(screen.getByRole("button", { name: "Send" }));
    await waitFor(() => expect(describedBy(screen.getByLabelText(/Work email/))).toBe("Pflichtfeld!"));
    expect(describedBy(screen.getByRole("checkbox"))).toBe("Bitte setzen Sie das Häkchen, um fortzufahren.");
  });

  it.each([
    [fr, "Veuillez remplir ce champ."],
    [es, "Rellena este campo."],
    [undefined, "Please fill in this field."],
  ])("has built-in strings for French, Spanish (and English otherwise)", (strings, message) => {
    expect(translator(quote, strings)("required")).toBe(message);
  });

  it("sends the time spent on the form and the fields left empty, for form engagement", async () => {
    const { network } = renderForm(demoForms.contact!);
    const name = screen.getByLabelText(/Name/);
    fireEvent.focus(name);
    fireEvent.blur(name);
    fireEvent.input(screen.getByLabelText(/Work email/), { target: { value: "ada@example.com" } });
    fireEvent.focus(screen.getByLabelText(/Company/));
    fireEvent.input(screen.getByLabelText(/Company/), { target: { value: "Analytical Engines" } });
    fireEvent.blur(screen.getByLabelText(/Company/));
    fireEvent.click(screen.getByRole("checkbox", { name: /I agree/ }));
    fireEvent.input(name, { target: { value: "Ada" } });
    fireEvent.click(screen.getByRole("button", { name: "Send" }));
    await waitFor(() => expect(network.requests).toHaveLength(1));
    const { engagement } = network.requests[0]!.body as { engagement: Record<string, unknown> };
    expect(engagement.abandonedFields).toEqual(["name"]);
    expect(engagement.formTimeMs).toEqual(expect.any(Number));
  });
});
