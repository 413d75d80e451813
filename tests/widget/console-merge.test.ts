/**
 * A draft rebased on a version someone saved meanwhile (edge/console/src/config-merge.ts): changes to
 * different parts merge by themselves, list items by identity; only a part both changed differently
 * is a conflict, kept as theirs until the person chooses.
 */
import { describe, expect, it } from "vitest";
import { mergeConfigs } from "../../edge/console/src/config-merge.ts";
import { SiteSchema } from "../../shared/config.ts";
import { demoSite } from "../../shared/sites/demo.ts";

const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
type Site = typeof demoSite;

describe("rebasing a draft on a newer version", () => {
  it("merges changes to different parts without asking, and the result is a valid config", () => {
    const base = copy(demoSite);
    const mine = copy(base);
    mine.name = "Acme (renamed here)";
    const theirs = copy(base);
    theirs.allowedOrigins = [...theirs.allowedOrigins, "https://shop.example.com"];
    const { merged, conflicts } = mergeConfigs<Site>(base, mine, theirs);
    expect(conflicts).toEqual([]);
    expect(merged.name).toBe("Acme (renamed here)");
    expect(merged.allowedOrigins).toContain("https://shop.example.com");
    expect(SiteSchema.safeParse(merged).success).toBe(true);
  });

  it("merges lists with an identity item by item: a form added here, another's field edited there", () => {
    const base = copy(demoSite);
    const mine = copy(base);
    mine.forms.push({ ...copy(base.forms[0]!), id: "added-here", title: "Added here" });
    const theirs = copy(base);
    const contact = theirs.forms.find((f) => f.id === "contact")!;
    const email = contact.fields.find((f) => f.name === "email")!;
    email.label = "Work email (edited there)";
    const { merged, conflicts } = mergeConfigs<Site>(base, mine, theirs);
    expect(conflicts).toEqual([]);
    expect(merged.forms.map((f) => f.id)).toEqual([...base.forms.map((f) => f.id), "added-here"]);
    const mergedEmail = merged.forms.find((f) => f.id === "contact")!.fields.find((f) => f.name === "email")!;
    expect(mergedEmail.label).toBe("Work email (edited there)");
  });

  it("lists a field both changed differently, keeps theirs until the person chooses, then applies the choice", () => {
    const base = copy(demoSite);
    const mine = copy(base);
    mine.forms.find((f) => f.id === "contact")!.title = "Mine";
    mine.name = "Renamed here";
    const theirs = copy(base);
    theirs.forms.find((f) => f.id === "contact")!.title = "Theirs";
    const first = mergeConfigs<Site>(base, mine, theirs);
    expect(first.conflicts).toEqual([
      {
        path: "forms.contact.title",
        base: base.forms.find((f) => f.id === "contact")!.title,
        mine: "Mine",
        theirs: "Theirs",
      },
    ]);
    expect(first.merged.forms.find((f) => f.id === "contact")!.title).toBe("Theirs");
    expect(first.merged.name).toBe("Renamed here");
    const chosen = mergeConfigs<Site>(base, mine, theirs, { "forms.contact.title": "mine" });
    expect(chosen.merged.forms.find((f) => f.id === "contact")!.title).toBe("Mine");
    expect(chosen.merged.name).toBe("Renamed here");
  });

  it("removes what one side removed and the other left alone; removed there but edited here is a conflict", () => {
    const base = copy(demoSite);
    const [first, second] = base.forms.map((f) => f.id) as [string, string];
    const mine = copy(base);
    mine.forms = mine.forms.filter((f) => f.id !== first);
    mine.forms.find((f) => f.id === second)!.title = "Edited here";
    const theirs = copy(base);
    theirs.forms = theirs.forms.filter((f) => f.id !== second);
    const { merged, conflicts } = mergeConfigs<Site>(base, mine, theirs);
    expect(merged.forms.map((f) => f.id)).not.toContain(first);
    expect(conflicts.map((c) => c.path)).toEqual([`forms.${second}`]);
    expect(conflicts[0]!.theirs).toBeUndefined();
    // Kept as theirs (removed) until chosen; choosing mine brings the edited form back.
    expect(merged.forms.map((f) => f.id)).not.toContain(second);
    const kept = mergeConfigs<Site>(base, mine, theirs, { [`forms.${second}`]: "mine" }).merged;
    expect(kept.forms.find((f) => f.id === second)?.title).toBe("Edited here");
  });

  it("treats a list without identities (origins) as one value: both changed it, one conflict", () => {
    const base = copy(demoSite);
    const mine = copy(base);
    mine.allowedOrigins = ["https://mine.example.com"];
    const theirs = copy(base);
    theirs.allowedOrigins = ["https://theirs.example.com"];
    const { conflicts } = mergeConfigs<Site>(base, mine, theirs);
    expect(conflicts.map((c) => c.path)).toEqual(["allowedOrigins"]);
  });
});
