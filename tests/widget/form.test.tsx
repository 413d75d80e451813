import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { FormConfig } from "../../shared/config.ts";
import { LeadSubmissionSchema } from "../../shared/lead.ts";
import { Widget } from "../../widget/src/ui/index.tsx";
import { translator } from "../../widget/src/ui/strings.ts";
import { created, demoForm, ENDPOINT, fakeFetch, json, networkDown, testHost } from "./support.ts";

const t = translator(demoForm);
const MESSAGES = {
  required: t("required"),
  tick: t("tick"),
  email: t("email"),
  tooLong: (n: number) => t("tooLong", n),
};

function renderForm(network: ReturnType<typeof fakeFetch>, config: FormConfig = demoForm) {
  const test = testHost(network);
  render(<Widget config={config} host={test.host} data={{}} control={{}} titleId="lc1-title" />);
  return test;
}

function fillValid() {
  fireEvent.input(screen.getByLabelText(/Work email/), { target: { value: "ada@example.com" } });
  fireEvent.input(screen.getByLabelText(/Name/), { target: { value: "  Ada Lovelace " } });
  fireEvent.input(screen.getByLabelText(/Company/), { target: { value: "Analytical Engines" } });
  fireEvent.click(screen.getByRole("checkbox", { name: /I agree that Leadcap may contact me/ }));
}

/** Clicks Send and lets the form check the answers (they are checked once the checks are loaded). */
async function submit() {
  fireEvent.click(screen.getByRole("button", { name: "Send" }));
  await new Promise((resolve) => setTimeout(resolve, 0));
}

/** The message a field points to with aria-describedby. */
function messageOf(control: HTMLElement): string | null | undefined {
  const id = control.getAttribute("aria-describedby");
  return id ? document.getElementById(id)?.textContent : undefined;
}

beforeEach(() => {
  localStorage.clear();
  sessionStorage.clear();
});
afterEach(cleanup);

describe("Form", () => {
  it("renders the demo contact form with labelled fields, an unticked consent and a hidden honeypot", () => {
    renderForm(fakeFetch());
    expect(screen.getByRole("heading", { name: "Talk to us" })).toBeTruthy();
    expect(screen.getByText(/get back within one business day/)).toBeTruthy();

    const email = screen.getByRole("textbox", { name: /Work email/ }) as HTMLInputElement;
    expect(email.type).toBe("email");
    expect(email.required).toBe(true);
    expect(email.getAttribute("autocomplete")).toBe("email");
    expect(email.placeholder).toBe("you@company.com");
    expect((screen.getByRole("textbox", { name: /Name/ }) as HTMLInputElement).autocomplete).toBe("name");
    expect((screen.getByRole("textbox", { name: /Company/ }) as HTMLInputElement).required).toBe(false);

    const consent = screen.getByRole("checkbox", {
      name: /I agree that Leadcap may contact me about my request/,
    }) as HTMLInputElement;
    expect(consent.checked).toBe(false);

    // Three text boxes: email, name, company. The honeypot is not among them, nor reachable by label.
    expect(screen.getAllByRole("textbox")).toHaveLength(3);
    const honeypot = document.querySelector<HTMLInputElement>('input[name="website"]')!;
    expect(honeypot).toBeTruthy();
    expect(honeypot.getAttribute("aria-hidden")).toBe("true");
    expect(honeypot.tabIndex).toBe(-1);
    expect(honeypot.getAttribute("autocomplete")).toBe("off");
    expect(honeypot.labels?.length ?? 0).toBe(0);
  });

  it("renders config text as text, never as HTML", () => {
    const config = { ...demoForm, title: "<img src=x onerror=alert(1)>Hi" };
    renderForm(fakeFetch(), config);
    expect(screen.getByRole("heading").textContent).toBe("<img src=x onerror=alert(1)>Hi");
    expect(document.querySelector("img")).toBeNull();
  });

  it("shows a message next to each missing required field, focuses the first, and sends nothing", async () => {
    const network = fakeFetch();
    renderForm(network);
    await submit();

    const email = screen.getByRole("textbox", { name: /Work email/ });
    const name = screen.getByRole("textbox", { name: /Name/ });
    const consent = screen.getByRole("checkbox");
    for (const control of [email, name, consent]) expect(control.getAttribute("aria-invalid")).toBe("true");
    expect(messageOf(email)).toBe(MESSAGES.required);
    expect(messageOf(name)).toBe(MESSAGES.required);
    expect(messageOf(consent)).toBe(MESSAGES.tick);
    expect(screen.getByRole("textbox", { name: /Company/ }).getAttribute("aria-invalid")).toBeNull();
    expect(document.activeElement).toBe(email);
    expect(network.fetch).not.toHaveBeenCalled();
  });

  it("says so when the email is not an email, and clears the message once it is fixed", async () => {
    const network = fakeFetch();
    renderForm(network);
    fillValid();
    const email = screen.getByRole("textbox", { name: /Work email/ });
    fireEvent.input(email, { target: { value: "ada@example" } });
    await submit();

    expect(email.getAttribute("aria-invalid")).toBe("true");
    expect(messageOf(email)).toBe(MESSAGES.email);
    expect(document.activeElement).toBe(email);
    expect(network.fetch).not.toHaveBeenCalled();

    fireEvent.input(email, { target: { value: "ada@example.com" } });
    expect(email.getAttribute("aria-invalid")).toBeNull();
    expect(screen.queryByText(MESSAGES.email)).toBeNull();
  });

  it("refuses text longer than the field's maxLength", async () => {
    renderForm(fakeFetch());
    fillValid();
    const name = screen.getByRole("textbox", { name: /Name/ });
    fireEvent.input(name, { target: { value: "x".repeat(201) } });
    await submit();
    expect(messageOf(name)).toBe(MESSAGES.tooLong(200));
  });

  it("keeps every value autofill puts in at once (several fields in one task, no render between)", async () => {
    const network = fakeFetch(created);
    renderForm(network);
    const filled = { email: "ada@example.com", name: "Ada Lovelace", company: "Analytical Engines" };
    for (const [name, value] of Object.entries(filled)) {
      const input = document.querySelector<HTMLInputElement>(`input[name="${name}"]`)!;
      input.value = value;
      input.dispatchEvent(new Event("input", { bubbles: true }));
    }
    fireEvent.click(screen.getByRole("checkbox"));
    await submit();
    await screen.findByRole("status");
    expect(network.requests[0]!.body).toMatchObject({ fields: { ...filled, consent: true } });
  });

  it("sends a submission the edge's schema accepts, then shows the success message", async () => {
    const network = fakeFetch(created);
    const { emitted } = renderForm(network);
    fillValid();
    await submit();

    const status = await screen.findByRole("status");
    expect(status.textContent).toContain(demoForm.successMessage);
    expect(emitted).toEqual([
      ["submit", "contact"],
      ["success", "contact"],
    ]);
    expect(document.activeElement).toBe(status);
    expect(screen.queryByRole("button")).toBeNull();

    expect(network.requests).toHaveLength(1);
    const [request] = network.requests;
    expect(request!.url).toBe(`${ENDPOINT}/v1/answers`);
    expect(request!.init?.method).toBe("POST");
    // A CORS simple request: no preflight before the lead goes out.
    expect(new Headers(request!.init?.headers).get("Content-Type")).toBe("text/plain;charset=UTF-8");

    // The contract test: what the widget really sent parses with the schema the edge validates with.
    const submission = LeadSubmissionSchema.parse(request!.body);
    expect(submission).toMatchObject({
      site: "demo",
      form: "contact",
      fields: {
        email: "ada@example.com",
        name: "Ada Lovelace",
        company: "Analytical Engines",
        consent: true,
        website: "",
      },
      page: { url: location.href },
    });
    expect(submission.attribution.firstTouch.landingPage).toBe(location.href);
    expect(submission.engagement.maxScrollPct).toBeGreaterThanOrEqual(0);
  });

  it("shows the edge's field errors next to the fields", async () => {
    const network = fakeFetch(
      json(400, {
        error: {
          code: "validation_failed",
          message: "Some fields are not valid.",
          fields: { email: "Use your work email address." },
        },
      }),
    );
    renderForm(network);
    fillValid();
    await submit();

    const email = screen.getByRole("textbox", { name: /Work email/ });
    await waitFor(() => expect(email.getAttribute("aria-invalid")).toBe("true"));
    expect(messageOf(email)).toBe("Use your work email address.");
    expect(document.activeElement).toBe(email);
    expect(screen.queryByRole("alert")).toBeNull();
    // Nothing the visitor typed is lost.
    expect((screen.getByRole("textbox", { name: /Name/ }) as HTMLInputElement).value).toBe("  Ada Lovelace ");
  });

  it.each([
    // The edge answered: the visitor's connection is fine, the site cannot take it yet.
    ["a 503", json(503, { error: { code: "unavailable", message: "Try again." } }), "held"],
    [
      "a 403 for an origin the site has not allowed yet",
      json(403, {
        error: { code: "origin_not_allowed", message: "This origin may not post for this site." },
      }),
      "held",
    ],
    ["a network error", networkDown, "queued"],
  ] as const)(
    "after %s, says in plain words that the lead is saved, retries by itself with the same id, then confirms",
    async (_, failure, said) => {
      const network = fakeFetch(failure, created);
      const { outbox } = renderForm(network);
      fillValid();
      await submit();

      const saved = await screen.findByRole("status");
      expect(saved.textContent).toContain(t(said));
      expect(saved.textContent).not.toMatch(/origin|Try again/);
      expect(outbox.pending()).toBe(1);
      // The outbox retries after its backoff (about a second), without the visitor doing anything.
      await waitFor(() => expect(screen.getByRole("status").textContent).toContain(demoForm.successMessage), {
        timeout: 3000,
      });
      const [first, retry] = network.requests.map((request) => request.body as { submissionId: string });
      expect(retry!.submissionId).toBe(first!.submissionId);
      expect(first!.submissionId).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
      expect(outbox.pending()).toBe(0);
    },
  );

  it("says in plain words that the edge refused it without fields (4xx), never its technical message, and never resends it", async () => {
    const network = fakeFetch(
      json(400, {
        error: { code: "invalid_request", message: "The submission does not have the expected shape." },
      }),
    );
    const { outbox } = renderForm(network);
    fillValid();
    await submit();
    expect((await screen.findByRole("alert")).textContent).toBe(t("refused"));
    expect(outbox.pending()).toBe(0);
    expect(network.requests).toHaveLength(1);
  });

  it("disables the form while sending", async () => {
    let answer!: (response: Response) => void;
    const network = fakeFetch(() => new Promise<Response>((resolve) => (answer = resolve)));
    renderForm(network);
    fillValid();
    await submit();

    const fieldset = document.querySelector("fieldset")!;
    await waitFor(() => expect(fieldset.disabled).toBe(true));
    answer(created());
    await screen.findByRole("status");
  });

  it("uses a new submission id for the next lead after a success", async () => {
    const network = fakeFetch(created, created);
    renderForm(network);
    fillValid();
    await submit();
    await screen.findByRole("status");
    cleanup();

    renderForm(network);
    fillValid();
    await submit();
    await screen.findByRole("status");
    const [a, b] = network.requests.map((request) => request.body as { submissionId: string });
    expect(a!.submissionId).not.toBe(b!.submissionId);
  });
});
