/** The machine's Chromium (found or installed by tests/tools/machine.ts) driven by playwright-core. */
import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";
import { findChromium } from "../tools/machine.ts";

export const CHROMIUM = findChromium() ?? "/usr/bin/chromium";

export function assertChromium(): void {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium was not found. \`npm test\` installs it (tests/tools/machine.ts); or install it yourself ` +
        "(`sudo apt-get install -y chromium`, `brew install --cask chromium`) or set CHROMIUM_PATH to a Chromium/Chrome binary.",
    );
  }
}

export async function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  assertChromium();
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
      ...extraArgs,
    ],
  });
}
