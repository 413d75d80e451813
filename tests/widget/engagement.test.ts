import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  engagementSnapshot,
  IDLE_MS,
  startEngagement,
  stopEngagement,
  trackPageView,
  VISIT_GAP_MS,
} from "../../widget/src/engagement.ts";

let clock = 0;
const now = () => clock;
const advance = (ms: number) => {
  clock += ms;
};
const interact = (type = "pointerdown") => document.dispatchEvent(new Event(type));

/** Replaces a getter on `target` (own or inherited) and returns the undo. */
function stub(target: object, key: string, get: () => number): () => void {
  const own = Object.getOwnPropertyDescriptor(target, key);
  Object.defineProperty(target, key, { configurable: true, get });
  return () => {
    if (own) Object.defineProperty(target, key, own);
    else delete (target as Record<string, unknown>)[key];
  };
}

function setVisibility(state: "visible" | "hidden") {
  Object.defineProperty(document, "visibilityState", { configurable: true, get: () => state });
  document.dispatchEvent(new Event("visibilitychange"));
}

beforeEach(() => {
  clock = 1_800_000_000_000;
  localStorage.clear();
  sessionStorage.clear();
  Object.defineProperty(document, "visibilityState", { configurable: true, get: () => "visible" });
});
afterEach(stopEngagement);

describe("engagement", () => {
  it("is all zeros before tracking starts", () => {
    expect(engagementSnapshot()).toEqual({ activeTimeMs: 0, maxScrollPct: 0 });
  });

  it("counts time while the visitor interacts, and stops counting 15 s after the last interaction", () => {
    startEngagement({ now });
    advance(5_000);
    interact("keydown");
    advance(5_000);
    expect(engagementSnapshot().activeTimeMs).toBe(10_000);

    // Walked away: only IDLE_MS after the last interaction count.
    advance(60_000);
    expect(engagementSnapshot().activeTimeMs).toBe(5_000 + IDLE_MS);

    // Back: counting resumes from the new interaction.
    interact("scroll");
    advance(3_000);
    expect(engagementSnapshot().activeTimeMs).toBe(5_000 + IDLE_MS + 3_000);
  });

  it("does not count time while the page is hidden", () => {
    startEngagement({ now });
    advance(2_000);
    setVisibility("hidden");
    advance(10_000);
    interact(); // a hidden page gets no real input; ignore anything that arrives
    advance(10_000);
    expect(engagementSnapshot().activeTimeMs).toBe(2_000);

    setVisibility("visible");
    advance(1_000);
    expect(engagementSnapshot().activeTimeMs).toBe(3_000);
  });

  it("counts page views in the visit, and a new visit after 30 minutes away", () => {
    startEngagement({ now });
    expect(engagementSnapshot()).toMatchObject({ pageViews: 1, visits: 1 });
    stopEngagement();

    advance(60_000); // next page, same visit
    startEngagement({ now });
    expect(engagementSnapshot()).toMatchObject({ pageViews: 2, visits: 1 });
    stopEngagement();

    advance(VISIT_GAP_MS + 1); // back after lunch, same tab
    startEngagement({ now });
    expect(engagementSnapshot()).toMatchObject({ pageViews: 1, visits: 2 });
  });

  it("reports the deepest point of the page seen, in whole percent", async () => {
    // A 4000 px page in a 1000 px window; happy-dom does no layout, so the geometry is stubbed.
    const page = { scrollHeight: 4000, innerHeight: 1000, scrollY: 0 };
    const restore = [
      stub(document.documentElement, "scrollHeight", () => page.scrollHeight),
      stub(window, "innerHeight", () => page.innerHeight),
      stub(window, "scrollY", () => page.scrollY),
    ];
    const scrollTo = async (y: number) => {
      page.scrollY = y;
      document.dispatchEvent(new Event("scroll")); // the page's scroll, as browsers fire it
      await new Promise((resolve) => requestAnimationFrame(resolve));
    };
    try {
      startEngagement({ now });
      expect(engagementSnapshot().maxScrollPct).toBe(25); // the first screen
      await scrollTo(1_333);
      expect(engagementSnapshot().maxScrollPct).toBe(58);
      await scrollTo(0); // scrolling back up does not undo what was read
      expect(engagementSnapshot().maxScrollPct).toBe(58);
      await scrollTo(3_000);
      expect(engagementSnapshot().maxScrollPct).toBe(100);
    } finally {
      for (const undo of restore) undo();
    }
  });

  it("keeps working when storage throws", () => {
    const broken = {
      getItem(): string | null {
        throw new Error("blocked");
      },
      setItem() {
        throw new Error("blocked");
      },
    };
    startEngagement({ now, local: broken, session: broken });
    advance(1_000);
    expect(engagementSnapshot()).toEqual({
      activeTimeMs: 1_000,
      maxScrollPct: expect.any(Number),
      pageViews: 1,
      visits: 1,
      totalPageViews: 1,
      keyPages: {},
    });
  });

  it("counts SPA route changes as page views, in the visit and in total, and remembers key pages by name", () => {
    history.replaceState(null, "", "/start");
    startEngagement({ now, keyPages: { pricing: "/pricing*", docs: "/docs/*" } });
    expect(engagementSnapshot()).toMatchObject({ pageViews: 1, totalPageViews: 1, keyPages: {} });
    history.pushState(null, "", "/pricing?plan=growth");
    trackPageView();
    expect(engagementSnapshot()).toMatchObject({
      pageViews: 2,
      totalPageViews: 2,
      keyPages: { pricing: 1 },
    });
    stopEngagement();

    // Next visit, hours later: the visit's count restarts, the total and key pages stay.
    advance(VISIT_GAP_MS + 1);
    history.replaceState(null, "", "/docs/setup");
    startEngagement({ now, keyPages: { pricing: "/pricing*", docs: "/docs/*" } });
    expect(engagementSnapshot()).toMatchObject({
      pageViews: 1,
      visits: 2,
      totalPageViews: 3,
      keyPages: { pricing: 1, docs: 1 },
    });
  });
});
