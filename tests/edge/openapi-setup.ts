/**
 * Every answer an edge test gets from the Worker is checked against the OpenAPI document the Worker
 * serves (tests/edge/conformance.ts): the tests fetch through `exports.default`, which this wraps. A
 * non-conforming answer fails the test that received it, with what did not match, so the document
 * cannot drift from the edge again.
 */
import { env } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { afterAll, afterEach } from "vitest";
import { type Conformance, check, type OpenApiDoc, prepare } from "./conformance.ts";

const STATE = Symbol.for("leadcap.openapi-conformance");
type State = { problems: string[]; wrapped: boolean };

/**
 * This file runs again for every test file, in the same isolate as the others: `exports.default` is
 * wrapped once, and the answers' problems are kept where every run of it finds them.
 */
const shared = globalThis as { [STATE]?: State };
shared[STATE] ??= { problems: [], wrapped: false };
const state = shared[STATE];
const problems = state.problems;

if (!state.wrapped) {
  state.wrapped = true;
  const worker = exports.default;
  const original = worker.fetch.bind(worker);
  let api: Promise<Conformance> | undefined;
  const conformance = (): Promise<Conformance> => {
    api ??= (async () => {
      const res = await original(new Request("https://edge.test/v1/openapi.json"));
      if (!res.ok) throw new Error(`the OpenAPI document is not served (${res.status}): run npm run openapi`);
      return prepare((await res.json()) as OpenApiDoc);
    })();
    return api;
  };

  worker.fetch = async function conformingFetch(input: RequestInfo | URL, init?: RequestInit) {
    const request = new Request(input, init);
    const response = await original(request.clone());
    const body = await response.clone().text();
    problems.push(...check(await conformance(), request, response, body, env.PUBLIC_PATH));
    return response;
  } as typeof worker.fetch;
}

function report(): void {
  if (problems.length === 0) return;
  const found = problems.splice(0);
  throw new Error(`Answers that do not match the served OpenAPI document:\n${found.join("\n")}`);
}

afterEach(report);
afterAll(report);
