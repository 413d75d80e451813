/**
 * A webhook receiver on loopback that verifies every delivery with the `standardwebhooks` library
 * (as a customer's endpoint would), logs it, and keeps it in memory. Used by `npm start`, by the edge
 * tests and by the e2e tests.
 *
 *   POST /webhooks/:name   a delivery; 204 when the signature verifies, 400 when it does not
 *   GET  /deliveries       every delivery received, verified or not, as JSON
 *   POST /control          { "failNext": n, "status": 503 } answers the next n deliveries with `status`
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";

export interface ReceivedDelivery {
  id: string;
  timestamp: string;
  signature: string;
  body: string;
  verified: boolean;
  error?: string;
  /** The status this receiver answered with. */
  answered: number;
  receivedAt: string;
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
  let failNext = 0;
  let failStatus = 503;

  const server: Server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? "/", "http://receiver");
      if (req.method === "GET" && url.pathname === "/deliveries") return send(res, 200, deliveries);
      if (req.method === "POST" && url.pathname === "/control") {
        const control = JSON.parse((await readBody(req)) || "{}") as { failNext?: number; status?: number };
        failNext = control.failNext ?? 0;
        failStatus = control.status ?? 503;
        return send(res, 204);
      }
      if (req.method === "POST" && url.pathname.startsWith("/webhooks/")) {
        const body = await readBody(req);
        const headers = {
          "webhook-id": String(req.headers["webhook-id"] ?? ""),
          "webhook-timestamp": String(req.headers["webhook-timestamp"] ?? ""),
          "webhook-signature": String(req.headers["webhook-signature"] ?? ""),
        };
        const delivery: ReceivedDelivery = {
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
        if (delivery.verified && failNext > 0) {
          failNext--;
          delivery.answered = failStatus;
        }
        deliveries.push(delivery);
        if (options.log) logDelivery(delivery);
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
