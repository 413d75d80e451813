/**
 * Starts the real stack once for the e2e project (widget build, wrangler dev with local D1 and the
 * queue consumer, webhook receiver, demo site) on free loopback ports, with state in a temp dir.
 */
import type { TestProject } from "vitest/node";
import { startStack } from "../../demo-site/dev/stack.ts";
import { assertChromium } from "./browser.ts";

export default async function setup(project: TestProject) {
  assertChromium();
  const stack = await startStack();
  project.provide("stack", {
    edgeUrl: stack.edgeUrl,
    demoUrl: stack.demoUrl,
    receiverUrl: stack.receiver.url,
    adminToken: stack.adminToken,
  });
  return async () => {
    await stack.stop();
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    stack: { edgeUrl: string; demoUrl: string; receiverUrl: string; adminToken: string };
  }
}
