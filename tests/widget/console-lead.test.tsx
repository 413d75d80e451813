/**
 * The lead page's record of what the edge repaired in each submission: notes in plain words, and
 * "Nothing" for a submission that arrived whole.
 */
import { render } from "@testing-library/preact";
import { describe, expect, it } from "vitest";
import { noteText, RepairNotes } from "../../edge/console/src/screens/lead.tsx";
import type { RepairNote } from "../../shared/lead.ts";

const notes: RepairNote[] = [
  { path: "engagement.abandonedFields", action: "dropped", reason: "expected a list, got text" },
  {
    path: "attribution.lastTouch.clickIds",
    action: "dropped",
    reason: "expected click ids by name, got text",
  },
  {
    path: "submissionId",
    action: "repaired",
    reason: "missing; derived from the answers, so a retry is still recognised",
  },
];

describe("repair notes on the lead page", () => {
  it("says in plain words which part was repaired or dropped, and why", () => {
    expect(notes.map(noteText)).toEqual([
      "Engagement › abandoned fields: dropped, expected a list, got text",
      "Attribution › latest touch › click ids: dropped, expected click ids by name, got text",
      "Submission id: repaired, missing; derived from the answers, so a retry is still recognised",
    ]);
    // A part the console has no name for (a click id's own name) is shown as sent.
    expect(
      noteText({
        path: "attribution.firstTouch.clickIds.gclid",
        action: "repaired",
        reason: "longer than 500 characters; shortened",
      }),
    ).toBe("Attribution › first touch › click ids › gclid: repaired, longer than 500 characters; shortened");
  });

  it("lists a submission's notes, and says Nothing when it arrived whole", () => {
    const { container, rerender } = render(<RepairNotes notes={notes} />);
    expect([...container.querySelectorAll("li")].map((li) => li.textContent)).toEqual(notes.map(noteText));
    rerender(<RepairNotes notes={undefined} />);
    expect(container.textContent).toBe("Nothing");
    expect(container.querySelector("li")).toBeNull();
  });
});
