/**
 * Runs in Node before the edge tests: a real webhook receiver on loopback (it verifies signatures
 * with the standardwebhooks library). The Worker under test posts deliveries to it over TCP.
 */
import type { TestProject } from "vitest/node";
import { startReceiver } from "../../demo-site/dev/receiver.ts";

// Standard Webhooks secret for the tests: whsec_ + base64 of 24 fixed bytes.
const SECRET = "whsec_dGVzdC1zZWNyZXQtZm9yLWxlYWRjYXAtdGVzdHM=";

export default async function setup(project: TestProject) {
  const receiver = await startReceiver({ secret: SECRET });
  project.provide("receiverUrl", receiver.url);
  project.provide("receiverSecret", SECRET);
  return () => receiver.close();
}

declare module "vitest" {
  export interface ProvidedContext {
    receiverUrl: string;
    receiverSecret: string;
  }
}
