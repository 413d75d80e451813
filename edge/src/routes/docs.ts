/**
 * The API's own description: /v1/openapi.json and /v1/docs, a readable reference page rendered from
 * the same document (no external script or stylesheet). The document is generated from the shared
 * zod schemas at build time (`npm run build`) into the Worker's static assets, and read from there.
 */
import type { Context } from "hono";
import { Hono } from "hono/tiny";
import type { AppEnv } from "../env.ts";
import { ApiError } from "../errors.ts";

export const docs = new Hono<AppEnv>();

async function document(c: Context<AppEnv>): Promise<Record<string, unknown>> {
  const res = await c.env.ASSETS?.fetch(new Request(new URL("/openapi.json", c.req.url)));
  if (!res?.ok) throw new ApiError("unavailable", "The API document has not been built (npm run build).");
  return (await res.json()) as Record<string, unknown>;
}

docs.get("/openapi.json", async (c) => {
  const doc = await document(c);
  c.header("Access-Control-Allow-Origin", "*");
  c.header("Cache-Control", "public, max-age=300");
  return c.json({ ...doc, servers: [{ url: new URL(c.req.url).origin }] });
});

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]!,
  );

type Operation = {
  summary?: string;
  description?: string;
  security?: unknown[];
  parameters?: { name: string; in: string; required?: boolean; description?: string }[];
  requestBody?: { content: Record<string, { schema?: { $ref?: string } }> };
  responses: Record<
    string,
    { description: string; content?: Record<string, { schema?: { $ref?: string } }> }
  >;
};

/** `application/json → <a>Lead</a>, text/html`: the media types, with a link to each named schema. */
const media = (content: Record<string, { schema?: { $ref?: string } }>) =>
  Object.entries(content)
    .map(([type, m]) => {
      const name = m.schema?.$ref?.split("/").pop();
      return `<code>${escapeHtml(type)}</code>${name ? ` → <a href="#${escapeHtml(name)}">${escapeHtml(name)}</a>` : ""}`;
    })
    .join(", ");

docs.get("/docs", async (c) => {
  const doc = (await document(c)) as {
    info: { title: string; description: string };
    paths: Record<string, Record<string, Operation>>;
    components: { schemas: Record<string, unknown> };
  };
  const sections: string[] = [];
  for (const [path, operations] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(operations)) {
      const params = (op.parameters ?? [])
        .map(
          (p) =>
            `<li><code>${escapeHtml(p.name)}</code> (${escapeHtml(p.in)}${p.required ? ", required" : ""})${p.description ? ` — ${escapeHtml(p.description)}` : ""}</li>`,
        )
        .join("");
      const body = op.requestBody ? `<p>Body: ${media(op.requestBody.content)}</p>` : "";
      const responses = Object.entries(op.responses)
        .map(
          ([status, r]) =>
            `<li><code>${escapeHtml(status)}</code> ${escapeHtml(r.description)}${r.content ? `: ${media(r.content)}` : ""}</li>`,
        )
        .join("");
      sections.push(
        `<section><h2><code>${method.toUpperCase()} ${escapeHtml(path)}</code></h2><p>${escapeHtml(op.summary ?? "")}${op.security ? " <em>(admin token)</em>" : ""}</p>` +
          `${op.description ? `<p>${escapeHtml(op.description)}</p>` : ""}${params ? `<ul>${params}</ul>` : ""}${body}<ul>${responses}</ul></section>`,
      );
    }
  }
  const schemas = Object.entries(doc.components.schemas)
    .map(
      ([name, s]) =>
        `<section id="${escapeHtml(name)}"><h2>${escapeHtml(name)}</h2><pre>${escapeHtml(JSON.stringify(s, null, 2))}</pre></section>`,
    )
    .join("");
  c.header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
  return c.html(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(doc.info.title)}</title>` +
      `<style>body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1f2328}pre{background:#f6f8fa;padding:1rem;overflow:auto;font-size:13px}section{border-top:1px solid #d0d7de;padding:.5rem 0}code{font-size:.95em}</style></head>` +
      `<body><main><h1>${escapeHtml(doc.info.title)}</h1><p>${escapeHtml(doc.info.description)}</p><p><a href="openapi.json">openapi.json</a></p>${sections.join("")}<h1>Schemas</h1>${schemas}</main></body></html>`,
  );
});
