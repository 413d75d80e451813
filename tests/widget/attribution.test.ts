import { beforeEach, describe, expect, it } from "vitest";
import {
  FIRST_TOUCH_KEY,
  FIRST_TOUCH_TTL_MS,
  resolveAttribution,
  touchFromUrl,
} from "../../widget/src/attribution.ts";
import type { KeyValue } from "../../widget/src/storage.ts";

const now = new Date("2026-11-20T10:00:00.000Z");
const later = (ms: number) => new Date(now.getTime() + ms);
const HOUR = 3600_000;

/** A Storage stand-in, so each test controls what the previous "visit" left behind. */
function memory(): KeyValue & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (key) => data.get(key) ?? null,
    setItem: (key, value) => void data.set(key, value),
  };
}

const broken: KeyValue = {
  getItem() {
    throw new DOMException("denied", "SecurityError");
  },
  setItem() {
    throw new DOMException("full", "QuotaExceededError");
  },
};

describe("touchFromUrl", () => {
  it("reads UTM tags, click ids and the referrer of a campaign landing", () => {
    const url =
      "https://site.test/landing?utm_source=newsletter&utm_medium=email&utm_campaign=launch&gclid=abc";
    expect(touchFromUrl(url, "https://news.example/", now)).toEqual({
      utm_source: "newsletter",
      utm_medium: "email",
      utm_campaign: "launch",
      clickIds: { gclid: "abc" },
      referrer: "https://news.example/",
      landingPage: url,
      at: "2026-11-20T10:00:00.000Z",
    });
  });

  it("keeps every known click id and ignores unknown parameters", () => {
    const touch = touchFromUrl(
      "https://site.test/?fbclid=f&msclkid=m&ttclid=t&li_fat_id=l&gbraid=g&wbraid=w&ref=x",
      "",
      now,
    );
    expect(touch.clickIds).toEqual({
      fbclid: "f",
      msclkid: "m",
      ttclid: "t",
      li_fat_id: "l",
      gbraid: "g",
      wbraid: "w",
    });
    expect(touch).not.toHaveProperty("ref");
  });

  it("omits an empty or same-origin referrer, and empty tags", () => {
    expect(touchFromUrl("https://site.test/a?utm_source=", "", now)).toEqual({
      landingPage: "https://site.test/a?utm_source=",
      at: now.toISOString(),
    });
    expect(touchFromUrl("https://site.test/b", "https://site.test/a", now)).not.toHaveProperty("referrer");
  });

  it("cuts values to the lengths the edge accepts", () => {
    const touch = touchFromUrl(
      `https://site.test/?utm_campaign=${"c".repeat(300)}&p=${"x".repeat(3000)}`,
      "",
      now,
    );
    expect(touch.utm_campaign).toHaveLength(200);
    expect(touch.landingPage).toHaveLength(2000);
  });
});

describe("resolveAttribution", () => {
  let local: ReturnType<typeof memory>;
  let session: ReturnType<typeof memory>;
  beforeEach(() => {
    local = memory();
    session = memory();
  });

  it("keeps the first touch across visits while the last touch follows the latest campaign", () => {
    const first = resolveAttribution("https://site.test/?utm_source=newsletter", "", now, local, session);
    expect(first.firstTouch.utm_source).toBe("newsletter");
    expect(first.lastTouch).toEqual(first.firstTouch);

    // A later visit, new tab (new session), from an ad.
    const second = resolveAttribution(
      "https://site.test/pricing?gclid=xyz",
      "",
      later(48 * HOUR),
      local,
      memory(),
    );
    expect(second.firstTouch).toEqual(first.firstTouch);
    expect(second.lastTouch.clickIds).toEqual({ gclid: "xyz" });
    expect(second.lastTouch.landingPage).toBe("https://site.test/pricing?gclid=xyz");
  });

  it("keeps the visit's touch while the visitor moves between pages of the site", () => {
    const landing = resolveAttribution(
      "https://site.test/?utm_campaign=launch",
      "https://news.example/",
      now,
      local,
      session,
    );
    const next = resolveAttribution(
      "https://site.test/contact",
      "https://site.test/",
      later(60_000),
      local,
      session,
    );
    expect(next.lastTouch).toEqual(landing.lastTouch);
    expect(next.lastTouch.utm_campaign).toBe("launch");
  });

  it("starts over after 90 days", () => {
    resolveAttribution("https://site.test/?utm_source=old", "", now, local, session);
    const stored = JSON.parse(local.data.get(FIRST_TOUCH_KEY)!);
    expect(stored.expires).toBe(now.getTime() + FIRST_TOUCH_TTL_MS);

    const after = resolveAttribution(
      "https://site.test/?utm_source=new",
      "",
      later(FIRST_TOUCH_TTL_MS + 1),
      local,
      memory(),
    );
    expect(after.firstTouch.utm_source).toBe("new");
  });

  it("ignores garbage in storage", () => {
    local.data.set(FIRST_TOUCH_KEY, "{not json");
    session.data.set("leadcap:touch", JSON.stringify({ nope: true }));
    const result = resolveAttribution("https://site.test/x", "", now, local, session);
    expect(result.firstTouch.landingPage).toBe("https://site.test/x");
    expect(result.lastTouch.landingPage).toBe("https://site.test/x");
  });

  it("works without storage, or with storage that throws (Safari private mode, blocked storage)", () => {
    for (const area of [undefined, broken]) {
      const result = resolveAttribution("https://site.test/?utm_source=a", "", now, area, area);
      expect(result.firstTouch.utm_source).toBe("a");
      expect(result.lastTouch.utm_source).toBe("a");
    }
  });

  it("uses the browser's localStorage by default", () => {
    localStorage.clear();
    sessionStorage.clear();
    resolveAttribution("https://site.test/?utm_source=default", "", now);
    expect(JSON.parse(localStorage.getItem(FIRST_TOUCH_KEY)!).touch.utm_source).toBe("default");
  });
});
