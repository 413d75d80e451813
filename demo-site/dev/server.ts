/**
 * The demo site's static server: serves demo-site/ on loopback the way a customer's web server would,
 * with a strict Content-Security-Policy (no inline script or style) so the widget is always exercised
 * under one. In HTML it replaces `%EDGE_URL%` (the edge origin) and `%DEV_ADMIN_TOKEN%` (local only).
 */
import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
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

export function contentSecurityPolicy(edgeUrl: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' ${edgeUrl}`,
    `connect-src 'self' ${edgeUrl}`,
    "style-src 'self'",
    "img-src 'self' data:",
    "base-uri 'none'",
    `form-action 'self' ${edgeUrl}`,
    "frame-ancestors 'none'",
  ].join("; ");
}

export async function startDemoServer(options: {
  edgeUrl: string;
  adminToken?: string;
  port?: number;
  host?: string;
}): Promise<DemoServer> {
  const server: Server = createServer(async (req, res) => {
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
        body = body
          .toString("utf8")
          .replaceAll("%EDGE_URL%", options.edgeUrl)
          .replaceAll("%DEV_ADMIN_TOKEN%", options.adminToken ?? "");
      }
      res.writeHead(200, {
        "content-type": type,
        "cache-control": "no-store",
        "content-security-policy": contentSecurityPolicy(options.edgeUrl),
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
