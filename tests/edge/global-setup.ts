/**
 * Runs in Node before the edge tests: a real webhook receiver on loopback (it verifies signatures
 * with the standardwebhooks library), a Turnstile siteverify stand-in, and a Cloudflare Access
 * certificate endpoint with a locally generated key set. The Worker under test reaches them over TCP.
 */
import type { TestProject } from "vitest/node";
import { startReceiver } from "../../demo-site/dev/receiver.ts";
import { startAccessCerts } from "./access-certs.ts";
import { startSiteverify } from "./siteverify.ts";

// Standard Webhooks secret for the tests: whsec_ + base64 of 24 fixed bytes.
const SECRET = "whsec_dGVzdC1zZWNyZXQtZm9yLWxlYWRjYXAtdGVzdHM=";

export default async function setup(project: TestProject) {
  const receiver = await startReceiver({ secret: SECRET });
  const siteverify = await startSiteverify();
  const access = await startAccessCerts();
  project.provide("receiverUrl", receiver.url);
  project.provide("receiverSecret", SECRET);
  project.provide("siteverifyUrl", siteverify.url);
  project.provide("accessCertsUrl", access.url);
  project.provide("accessPrivateJwk", access.privateJwk);
  return async () => {
    await Promise.all([receiver.close(), siteverify.close(), access.close()]);
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    receiverUrl: string;
    receiverSecret: string;
    siteverifyUrl: string;
    accessCertsUrl: string;
    accessPrivateJwk: string;
  }
}
