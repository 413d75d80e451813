/**
 * The console's one condition editor (ui/condition.tsx), bound to a real config draft: the value
 * input follows the operator (none for `missing`, a list for `in`, a pair for `between`), what it
 * writes is what the site schema accepts, and a regular expression that does not compile is shown
 * as an error before saving.
 */
import { act, cleanup, fireEvent, render } from "@testing-library/preact";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { getAt, type Path } from "../../edge/console/src/config-edit.ts";
import {
  acceptAnswer,
  draft,
  errors,
  resetConfig,
  validate,
  view,
} from "../../edge/console/src/site-config.ts";
import {
  ConditionList,
  type DraftCondition,
  SCORING_SIGNALS,
  withOperator,
} from "../../edge/console/src/ui/condition.tsx";
import { CHANNEL_SIGNALS } from "../../shared/channels.ts";
import { type SiteConfig, SiteSchema } from "../../shared/config.ts";
import { demoSite } from "../../shared/sites/demo.ts";

const RULE: Path = ["scoring", "rules", 0, "when"];

/** A list of conditions at `path`, re-rendered from the draft as the screens do. */
function Conditions({ path, min, signalList }: { path: Path; min?: number; signalList?: string }) {
  const conditions = (getAt(view.value, path) ?? []) as DraftCondition[];
  return (
    <ConditionList
      path={path}
      conditions={conditions}
      signals={path[0] === "channels" ? CHANNEL_SIGNALS.map((s) => [s, s] as const) : SCORING_SIGNALS}
      signalList={signalList}
      name={(i) => `Condition ${i + 1}`}
      removeLabel={(i) => `Remove condition ${i + 1}`}
      min={min}
      fresh={() => ({ signal: "engagement.visits", op: "gte", value: 2 })}
    />
  );
}

const condition = (path: Path, i = 0) => getAt(draft.value, [...path, i]) as DraftCondition;
const accepted = () => SiteSchema.safeParse(draft.value).success;
const choose = (view: ReturnType<typeof render>, op: string) =>
  fireEvent.change(view.getByLabelText("Test"), { target: { value: op } });
const type = (input: HTMLElement, text: string) => fireEvent.input(input, { target: { value: text } });

beforeEach(() => {
  const config = JSON.parse(JSON.stringify(demoSite)) as SiteConfig;
  // One condition in the first rule, so "Test" names one select.
  config.scoring.rules[0]!.when = [{ signal: "fields.role", op: "contains", value: "head" }];
  acceptAnswer({ site: "demo", version: 1, updatedAt: null, source: "store", config });
});
afterEach(() => {
  cleanup();
  resetConfig();
});

describe("the condition editor", () => {
  it("drops the value when switched to missing, and the site schema accepts the result", () => {
    const view = render(<Conditions path={RULE} signalList="score-signals" />);
    expect(view.getByLabelText("Condition 1: signal")).toBeTruthy();
    expect((view.getByLabelText("Value") as HTMLInputElement).value).toBe("head");
    choose(view, "missing");
    expect(condition(RULE)).toEqual({ signal: "fields.role", op: "missing" });
    expect("value" in condition(RULE)).toBe(false);
    // No value input to type into.
    expect(view.queryByLabelText("Value")).toBeNull();
    expect(accepted()).toBe(true);
    // exists drops it too (a leftover "head" would be refused).
    choose(view, "exists");
    expect(condition(RULE)).toEqual({ signal: "fields.role", op: "exists" });
    expect(accepted()).toBe(true);
  });

  it("writes a list for in: typed comma-separated, numbers as numbers", () => {
    const view = render(<Conditions path={RULE} signalList="score-signals" />);
    choose(view, "in");
    // The text value carries over as a one-item list.
    expect(condition(RULE).value).toEqual(["head"]);
    type(view.getByLabelText("Values (comma-separated)"), "vp, head, 3");
    expect(condition(RULE)).toEqual({ signal: "fields.role", op: "in", value: ["vp", "head", 3] });
    expect(accepted()).toBe(true);
    // contains takes the list as texts, any may match.
    choose(view, "contains");
    expect(condition(RULE).value).toEqual(["vp", "head", "3"]);
    expect(accepted()).toBe(true);
  });

  it("writes a pair for between from two number inputs", () => {
    const view = render(<Conditions path={RULE} signalList="score-signals" />);
    choose(view, "between");
    // Text cannot be a range: it starts empty, which the schema refuses until both ends are there.
    expect(condition(RULE)).toEqual({ signal: "fields.role", op: "between" });
    type(view.getByLabelText("From"), "10");
    expect(accepted()).toBe(false);
    type(view.getByLabelText("Up to (not included)"), "50");
    expect(condition(RULE)).toEqual({ signal: "fields.role", op: "between", value: [10, 50] });
    expect(accepted()).toBe(true);
    // A number operator takes a number input; the pair does not carry over to one number.
    choose(view, "gte");
    expect(view.getByLabelText("Value").getAttribute("inputmode")).toBe("decimal");
    type(view.getByLabelText("Value"), "120000");
    expect(condition(RULE)).toEqual({ signal: "fields.role", op: "gte", value: 120000 });
    expect(accepted()).toBe(true);
  });

  it("shows a regular expression that does not compile as an error before saving", () => {
    const view = render(<Conditions path={RULE} signalList="score-signals" />);
    choose(view, "matches");
    const input = view.getByLabelText("Value") as HTMLInputElement;
    expect(input.getAttribute("aria-invalid")).toBeNull();
    type(input, "^(vp|head");
    expect(errors.value).toEqual({}); // Nothing saved yet: the editor itself says so.
    expect(input.getAttribute("aria-invalid")).toBe("true");
    const message = document.getElementById(input.getAttribute("aria-describedby")!)!;
    expect(message.textContent).toMatch(/^Not a valid regular expression/);
    expect(accepted()).toBe(false);
    type(input, "^(vp|head)");
    expect(input.getAttribute("aria-invalid")).toBeNull();
    expect(view.container.querySelector(".field-error")).toBeNull();
    expect(condition(RULE).value).toBe("^(vp|head)");
    expect(accepted()).toBe(true);
  });

  it("shows the schema's message for a condition beside its value after a refused save", () => {
    const view = render(<Conditions path={RULE} signalList="score-signals" />);
    choose(view, "between");
    act(() => {
      errors.value = validate(draft.value!);
    });
    const key = "scoring.rules.0.when.0";
    expect(errors.value[key]).toBeTruthy();
    expect(view.container.querySelector(`#cfg-scoring-rules-0-when-0-error`)!.textContent).toBe(
      errors.value[key],
    );
  });

  it("offers only the given signals as a choice, and every operator of the language", () => {
    const view = render(<Conditions path={["channels", 0, "when"]} />);
    const signal = view.getAllByLabelText(/Condition \d: signal/)[0] as HTMLSelectElement;
    expect(signal.tagName).toBe("SELECT");
    expect([...signal.options].map((o) => o.value)).toEqual([...CHANNEL_SIGNALS]);
    const ops = view.getAllByLabelText("Test")[0] as HTMLSelectElement;
    expect([...ops.options].map((o) => o.textContent)).toContain("is absent");
    expect(ops.options.length).toBe(13);
  });

  it("removes an optional list once its last condition goes, and keeps a required one's last", () => {
    const pql: Path = ["scoring", "pqlWhen"];
    const view = render(<Conditions path={pql} min={0} signalList="score-signals" />);
    fireEvent.click(view.getByRole("button", { name: "Add condition" }));
    expect(getAt(draft.value, pql)).toEqual([{ signal: "engagement.visits", op: "gte", value: 2 }]);
    expect(accepted()).toBe(true);
    fireEvent.click(view.getByRole("button", { name: "Remove condition 1" }));
    // pqlWhen may not be empty: absent instead.
    expect(getAt(draft.value, ["scoring"])).not.toHaveProperty("pqlWhen");
    expect(accepted()).toBe(true);
    cleanup();
    const rule = render(<Conditions path={RULE} signalList="score-signals" />);
    expect((rule.getByRole("button", { name: "Remove condition 1" }) as HTMLButtonElement).disabled).toBe(
      true,
    );
  });
});

describe("withOperator", () => {
  it("carries the value over as far as the new operator takes it", () => {
    const c: DraftCondition = { signal: "fields.role", op: "in", value: ["vp", "head"] };
    expect(withOperator(c, "notIn")).toEqual({ ...c, op: "notIn" });
    expect(withOperator(c, "eq")).toEqual({ signal: "fields.role", op: "eq", value: "vp, head" });
    expect(withOperator(c, "missing")).toEqual({ signal: "fields.role", op: "missing" });
    expect(withOperator({ signal: "score", op: "in", value: [10, 50] }, "between")).toEqual({
      signal: "score",
      op: "between",
      value: [10, 50],
    });
    expect(withOperator({ signal: "score", op: "eq", value: "x" }, "gt")).toEqual({
      signal: "score",
      op: "gt",
      value: "x",
    });
    expect(withOperator({ signal: "s", op: "eq", value: "^a b" }, "matches").value).toBe("^a b");
  });
});
