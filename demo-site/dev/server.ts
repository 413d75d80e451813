/**
 * The demo site's static server: serves demo-site/ on loopback the way a customer's web server would,
 * with a strict Content-Security-Policy (no inline script or style) so the widget is always exercised
 * under one. In HTML it replaces `%EDGE_URL%` (the edge origin).
 * It also forwards two path prefixes to the edge, to try serving Leadcap first-party (see `forward`).
 */
import { readFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(fileURLToPath(new URL("..", import.meta.url)));

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json",
};

export interface DemoServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** The page's CSP; without an edge origin, one that allows nothing but the page's own origin. */
export function contentSecurityPolicy(edgeUrl?: string): string {
  const self = edgeUrl ? `'self' ${edgeUrl}` : "'self'";
  return [
    "default-src 'self'",
    `script-src ${self}`,
    `connect-src ${self}`,
    "style-src 'self'",
    "img-src 'self' data:",
    "base-uri 'none'",
    `form-action ${self}`,
    "frame-ancestors 'none'",
  ].join("; ");
}

/**
 * Pages that embed the widget first-party (examples/first-party*.html) get a CSP that does not name
 * the edge: a request of theirs that went to the edge's origin would be a violation.
 */
const FIRST_PARTY_PAGES = "/examples/first-party";

/**
 * A first-party forwarder, for local runs only, in the two layouts README "Serve it first-party"
 * describes. `/lc/*` goes to the edge with the prefix kept: a Workers route on `example.com/lc/*`,
 * with the edge run with PUBLIC_PATH=/lc (stack.ts). `/proxy/*` goes with the prefix stripped: a
 * reverse proxy (`location /proxy/ { proxy_pass EDGE/; }`). Method, headers (Origin, Content-Type,
 * If-None-Match …), body, status and headers go through as they are, redirects too (the edge's are
 * relative, so the browser stays under the prefix). Buffered, not streamed: widget files and API
 * answers are small.
 */
const FORWARDS: readonly { prefix: string; keep: boolean }[] = [
  { prefix: "/lc/", keep: true },
  { prefix: "/proxy/", keep: false },
];

/** Connection-level headers a proxy does not pass on (RFC 9110 §7.6.1), and what fetch recomputes. */
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "host",
  "content-length",
]);

async function forward(
  req: IncomingMessage,
  res: ServerResponse,
  edgeUrl: string,
  target: string,
): Promise<void> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || HOP_BY_HOP.has(name)) continue;
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
  }
  const method = req.method ?? "GET";
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  let answer: Response;
  try {
    answer = await fetch(`${edgeUrl}${target}`, {
      method,
      headers,
      body: method === "GET" || method === "HEAD" ? undefined : Buffer.concat(chunks),
      redirect: "manual",
    });
  } catch {
    res.writeHead(502, { "content-type": "text/plain" }).end("edge unreachable");
    return;
  }
  // fetch has decoded the body: its encoding and length no longer describe what is sent on.
  const out: Record<string, string> = {};
  answer.headers.forEach((value, name) => {
    if (!HOP_BY_HOP.has(name) && name !== "content-encoding") out[name] = value;
  });
  res.writeHead(answer.status, out);
  res.end(Buffer.from(await answer.arrayBuffer()));
}

export async function startDemoServer(options: {
  edgeUrl: string;
  port?: number;
  host?: string;
}): Promise<DemoServer> {
  const server: Server = createServer(async (req, res) => {
    const raw = req.url ?? "/";
    const through = FORWARDS.find(({ prefix }) => raw.startsWith(prefix));
    if (through) {
      const target = through.keep ? raw : raw.slice(through.prefix.length - 1);
      await forward(req, res, options.edgeUrl, target).catch(() => res.destroy());
      return;
    }
    try {
      const path = decodeURIComponent(new URL(req.url ?? "/", "http://demo").pathname);
      const relative = normalize(path.endsWith("/") ? `${path}index.html` : path).replace(/^([/\\])+/, "");
      const file = join(ROOT, relative);
      // Never serve outside demo-site/, nor the dev tooling itself.
      if (!file.startsWith(`${ROOT}/`) || relative.startsWith("dev/")) {
        res.writeHead(404).end("not found");
        return;
      }
      const type = TYPES[extname(file)] ?? "application/octet-stream";
      let body: Buffer | string = await readFile(file);
      if (type.startsWith("text/html")) {
        body = body.toString("utf8").replaceAll("%EDGE_URL%", options.edgeUrl);
      }
      res.writeHead(200, {
        "content-type": type,
        "cache-control": "no-store",
        "content-security-policy": contentSecurityPolicy(
          path.startsWith(FIRST_PARTY_PAGES) ? undefined : options.edgeUrl,
        ),
        "x-content-type-options": "nosniff",
      });
      res.end(body);
    } catch {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
    }
  });
  await new Promise<void>((done, fail) => {
    server.once("error", fail);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => done());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? "127.0.0.1"}:${port}`,
    port,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
