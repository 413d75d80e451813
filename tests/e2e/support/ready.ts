/**
 * Waits on what the loader says, not on the clock: it fires `leadcap:ready` once the forms present
 * at start have rendered, the named forms' triggers are armed and its listeners are on. The event
 * may fire before a test looks, so it is recorded from the page's first script on.
 */
import type { BrowserContext, Page } from "playwright-core";

/** Records `leadcap:ready` on every page `target` opens from now on (call before `goto`). */
export async function recordReady(target: Page | BrowserContext): Promise<void> {
  await target.addInitScript(() => {
    document.addEventListener("leadcap:ready", () => {
      (window as { __leadcapReady?: boolean }).__leadcapReady = true;
    });
  });
}

/** Resolves once the loader on `page` has fired `leadcap:ready` (see `recordReady`). */
export async function loaderReady(page: Page, timeout = 10_000): Promise<void> {
  await page.waitForFunction(() => (window as { __leadcapReady?: boolean }).__leadcapReady === true, null, {
    timeout,
  });
}

/**
 * Ready, and the page idle since: the loader's work at load is done, the outbox check included (it
 * runs in an idle callback asked for at start, which runs before one asked for now).
 */
export async function loaderSettled(page: Page): Promise<void> {
  await loaderReady(page);
  await page.evaluate(
    () => new Promise<void>((resolve) => requestIdleCallback(() => resolve(), { timeout: 2000 })),
  );
}
