/**
 * A webhook receiver on loopback that verifies every delivery with the `standardwebhooks` library
 * (as a customer's endpoint would), logs it, and keeps it in memory. Used by `npm start`, by the edge
 * tests and by the e2e tests.
 *
 *   POST /webhooks/:name   a delivery; 204 when the signature verifies, 400 when it does not
 *   GET  /deliveries       every delivery received, verified or not, as JSON (`?name=` for one endpoint)
 *   POST /control          how to fail the next deliveries (verified ones only), for failure tests:
 *     { "failNext": n, "status": 503 }      answer the next n with `status` (the original API)
 *     { "name": "a", … }                     only for POST /webhooks/a (else every endpoint)
 *     { "mode": "status", "status": 429, "retryAfter": 2 }   with a Retry-After header
 *     { "mode": "hang" }                     never answer (until the client gives up)
 *     { "mode": "reset" }                    destroy the connection (ECONNRESET at the client)
 *     { "mode": "status", "status": 410 }    Gone: the sender should disable the endpoint
 *     { "count": n }                         at most n times (default: failNext, else unlimited)
 *     { "rate": 0.5 }                        fail each delivery with this probability (default 1)
 *     { "forMs": 20000 }                     only for this long from now
 *     { "clear": true }                      back to answering 204 (for `name`, or all)
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";

export interface ReceivedDelivery {
  /** The endpoint: POST /webhooks/:name. */
  name: string;
  id: string;
  timestamp: string;
  signature: string;
  body: string;
  verified: boolean;
  error?: string;
  /** Every request header, lower-case names. */
  headers: Record<string, string>;
  /** The status this receiver answered with; 0: it reset the connection, -1: it never answered. */
  answered: number;
  receivedAt: string;
}

export type FailureMode = "status" | "hang" | "reset";

export interface Control {
  name?: string;
  failNext?: number;
  status?: number;
  mode?: FailureMode;
  retryAfter?: number;
  count?: number;
  rate?: number;
  forMs?: number;
  clear?: boolean;
}

interface FailureRule {
  mode: FailureMode;
  status: number;
  retryAfter?: number;
  remaining: number;
  rate: number;
  until: number;
}

export interface Receiver {
  url: string;
  port: number;
  deliveries: ReceivedDelivery[];
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function send(res: ServerResponse, status: number, body?: unknown) {
  res.writeHead(status, body === undefined ? {} : { "content-type": "application/json" });
  res.end(body === undefined ? undefined : JSON.stringify(body));
}

export async function startReceiver(options: {
  secret: string;
  port?: number;
  host?: string;
  log?: boolean;
}): Promise<Receiver> {
  const webhook = new Webhook(options.secret);
  const deliveries: ReceivedDelivery[] = [];
  // Failure rules by endpoint name ("*": every endpoint); a named rule wins over "*".
  const rules = new Map<string, FailureRule>();

  /** The rule that fails this delivery, if any (and counts it). */
  function failureFor(name: string): FailureRule | undefined {
    for (const key of [name, "*"]) {
      const rule = rules.get(key);
      if (!rule) continue;
      if (rule.remaining <= 0 || Date.now() > rule.until) {
        rules.delete(key);
        continue;
      }
      if (Math.random() >= rule.rate) return undefined;
      rule.remaining--;
      return rule;
    }
    return undefined;
  }

  const server: Server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? "/", "http://receiver");
      if (req.method === "GET" && url.pathname === "/deliveries") {
        const name = url.searchParams.get("name");
        return send(res, 200, name ? deliveries.filter((d) => d.name === name) : deliveries);
      }
      if (req.method === "POST" && url.pathname === "/control") {
        const control = JSON.parse((await readBody(req)) || "{}") as Control;
        const key = control.name ?? "*";
        if (control.clear) {
          if (control.name) rules.delete(key);
          else rules.clear();
          return send(res, 204);
        }
        const count = control.count ?? control.failNext ?? (control.mode ? Number.POSITIVE_INFINITY : 0);
        rules.set(key, {
          mode: control.mode ?? "status",
          status: control.status ?? 503,
          ...(control.retryAfter !== undefined ? { retryAfter: control.retryAfter } : {}),
          remaining: count,
          rate: control.rate ?? 1,
          until: control.forMs !== undefined ? Date.now() + control.forMs : Number.POSITIVE_INFINITY,
        });
        return send(res, 204);
      }
      if (req.method === "POST" && url.pathname.startsWith("/webhooks/")) {
        const body = await readBody(req);
        const headers = {
          "webhook-id": String(req.headers["webhook-id"] ?? ""),
          "webhook-timestamp": String(req.headers["webhook-timestamp"] ?? ""),
          "webhook-signature": String(req.headers["webhook-signature"] ?? ""),
        };
        const name = decodeURIComponent(url.pathname.slice("/webhooks/".length));
        const delivery: ReceivedDelivery = {
          name,
          headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])),
          id: headers["webhook-id"],
          timestamp: headers["webhook-timestamp"],
          signature: headers["webhook-signature"],
          body,
          verified: false,
          answered: 204,
          receivedAt: new Date().toISOString(),
        };
        try {
          webhook.verify(body, headers);
          delivery.verified = true;
        } catch (error) {
          delivery.error = error instanceof Error ? error.message : String(error);
          delivery.answered = 400;
        }
        const failure = delivery.verified ? failureFor(name) : undefined;
        if (failure?.mode === "reset") {
          delivery.answered = 0;
          deliveries.push(delivery);
          req.socket.destroy();
          return;
        }
        if (failure?.mode === "hang") {
          // Never answer: the sender's timeout is what ends it (or close() does).
          delivery.answered = -1;
          deliveries.push(delivery);
          return;
        }
        if (failure) delivery.answered = failure.status;
        deliveries.push(delivery);
        if (options.log) logDelivery(delivery);
        if (failure?.retryAfter !== undefined) res.setHeader("retry-after", String(failure.retryAfter));
        return send(res, delivery.answered);
      }
      send(res, 404, { error: "not found" });
    } catch (error) {
      send(res, 500, { error: String(error) });
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? "127.0.0.1"}:${port}`,
    port,
    deliveries,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function logDelivery(d: ReceivedDelivery) {
  if (!d.verified) {
    console.log(`[receiver] REJECTED ${d.id}: ${d.error}`);
    return;
  }
  try {
    const event = JSON.parse(d.body) as {
      type: string;
      data: { email: string; temperature: string; score: number; lastTouch?: { utm_source?: string } };
    };
    const source = event.data.lastTouch?.utm_source ?? "direct";
    console.log(
      `[receiver] ✓ ${event.type} ${event.data.email} — ${event.data.temperature} (${event.data.score}), source ${source}, webhook-id ${d.id}` +
        (d.answered >= 300 ? ` (answered ${d.answered} on purpose)` : ""),
    );
  } catch {
    console.log(`[receiver] ✓ ${d.id} (body is not JSON)`);
  }
}
