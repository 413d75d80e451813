/**
 * Runs in Node before the edge tests: a real webhook receiver on loopback (it verifies signatures
 * with the standardwebhooks library), and a Turnstile siteverify stand-in. The Worker under test
 * reaches both over TCP.
 */
import type { TestProject } from "vitest/node";
import { startReceiver } from "../../demo-site/dev/receiver.ts";
import { startSiteverify } from "./siteverify.ts";

// Standard Webhooks secret for the tests: whsec_ + base64 of 24 fixed bytes.
const SECRET = "whsec_dGVzdC1zZWNyZXQtZm9yLWxlYWRjYXAtdGVzdHM=";

export default async function setup(project: TestProject) {
  const receiver = await startReceiver({ secret: SECRET });
  const siteverify = await startSiteverify();
  project.provide("receiverUrl", receiver.url);
  project.provide("receiverSecret", SECRET);
  project.provide("siteverifyUrl", siteverify.url);
  return async () => {
    await Promise.all([receiver.close(), siteverify.close()]);
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    receiverUrl: string;
    receiverSecret: string;
    siteverifyUrl: string;
  }
}
