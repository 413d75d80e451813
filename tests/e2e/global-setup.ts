/**
 * Starts the real stack once for the e2e project (widget build, wrangler dev with local D1 and the
 * queue consumer, webhook receiver, demo site) on free loopback ports, with state in a temp dir.
 */
import type { TestProject } from "vitest/node";
import { startStack } from "../../demo-site/dev/stack.ts";
import { startAccessCerts } from "../edge/access-certs.ts";
import { assertChromium } from "./browser.ts";

/** The Cloudflare Access application the stack sits behind in these tests (console-access.test.ts). */
export const ACCESS = { team: "leadcap-e2e.cloudflareaccess.com", aud: "leadcap-e2e-aud" };

export default async function setup(project: TestProject) {
  assertChromium();
  // A stand-in for the team's certificate endpoint, on loopback: the tests sign their own Access JWTs.
  const certs = await startAccessCerts();
  const stack = await startStack({
    vars: { ACCESS_TEAM_DOMAIN: ACCESS.team, ACCESS_AUD: ACCESS.aud, ACCESS_CERTS_URL: certs.url },
  }).catch(async (error: unknown) => {
    await certs.close();
    throw error;
  });
  project.provide("stack", {
    edgeUrl: stack.edgeUrl,
    demoUrl: stack.demoUrl,
    receiverUrl: stack.receiver.url,
    adminToken: stack.adminToken,
    accessPrivateJwk: certs.privateJwk,
  });
  return async () => {
    await stack.stop();
    await certs.close();
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    stack: {
      edgeUrl: string;
      demoUrl: string;
      receiverUrl: string;
      adminToken: string;
      /** Signs Access JWTs the stack accepts (RS256, the certs stand-in's key). */
      accessPrivateJwk: string;
    };
  }
}
