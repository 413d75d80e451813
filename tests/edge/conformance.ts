/**
 * Checks an answer of the Worker against the OpenAPI document it serves: the status is one the
 * operation lists, the content type is one that status lists (no body where it lists none), and a
 * JSON body matches the schema. A path the document knows with a method it does not list must be a
 * 405 naming the methods in `Allow` (or an auth refusal, which comes first); an unknown `/v1/` path a
 * 404 in the error shape. Runs inside workerd, so the validator is one that never compiles code
 * (@cfworker/json-schema interprets the schema).
 */
import { dereference, type Schema, validate } from "@cfworker/json-schema";

type Media = { schema?: Schema };
type ResponseDoc = { content?: Record<string, Media> };
type Operation = { responses: Record<string, ResponseDoc> };
export type OpenApiDoc = {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
};

/** What the checks need of a document: its paths as patterns, and every `$ref` resolvable. */
export interface Conformance {
  doc: OpenApiDoc;
  lookup: Record<string, Schema | boolean>;
  paths: { template: string; pattern: RegExp; params: number }[];
}

export function prepare(doc: OpenApiDoc): Conformance {
  // The whole document is indexed, so `#/components/schemas/X` resolves from any schema inside it.
  const lookup = dereference(doc as unknown as Schema);
  const paths = Object.keys(doc.paths).map((template) => ({
    template,
    pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, "[^/]+").replaceAll(".", "\\.")}$`),
    params: (template.match(/\{/g) ?? []).length,
  }));
  // Literal paths win over templates (`/deliveries/replay` over `/deliveries/{id}`).
  paths.sort((a, b) => a.params - b.params);
  return { doc, lookup, paths };
}

const HTTP_METHODS = ["get", "put", "post", "delete", "patch"];
const BODYLESS = new Set([204, 205, 304]);

/** Problems with one answer ([] when it conforms); `body` is the answer's text. */
export function check(
  api: Conformance,
  request: { method: string; url: string },
  response: { status: number; headers: Headers },
  body: string,
  publicPath = "",
): string[] {
  let path = new URL(request.url).pathname;
  if (publicPath && path.startsWith(`${publicPath}/`)) path = path.slice(publicPath.length);
  // Only the API is described; widget files and the console are static assets.
  if (!path.startsWith("/v1/")) return [];
  const method = request.method.toLowerCase();
  const name = `${request.method} ${path} → ${response.status}`;
  const type = (response.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  const matched = api.paths.find((p) => p.pattern.test(path));

  const asError = (): string[] => {
    if (type !== "application/json")
      return [`${name}: an error answered ${type || "no content type"}, not JSON`];
    return schemaProblems(api, api.doc.components.schemas.ErrorBody!, body, name);
  };

  if (!matched)
    return response.status === 404 ? asError() : [`${name}: a path the document does not describe`];
  const item = api.doc.paths[matched.template]!;
  const operation = item[method === "head" ? "get" : method];
  if (!operation) {
    // CORS preflights are answered by the middleware, not an operation.
    if (method === "options") return [];
    const documented = HTTP_METHODS.filter((m) => item[m]).map((m) => m.toUpperCase());
    if (response.status === 401 || response.status === 403) return asError();
    if (response.status !== 405) {
      return [`${name}: ${request.method} is not an operation of ${matched.template}; expected 405`];
    }
    const allow = (response.headers.get("allow") ?? "").split(",").map((m) => m.trim());
    const missing = documented.filter((m) => !allow.includes(m));
    const problems = missing.length
      ? [`${name}: Allow "${allow.join(", ")}" lacks ${missing.join(", ")}`]
      : [];
    return [...problems, ...asError()];
  }
  const op = `${request.method} ${matched.template} → ${response.status}`;
  const documented = operation.responses[String(response.status)] ?? operation.responses.default;
  if (!documented) {
    return [`${op}: status not documented (documented: ${Object.keys(operation.responses).join(", ")})`];
  }
  const hasBody = method !== "head" && !BODYLESS.has(response.status) && body.length > 0;
  if (!documented.content) return hasBody ? [`${op}: a ${type} body where the document lists none`] : [];
  if (!hasBody) return BODYLESS.has(response.status) || method === "head" ? [] : [`${op}: no body`];
  const media = documented.content[type];
  if (!media) {
    return [
      `${op}: content type "${type}" is not documented (${Object.keys(documented.content).join(", ")})`,
    ];
  }
  if (!media.schema || type !== "application/json") return [];
  return schemaProblems(api, media.schema, body, op);
}

function schemaProblems(api: Conformance, schema: Schema, body: string, name: string): string[] {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return [`${name}: the body is not JSON: ${body.slice(0, 200)}`];
  }
  const result = validate(value, schema, "2020-12", api.lookup, false);
  if (result.valid) return [];
  // The innermost errors say what is wrong; the outer ones only repeat that something below was.
  const errors = result.errors.filter(
    (e) =>
      !result.errors.some(
        (other) => other !== e && other.keywordLocation.startsWith(`${e.keywordLocation}/`),
      ),
  );
  const lines = (errors.length ? errors : result.errors)
    .slice(0, 8)
    .map((e) => `  at ${e.instanceLocation || "/"}: ${e.error} (${e.keywordLocation})`);
  return [
    `${name}: the body does not match the document\n${lines.join("\n")}\n  body: ${body.slice(0, 400)}`,
  ];
}
