/**
 * The loader's parts on their own (widget/src/loader/, widget/src/listen.ts): each attach returns
 * its remover, and the remover leaves the page as it found it. loader.test.ts runs them together.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { engagementSnapshot, stopEngagement } from "../../widget/src/engagement.ts";
import { listen } from "../../widget/src/listen.ts";
import { commands } from "../../widget/src/loader/commands.ts";
import { watchHistory } from "../../widget/src/loader/history.ts";
import { tracking } from "../../widget/src/loader/tracking.ts";
import { OUTBOX_KEY } from "../../widget/src/outbox.ts";
import { allowStorage, storageArea } from "../../widget/src/storage.ts";

afterEach(() => {
  stopEngagement();
  allowStorage(true);
  localStorage.clear();
  sessionStorage.clear();
  history.replaceState(null, "", "/");
  vi.restoreAllMocks();
});

describe("listen", () => {
  it("adds a listener and returns the remover, capture options included", () => {
    const seen: string[] = [];
    const remove = listen(document, "click", (event) => seen.push(event.type), { capture: true });
    document.body.click();
    remove();
    document.body.click();
    expect(seen).toEqual(["click"]);
  });
});

describe("watchHistory", () => {
  it("tells of pushState, replaceState and popstate after the change, and the remover restores the methods", () => {
    const { pushState, replaceState } = history;
    const seen: string[] = [];
    const remove = watchHistory(() => seen.push(location.pathname));
    history.pushState(null, "", "/a");
    history.replaceState(null, "", "/b");
    dispatchEvent(new PopStateEvent("popstate"));
    expect(seen).toEqual(["/a", "/b", "/b"]);

    remove();
    expect(history.pushState).toBe(pushState);
    expect(history.replaceState).toBe(replaceState);
    history.pushState(null, "", "/c");
    dispatchEvent(new PopStateEvent("popstate"));
    expect(seen).toHaveLength(3);
  });

  it("never breaks the page's navigation, and leaves a wrapper the page added after it", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const remove = watchHistory(() => {
      throw new Error("boom");
    });
    const ours = history.pushState;
    const theirs = function (this: History, ...args: Parameters<History["pushState"]>) {
      return ours.apply(this, args);
    };
    history.pushState = theirs;
    expect(() => history.pushState(null, "", "/x")).not.toThrow();
    expect(location.pathname).toBe("/x");
    expect(warn).toHaveBeenCalledWith("[leadcap]", expect.any(Error));

    remove();
    expect(history.pushState).toBe(theirs);
    history.pushState = History.prototype.pushState;
  });
});

describe("commands", () => {
  it("runs the named command with its arguments; anything else is a warning, never an error", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const ran: unknown[][] = [];
    const command = commands(
      {
        open: (...args) => ran.push(args),
        fail: () => {
          throw new Error("boom");
        },
      },
      () => false,
    );
    command("open", "contact", 1);
    expect(ran).toEqual([["contact", 1]]);

    for (const name of ["nope", "toString", "constructor", "__proto__"]) command(name);
    expect(warn.mock.calls.map((call) => call.slice(1))).toEqual([
      ["unknown command", "nope"],
      ["unknown command", "toString"],
      ["unknown command", "constructor"],
      ["unknown command", "__proto__"],
    ]);
    expect(() => command("fail")).not.toThrow();
    expect(warn).toHaveBeenLastCalledWith("[leadcap]", "fail", expect.any(Error));
    const symbol = Symbol("x") as unknown as string;
    expect(() => command(symbol)).not.toThrow();
  });

  it("does nothing once the loader is gone", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const open = vi.fn();
    commands({ open }, () => true)("open", "contact");
    expect(open).not.toHaveBeenCalled();
    expect(warn).not.toHaveBeenCalled();
  });
});

describe("tracking", () => {
  const never = () => false;
  const local = () => storageArea("localStorage");

  it("stores nothing until the site's settings arrive, then tracks when consent mode is off", async () => {
    const tracker = tracking({}, never);
    expect(tracker.on()).toBe(false);
    expect(local()).toBeUndefined();
    await tracker.settle(Promise.resolve({ consentMode: "off" }), Promise.resolve());
    expect(tracker.on()).toBe(true);
    expect(local()).toBeDefined();
    expect(localStorage.getItem("leadcap:first-touch")).toContain("landingPage");
    expect(engagementSnapshot().pageViews).toBe(1);
    tracker.remove();
    expect(engagementSnapshot()).toEqual({ activeTimeMs: 0, maxScrollPct: 0 });
  });

  it("treats unreadable settings as consent mode, and the script tag's data-* override the site's", async () => {
    const unreadable = tracking({}, never);
    await unreadable.settle(Promise.reject(new Error("offline")), Promise.resolve());
    expect(unreadable.on()).toBe(false);

    const required = tracking({ consent: "required" }, never);
    await required.settle(Promise.resolve({ consentMode: "off" }), Promise.resolve());
    expect(required.on()).toBe(false);
    required.consent(true);
    expect(required.on()).toBe(true);

    const gpc = tracking({ gpc: true }, never);
    Object.defineProperty(navigator, "globalPrivacyControl", { value: true, configurable: true });
    try {
      await gpc.settle(Promise.resolve({ consentMode: "off", honorGpc: false }), Promise.resolve());
      expect(gpc.on()).toBe(false);
      expect(local()).toBeUndefined();
    } finally {
      delete (navigator as { globalPrivacyControl?: boolean }).globalPrivacyControl;
    }
  });

  it("drops what tracking stored when consent is withdrawn, and keeps the outbox", async () => {
    const tracker = tracking({}, never);
    await tracker.settle(Promise.resolve({ consentMode: "off" }), Promise.resolve());
    localStorage.setItem(OUTBOX_KEY, "[]");
    localStorage.setItem("other", "page's own");
    expect(localStorage.getItem("leadcap:visits")).not.toBeNull();
    tracker.consent(false);
    expect(tracker.on()).toBe(false);
    expect(Object.keys(localStorage).sort()).toEqual([OUTBOX_KEY, "other"].sort());
    expect(Object.keys(sessionStorage).filter((key) => key.startsWith("leadcap:"))).toEqual([]);
  });

  it("counts route changes made before the settings arrived once tracking starts, and none after it is gone", async () => {
    const tracker = tracking({}, never);
    history.pushState(null, "", "/early");
    tracker.view(location.href);
    await tracker.settle(Promise.resolve({ consentMode: "off" }), Promise.resolve());
    expect(engagementSnapshot().pageViews).toBe(2); // the landing page and /early
    tracker.remove();

    let gone = false;
    const late = tracking({}, () => gone);
    const settings = Promise.resolve({ consentMode: "off" as const });
    gone = true;
    late.remove();
    await late.settle(settings, Promise.resolve());
    expect(engagementSnapshot()).toEqual({ activeTimeMs: 0, maxScrollPct: 0 });
  });
});
