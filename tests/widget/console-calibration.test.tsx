/**
 * Calibration proposals in the console, without a browser: the targets as typed, the report made
 * readable, the diff against the saved scoring, accepting (the saved config with the proposed scoring,
 * as a new version on top of the version it was fitted on, other unsaved edits kept) and rejecting,
 * and the Scoring screen's panel against a stub edge (a proposal, a 422 for too few outcomes).
 */
import { cleanup, fireEvent, render, waitFor } from "@testing-library/preact";
import { afterEach, describe, expect, it } from "vitest";
import {
  formatAuc,
  type Proposal,
  proposalNote,
  ruleRows,
  scoringChanges,
  scoringEdited,
  targetsBody,
  thresholdRows,
} from "../../edge/console/src/calibration.ts";
import { rebaseDraft } from "../../edge/console/src/config-edit.ts";
import { CalibrationPanel } from "../../edge/console/src/screens/calibrate.tsx";
import { sampleInput } from "../../edge/console/src/screens/scoring.tsx";
import { calibrate, calibrationReport } from "../../shared/calibration.ts";
import type { SiteConfig } from "../../shared/config.ts";
import type { ScoringInput } from "../../shared/scoring.ts";
import { ScoringSchema } from "../../shared/scoring-schema.ts";
import { demoSite } from "../../shared/sites/demo.ts";

const site = () => JSON.parse(JSON.stringify(demoSite)) as SiteConfig;

/**
 * A proposal the edge could answer: the demo rules fitted on newsletter leads whose active time decides
 * whether they convert (with a few exceptions both ways), through JSON as the console receives it.
 */
function makeProposal(baseVersion = 3): Proposal {
  const now = "2026-11-01T00:00:00.000Z";
  const inputs: ScoringInput[] = [];
  const outcomes: boolean[] = [];
  for (let i = 0; i < 60; i++) {
    const engaged = i % 2 === 0;
    inputs.push(
      sampleInput(
        {
          form: "newsletter",
          email: `lead${i}@${engaged ? "acme.example" : "gmail.com"}`,
          fields: {},
          activeMinutes: engaged ? 12 : 0.5,
          visits: engaged ? 6 : 1,
          pageViews: engaged ? 8 : 1,
          pricingViews: engaged ? 2 : 0,
          channel: "email",
          downloads: 0,
          webinars: 0,
        },
        site(),
        now,
      ),
    );
    outcomes.push(i % 10 === 0 ? false : i % 10 === 5 ? true : engaged);
  }
  const base = ScoringSchema.parse(site().scoring);
  const result = calibrate(inputs, outcomes, base);
  return JSON.parse(
    JSON.stringify({
      site: "demo",
      baseVersion,
      scoring: result.config,
      report: calibrationReport(result, outcomes),
    }),
  ) as Proposal;
}

describe("a calibration proposal, made readable", () => {
  it("reads the targets as percentages, and refuses what the edge would", () => {
    expect(targetsBody({ hot: "", cold: "" })).toEqual({ body: {}, errors: {} });
    expect(targetsBody({ hot: "85", cold: "4 %" })).toEqual({
      body: { hotConversion: 0.85, coldConversion: 0.04 },
      errors: {},
    });
    expect(targetsBody({ hot: "100", cold: "0" }).errors).toEqual({
      hot: "A percentage above 0 and below 100.",
      cold: "A percentage above 0 and below 100.",
    });
    expect(targetsBody({ hot: "lots", cold: "" }).errors.hot).toBeDefined();
    expect(targetsBody({ hot: "20", cold: "30" }).errors.cold).toBe("Lower than the hot bucket's target.");
  });

  it("notes the version with the outcomes and the AUC, and says n/a when there is none", () => {
    const proposal = makeProposal();
    const auc = proposal.report.rocAuc.scoreOutOfFold;
    expect(auc).toBeGreaterThan(0.7);
    expect(proposalNote(proposal.report)).toBe(`Calibrated from 60 outcomes (AUC ${auc.toFixed(2)})`);
    expect(formatAuc(null)).toBe("n/a");
    expect(formatAuc(Number.NaN)).toBe("n/a");
  });

  it("lists changed rules first, largest change first, and flags rules no lead with an outcome met", () => {
    const { report } = makeProposal();
    const rows = ruleRows(report);
    expect(rows).toHaveLength(report.rules.length);
    const moved = rows.map((r) => Math.abs(r.after - r.before));
    const firstSame = moved.indexOf(0);
    const changed = firstSame < 0 ? moved : moved.slice(0, firstSame);
    expect(changed).toEqual([...changed].sort((a, b) => b - a));
    expect(moved.slice(changed.length).every((m) => m === 0)).toBe(true);
    // Nobody asked for a demo in these outcomes: nothing to learn, the rule keeps its points.
    const demo = rows.find((r) => r.rule === "requested-demo")!;
    expect(demo).toMatchObject({ fired: 0, noData: true, before: 45, after: 45 });
    // Long active time is what converted.
    const active = rows.find((r) => r.rule === "active-10-minutes")!;
    expect(active.noData).toBe(false);
    expect(active.after).toBeGreaterThan(0);
  });

  it("shows thresholds before → after, the schema's defaults when the config leaves them out", () => {
    const { report } = makeProposal();
    const rows = thresholdRows({ rules: [] }, report);
    expect(rows.map((r) => [r.name, r.before, r.after])).toEqual([
      ["warm", 30, report.thresholds.warm],
      ["hot", 60, report.thresholds.hot],
      ["mql", 50, report.thresholds.mql],
    ]);
  });

  it("diffs the proposal against the saved scoring by rule id, as History does", () => {
    const proposal = makeProposal();
    const changes = scoringChanges(site().scoring, proposal.scoring);
    const paths = changes.map((c) => c.path.join(" › "));
    expect(paths).toContain("rules › active-10-minutes › points");
    expect(paths).not.toContain("rules › requested-demo › points");
    expect(paths).toContain("rules › pricing-page › cap");
    expect(paths).toContain("caps › authority");
    // Every rule keeps its place: no reorder, none added or removed.
    expect(paths.some((p) => p.includes("(order)"))).toBe(false);
    expect(changes.filter((c) => c.path[0] === "rules" && c.path.length === 2)).toEqual([]);
    expect(scoringChanges(proposal.scoring, proposal.scoring)).toEqual([]);
  });

  it("knows when the draft has scoring edits the proposal does not include", () => {
    const saved = site();
    expect(scoringEdited(saved, JSON.parse(JSON.stringify(saved)))).toBe(false);
    expect(scoringEdited(saved, { ...saved, name: "Renamed" })).toBe(false);
    expect(scoringEdited(saved, { ...saved, scoring: { ...saved.scoring, hotThreshold: 70 } })).toBe(true);
    expect(scoringEdited(saved, null)).toBe(false);
  });

  it("keeps the draft's other unsaved edits across the accepted save, and drops its scoring edits", () => {
    const oldSaved = site();
    const draft = { ...site(), name: "Renamed", scoring: { ...site().scoring, hotThreshold: 70 } };
    const newSaved = { ...site(), scoring: { ...site().scoring, hotThreshold: 55 } };
    const next = rebaseDraft(oldSaved, draft, newSaved, ["scoring"]);
    expect(next.name).toBe("Renamed");
    expect(next.scoring.hotThreshold).toBe(55);
    // Nothing else edited: the draft is the new saved config, key order and all (not "unsaved").
    expect(JSON.stringify(rebaseDraft(oldSaved, site(), newSaved, ["scoring"]))).toBe(
      JSON.stringify(newSaved),
    );
    // A setting the draft removed stays removed; one it added stays.
    const { spend: _, ...withoutSpend } = { ...site(), spend: [] as SiteConfig["spend"] };
    expect(
      "spend" in
        rebaseDraft<Record<string, unknown>>(
          { ...site(), spend: [] },
          withoutSpend,
          { ...newSaved, spend: [] },
          [],
        ),
    ).toBe(false);
    expect(rebaseDraft(oldSaved, { ...site(), currency: "EUR" }, newSaved, []).currency).toBe("EUR");
  });
});

describe("proposing, accepting and rejecting on the Scoring screen", () => {
  const original = globalThis.fetch;
  afterEach(() => {
    cleanup();
    globalThis.fetch = original;
  });

  /**
   * A stub edge: the demo config at `version`, the calibration answer, and a PUT that stores what it
   * is sent as the next version.
   */
  function stubEdge(calibration: () => Response, version = 3) {
    const calls: { method: string; url: string; body: unknown }[] = [];
    let current = { version, config: site() as unknown };
    globalThis.fetch = (async (url: string, init?: RequestInit) => {
      const method = init?.method ?? "GET";
      const body = init?.body ? JSON.parse(String(init.body)) : undefined;
      calls.push({ method, url, body });
      const answer = () =>
        Response.json({
          site: "demo",
          updatedAt: null,
          source: "store",
          ...current,
        });
      if (url.endsWith("/calibration")) return calibration();
      if (method === "PUT") {
        if (body.baseVersion !== current.version)
          return Response.json({ error: { code: "conflict", message: "saved since" } }, { status: 409 });
        current = { version: current.version + 1, config: body.config };
        return answer();
      }
      return answer();
    }) as typeof fetch;
    return calls;
  }

  async function signedIn() {
    const { signIn } = await import("../../edge/console/src/session.ts");
    const store = await import("../../edge/console/src/site-config.ts");
    signIn({ token: "t", edge: "https://edge.example", site: "demo" });
    store.resetConfig();
    await store.ensureConfig();
    return store;
  }

  it("shows the report, and accepting saves the proposed scoring as a new version with the note", async () => {
    const proposal = makeProposal(3);
    const calls = stubEdge(() => Response.json(proposal));
    const store = await signedIn();
    // An unsaved edit elsewhere: it stays in the draft, unsaved, and is not part of the new version.
    store.edit(["name"], "Renamed site");
    const view = render(<CalibrationPanel />);
    fireEvent.input(view.getByLabelText("Hot leads convert at least (%)"), { target: { value: "75" } });
    fireEvent.click(view.getByRole("button", { name: "Propose from outcomes" }));
    await waitFor(() => expect(view.container.textContent).toContain("Proposal from version 3"));
    const post = calls.find((c) => c.url.endsWith("/v1/admin/sites/demo/calibration"))!;
    expect(post).toMatchObject({ method: "POST", body: { hotConversion: 0.75 } });

    const text = view.container.textContent!;
    expect(text).toContain(`AUC ${formatAuc(proposal.report.rocAuc.scoreOutOfFold)}`);
    expect(text).toContain("Fitted on 60 leads with an outcome (");
    const buckets = [...view.container.querySelectorAll("table.buckets tbody tr")].map(
      (tr) => tr.textContent,
    );
    expect(buckets).toHaveLength(3);
    expect(buckets[0]).toContain("hot");
    const demoRow = [...view.container.querySelectorAll("table.rule-changes tbody tr")].find((tr) =>
      tr.textContent?.includes("requested-demo"),
    )!;
    expect(demoRow.textContent).toContain("no lead");
    expect(demoRow.textContent).toContain("+45");
    expect(demoRow.textContent).not.toContain("→");
    expect(text).toContain(`Hot from 60 → ${proposal.report.thresholds.hot}`);

    const note = view.getByLabelText("Note for the new version") as HTMLInputElement;
    expect(note.value).toBe(proposalNote(proposal.report));
    fireEvent.click(view.getByRole("button", { name: "Accept and save as version 4" }));
    await waitFor(() => expect(store.saved.value).toMatchObject({ answer: { version: 4 } }));
    const put = calls.find((c) => c.method === "PUT")!;
    const sent = put.body as { config: SiteConfig; baseVersion: number; note: string };
    expect(sent.baseVersion).toBe(3);
    expect(sent.note).toBe(proposalNote(proposal.report));
    expect(sent.config.scoring).toEqual(proposal.scoring);
    expect(sent.config.name).toBe(demoSite.name);
    expect(store.draft.value!.name).toBe("Renamed site");
    expect(store.draft.value!.scoring).toEqual(proposal.scoring);
    await waitFor(() => expect(view.container.textContent).not.toContain("Proposal from version"));
  });

  it("rejecting leaves the config as it was", async () => {
    const calls = stubEdge(() => Response.json(makeProposal(3)));
    const store = await signedIn();
    const view = render(<CalibrationPanel />);
    fireEvent.click(view.getByRole("button", { name: "Propose from outcomes" }));
    await waitFor(() => expect(view.container.textContent).toContain("Proposal from version 3"));
    fireEvent.click(view.getByRole("button", { name: "Reject" }));
    await waitFor(() => expect(view.container.textContent).not.toContain("Proposal from version"));
    expect(calls.filter((c) => c.method === "PUT")).toEqual([]);
    expect(store.saved.value).toMatchObject({ answer: { version: 3 } });
    expect(store.dirty.value).toBe(false);
  });

  it("says so when the draft has unsaved scoring edits, and accepts only once told to replace them", async () => {
    const proposal = makeProposal(3);
    const calls = stubEdge(() => Response.json(proposal));
    const store = await signedIn();
    store.edit(["scoring", "hotThreshold"], 71);
    const view = render(<CalibrationPanel />);
    fireEvent.click(view.getByRole("button", { name: "Propose from outcomes" }));
    await waitFor(() =>
      expect(view.container.textContent).toContain("You have unsaved changes to the scoring"),
    );
    const accept = view.getByRole("button", { name: "Accept and save as version 4" }) as HTMLButtonElement;
    expect(accept.disabled).toBe(true);
    fireEvent.click(view.getByLabelText("Replace my unsaved scoring changes"));
    await waitFor(() => expect(accept.disabled).toBe(false));
    fireEvent.click(accept);
    await waitFor(() => expect(calls.filter((c) => c.method === "PUT")).toHaveLength(1));
    await waitFor(() => expect(store.draft.value!.scoring).toEqual(proposal.scoring));
    expect(store.dirty.value).toBe(false);
  });

  it("does not save a proposal fitted on another version than the one loaded", async () => {
    const calls = stubEdge(() => Response.json(makeProposal(2)));
    await signedIn();
    const view = render(<CalibrationPanel />);
    fireEvent.click(view.getByRole("button", { name: "Propose from outcomes" }));
    await waitFor(() =>
      expect(view.container.textContent).toContain("made from version 2; version 3 is loaded"),
    );
    expect(
      (view.getByRole("button", { name: "Accept and save as version 4" }) as HTMLButtonElement).disabled,
    ).toBe(true);
    expect(calls.filter((c) => c.method === "PUT")).toEqual([]);
    fireEvent.click(view.getByRole("button", { name: "Reject" }));
    await waitFor(() => expect(view.container.textContent).not.toContain("Proposal from version"));
  });

  it("shows the edge's 422 for too few outcomes, and says how to get more", async () => {
    const message =
      "Calibration needs at least 10 converted and 10 lost leads; this site has 2 converted and 1 lost.";
    stubEdge(() => Response.json({ error: { code: "unprocessable", message } }, { status: 422 }));
    await signedIn();
    const view = render(<CalibrationPanel />);
    fireEvent.click(view.getByRole("button", { name: "Propose from outcomes" }));
    const alert = await view.findByRole("alert");
    expect(alert.textContent).toContain("Not enough outcomes yet.");
    expect(alert.textContent).toContain(message);
    expect(view.container.textContent).not.toContain("Proposal from version");
  });

  it("does not send targets it cannot", async () => {
    const calls = stubEdge(() => Response.json(makeProposal(3)));
    await signedIn();
    const view = render(<CalibrationPanel />);
    const cold = view.getByLabelText("Cold leads convert at most (%)");
    fireEvent.input(cold, { target: { value: "150" } });
    expect(cold.getAttribute("aria-invalid")).toBe("true");
    fireEvent.click(view.getByRole("button", { name: "Propose from outcomes" }));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(calls.filter((c) => c.url.endsWith("/calibration"))).toEqual([]);
  });
});
