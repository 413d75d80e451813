/**
 * Local stand-ins for Slack, HubSpot, Salesforce and Pipedrive that check each request against the
 * format those APIs document and answer the way they do (including HubSpot's 409 for an existing
 * contact and Salesforce's REQUIRED_FIELD_MISSING), keeping what they accepted. Web-standard only
 * (Request in, Response out), so the same fake serves the workerd tests (as the fetch boundary) and
 * the e2e tests (behind a loopback HTTP server, see crm-server.ts).
 *
 * Paths, under any prefix the destination's baseUrl / url gives:
 *   /slack/services/…                                  Slack incoming webhook
 *   /hubspot/crm/v3/objects/contacts[/{email}?idProperty=email]   HubSpot CRM contacts v3
 *   /hubspot/submissions/v3/integration/(secure/)submit/{portalId}/{formGuid}   HubSpot forms v3
 *   /salesforce/servlet/servlet.WebToLead?encoding=UTF-8           Web-to-Lead
 *   /salesforce/services/data/vXX.X/sobjects/Lead/[{field}/{id}]   REST Lead sObject
 *   /pipedrive/v1/persons/search · /v1/persons · /v1/leads         Pipedrive
 */

export const CRM_TOKENS = {
  hubspot: "pat-na1-11111111-2222-3333-4444-555555555555",
  salesforce: "00Dxx0000001gPL!AQ4AQFakeAccessToken",
  pipedrive: "0123456789abcdef0123456789abcdef01234567",
} as const;
export const SALESFORCE_OID = "00D5g000004FaKe";
/** A connected app's credentials and a refresh token, as Salesforce's OAuth refresh flow takes them. */
export const SALESFORCE_OAUTH = {
  clientId: "3MVG9FakeConsumerKey",
  clientSecret: "FakeConsumerSecret0123",
  refreshToken: "5Aep861FakeRefreshToken",
} as const;

export interface RecordedRequest {
  service: "slack" | "hubspot" | "salesforce" | "pipedrive";
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: string;
  /** What the fake answered. */
  status: number;
  /** Why the fake refused it, when it did. */
  problem?: string;
}

const HUBSPOT_PROPERTIES = new Set([
  "email",
  "firstname",
  "lastname",
  "company",
  "phone",
  "jobtitle",
  "website",
  "lifecyclestage",
  // The properties a Leadcap user creates in HubSpot (group "Leadcap").
  "leadcap_lead_id",
  "leadcap_score",
  "leadcap_temperature",
  "leadcap_stage",
  "leadcap_reasons",
  "leadcap_channel",
  "leadcap_utm_source",
  "leadcap_utm_medium",
  "leadcap_utm_campaign",
  "leadcap_first_utm_source",
  "leadcap_first_utm_campaign",
  "leadcap_landing_page",
]);

const SALESFORCE_LEAD_FIELDS = new Set([
  "FirstName",
  "LastName",
  "Email",
  "Company",
  "Phone",
  "Title",
  "LeadSource",
  "Description",
  "Rating",
  "Website",
  "Leadcap_Id__c",
]);

const WEB_TO_LEAD_FIELDS = new Set([
  "oid",
  "first_name",
  "last_name",
  "email",
  "company",
  "phone",
  "title",
  "lead_source",
  "description",
  "retURL",
  "debug",
  "debugEmail",
]);

const PIPEDRIVE_LEAD_KEYS = new Set([
  "title",
  "owner_id",
  "label_ids",
  "person_id",
  "organization_id",
  "value",
  "expected_close_date",
  "visible_to",
  "was_seen",
  "origin_id",
  "channel",
  "channel_id",
]);

export interface CrmFake {
  handle(request: Request): Promise<Response>;
  requests: RecordedRequest[];
  hubspotContacts: Map<string, { id: string; properties: Record<string, string> }>;
  hubspotFormSubmissions: { portalId: string; formGuid: string; fields: { name: string; value: string }[] }[];
  salesforceLeads: Map<string, Record<string, string>>;
  webToLeads: Record<string, string>[];
  pipedrivePersons: { id: number; name: string; email: { value: string; primary: boolean }[] }[];
  pipedriveLeads: Record<string, unknown>[];
  slackMessages: { text: string; blocks?: unknown[] }[];
}

class Refused extends Error {
  readonly status: number;
  readonly body: unknown;
  constructor(status: number, body: unknown, problem: string) {
    super(problem);
    this.status = status;
    this.body = body;
  }
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

function isStringRecord(value: unknown): value is Record<string, string> {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((v) => typeof v === "string")
  );
}

function parseJson(body: string, contentType: string, refuse: (problem: string) => never): unknown {
  if (!contentType.startsWith("application/json"))
    refuse(`content-type must be application/json, not ${contentType}`);
  try {
    return JSON.parse(body);
  } catch {
    return refuse("the body is not JSON");
  }
}

export function createCrmFake(): CrmFake {
  const fake: CrmFake = {
    requests: [],
    hubspotContacts: new Map(),
    hubspotFormSubmissions: [],
    salesforceLeads: new Map(),
    webToLeads: [],
    pipedrivePersons: [],
    pipedriveLeads: [],
    slackMessages: [],
    handle,
  };
  let nextId = 1000;

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const body = request.method === "GET" ? "" : await request.text();
    const headers = Object.fromEntries([...request.headers].map(([k, v]) => [k.toLowerCase(), v]));
    const service = (["slack", "hubspot", "salesforce", "pipedrive"] as const).find((s) =>
      url.pathname.includes(`/${s}/`),
    );
    const recorded: RecordedRequest = {
      service: service ?? "slack",
      method: request.method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers,
      body,
      status: 0,
    };
    fake.requests.push(recorded);
    let response: Response;
    try {
      if (!service) throw new Refused(404, { error: "no such service" }, "unknown path");
      const path = url.pathname.slice(url.pathname.indexOf(`/${service}/`) + service.length + 1);
      response = await ROUTES[service](request.method, path, url.searchParams, headers, body);
    } catch (error) {
      if (!(error instanceof Refused)) throw error;
      recorded.problem = error.message;
      response =
        typeof error.body === "string"
          ? new Response(error.body, { status: error.status })
          : json(error.status, error.body);
    }
    recorded.status = response.status;
    return response;
  }

  type Route = (
    method: string,
    path: string,
    query: URLSearchParams,
    headers: Record<string, string>,
    body: string,
  ) => Promise<Response> | Response;

  const ROUTES: Record<NonNullable<RecordedRequest["service"]>, Route> = {
    // https://api.slack.com/messaging/webhooks · https://api.slack.com/reference/block-kit/blocks
    slack(method, path, _query, headers, body) {
      const refuse = (problem: string): never => {
        throw new Refused(400, "invalid_payload", problem);
      };
      if (method !== "POST" || !path.startsWith("/services/"))
        throw new Refused(404, "no_service", "not a webhook");
      const message = parseJson(body, headers["content-type"] ?? "", refuse) as {
        text?: unknown;
        blocks?: unknown;
      };
      if (typeof message.text !== "string" || !message.text)
        refuse("text (the notification fallback) is required");
      if (message.blocks !== undefined) {
        if (!Array.isArray(message.blocks) || message.blocks.length > 50)
          throw new Refused(400, "invalid_blocks", "blocks: at most 50");
        for (const block of message.blocks as Record<string, unknown>[]) {
          const bad = (why: string): never => {
            throw new Refused(400, "invalid_blocks", `${String(block.type)}: ${why}`);
          };
          const textObject = (t: unknown, max: number, types = ["plain_text", "mrkdwn"]) => {
            const o = t as { type?: string; text?: string };
            if (
              !o ||
              !types.includes(o.type ?? "") ||
              typeof o.text !== "string" ||
              !o.text ||
              o.text.length > max
            )
              bad(`a ${types.join("/")} text object of 1–${max} characters is required`);
          };
          switch (block.type) {
            case "header":
              textObject(block.text, 150, ["plain_text"]);
              break;
            case "section":
              if (block.text === undefined && block.fields === undefined) bad("text or fields is required");
              if (block.text !== undefined) textObject(block.text, 3000);
              if (block.fields !== undefined) {
                if (!Array.isArray(block.fields) || block.fields.length > 10) bad("at most 10 fields");
                for (const f of block.fields as unknown[]) textObject(f, 2000);
              }
              break;
            case "context":
              if (!Array.isArray(block.elements) || block.elements.length === 0 || block.elements.length > 10)
                bad("1–10 elements");
              for (const e of block.elements as unknown[]) textObject(e, 3000);
              break;
            case "actions":
              if (!Array.isArray(block.elements) || block.elements.length === 0 || block.elements.length > 25)
                bad("1–25 elements");
              for (const e of block.elements as { type?: string; text?: unknown; url?: unknown }[]) {
                if (e.type !== "button") bad("only buttons here");
                textObject(e.text, 75, ["plain_text"]);
                if (e.url !== undefined && (typeof e.url !== "string" || e.url.length > 3000))
                  bad("url ≤ 3000");
              }
              break;
            case "divider":
              break;
            default:
              bad("unknown block type");
          }
        }
      }
      fake.slackMessages.push(message as { text: string; blocks?: unknown[] });
      return new Response("ok", { status: 200, headers: { "content-type": "text/html" } });
    },

    // https://developers.hubspot.com/docs/api/crm/contacts · …/marketing/forms (submissions v3)
    hubspot(method, path, query, headers, body) {
      const refuse = (problem: string): never => {
        throw new Refused(400, { status: "error", message: problem, category: "VALIDATION_ERROR" }, problem);
      };
      const form = /^\/submissions\/v3\/integration\/(secure\/)?submit\/([^/]+)\/([^/]+)$/.exec(path);
      if (form && method === "POST") {
        if (form[1] && headers.authorization !== `Bearer ${CRM_TOKENS.hubspot}`)
          throw new Refused(
            401,
            { status: "error", message: "Authentication credentials not found." },
            "no token",
          );
        const submission = parseJson(body, headers["content-type"] ?? "", refuse) as {
          fields?: { objectTypeId?: string; name?: string; value?: string }[];
          context?: { pageUri?: string };
          submittedAt?: string;
        };
        if (!Array.isArray(submission.fields) || submission.fields.length === 0) refuse("fields is required");
        for (const f of submission.fields ?? []) {
          if (f.objectTypeId !== "0-1") refuse("objectTypeId must be 0-1 (contacts)");
          if (typeof f.name !== "string" || typeof f.value !== "string")
            refuse("each field needs a name and a value");
        }
        if (submission.submittedAt !== undefined && !/^\d{13}$/.test(submission.submittedAt))
          refuse("submittedAt must be a millisecond timestamp as a string");
        fake.hubspotFormSubmissions.push({
          portalId: form[2]!,
          formGuid: form[3]!,
          fields: (submission.fields ?? []).map((f) => ({ name: f.name!, value: f.value! })),
        });
        return json(200, { inlineMessage: "Thanks for submitting the form." });
      }
      if (headers.authorization !== `Bearer ${CRM_TOKENS.hubspot}`)
        throw new Refused(
          401,
          {
            status: "error",
            message: "Authentication credentials not found.",
            category: "INVALID_AUTHENTICATION",
          },
          "missing or wrong Bearer token",
        );
      const input = (
        method === "POST" || method === "PATCH" ? parseJson(body, headers["content-type"] ?? "", refuse) : {}
      ) as { properties?: unknown };
      const checkProperties = (props: unknown): Record<string, string> => {
        if (!isStringRecord(props)) return refuse("properties must be an object of string values");
        const unknown = Object.keys(props).filter((p) => !HUBSPOT_PROPERTIES.has(p));
        if (unknown.length)
          refuse(`Property values were not valid: PROPERTY_DOESNT_EXIST ${unknown.join(", ")}`);
        return props;
      };
      if (path === "/crm/v3/objects/contacts" && method === "POST") {
        if (Object.keys(input).some((k) => k !== "properties" && k !== "associations"))
          refuse("only properties and associations are accepted");
        const props = checkProperties(input.properties);
        const email = props.email?.toLowerCase();
        if (!email) refuse("email is required to create a contact here");
        const existing = fake.hubspotContacts.get(email!);
        if (existing)
          throw new Refused(
            409,
            {
              status: "error",
              message: `Contact already exists. Existing ID: ${existing.id}`,
              category: "CONFLICT",
            },
            "conflict",
          );
        const contact = { id: String(nextId++), properties: props };
        fake.hubspotContacts.set(email!, contact);
        return json(201, { id: contact.id, properties: props, archived: false });
      }
      const update = /^\/crm\/v3\/objects\/contacts\/([^/]+)$/.exec(path);
      if (update && method === "PATCH") {
        if (query.get("idProperty") !== "email") refuse("idProperty=email is required to update by email");
        const contact = fake.hubspotContacts.get(decodeURIComponent(update[1]!).toLowerCase());
        if (!contact)
          throw new Refused(404, { status: "error", message: "resource not found" }, "no such contact");
        contact.properties = { ...contact.properties, ...checkProperties(input.properties) };
        return json(200, { id: contact.id, properties: contact.properties, archived: false });
      }
      throw new Refused(404, { status: "error", message: "not found" }, `no route ${method} ${path}`);
    },

    // Web-to-Lead (help.salesforce.com "Generate Leads from Your Website") and the REST API
    // (developer.salesforce.com …/resources_sobject_create.htm, …/dome_upsert.htm)
    salesforce(method, path, query, headers, body) {
      // https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_refresh_token_flow.htm
      if (path === "/services/oauth2/token" && method === "POST") {
        const grant = (error: string, description: string): never => {
          throw new Refused(400, { error, error_description: description }, description);
        };
        if (!(headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded"))
          grant("invalid_request", "the token request is a form post");
        const form = Object.fromEntries(new URLSearchParams(body));
        if (form.grant_type !== "refresh_token") grant("unsupported_grant_type", "grant type not supported");
        if (
          form.client_id !== SALESFORCE_OAUTH.clientId ||
          form.client_secret !== SALESFORCE_OAUTH.clientSecret
        )
          grant("invalid_client", "invalid client credentials");
        if (form.refresh_token !== SALESFORCE_OAUTH.refreshToken)
          grant("invalid_grant", "expired access/refresh token");
        return json(200, {
          access_token: CRM_TOKENS.salesforce,
          instance_url: "https://fake.my.salesforce.com",
          token_type: "Bearer",
          issued_at: String(Date.now()),
        });
      }
      if (path === "/servlet/servlet.WebToLead" && method === "POST") {
        const refuse = (problem: string): never => {
          // Web-to-Lead answers 200 whatever happens; the fake says 400 so tests see the problem.
          throw new Refused(400, problem, problem);
        };
        if (query.get("encoding") !== "UTF-8") refuse("encoding=UTF-8 is expected in the query");
        if (!(headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded"))
          refuse("Web-to-Lead takes a form post (application/x-www-form-urlencoded)");
        const fields = Object.fromEntries(new URLSearchParams(body));
        if (fields.oid !== SALESFORCE_OID) refuse("oid does not name this organization");
        const unknown = Object.keys(fields).filter(
          (k) => !WEB_TO_LEAD_FIELDS.has(k) && !/^00N[A-Za-z0-9]{12}$/.test(k),
        );
        if (unknown.length) refuse(`unknown Web-to-Lead fields: ${unknown.join(", ")}`);
        fake.webToLeads.push(fields);
        return new Response("<html></html>", { status: 200, headers: { "content-type": "text/html" } });
      }
      const refuse = (problem: string, code = "INVALID_FIELD", fields: string[] = []): never => {
        throw new Refused(400, [{ message: problem, errorCode: code, fields }], problem);
      };
      const rest = /^\/services\/data\/v\d+\.\d\/sobjects\/Lead\/(?:([A-Za-z0-9_]+)\/([^/]+))?$/.exec(path);
      if (!rest)
        throw new Refused(
          404,
          [{ errorCode: "NOT_FOUND", message: "The requested resource does not exist" }],
          path,
        );
      if (headers.authorization !== `Bearer ${CRM_TOKENS.salesforce}`)
        throw new Refused(
          401,
          [{ message: "Session expired or invalid", errorCode: "INVALID_SESSION_ID" }],
          "token",
        );
      const record = parseJson(body, headers["content-type"] ?? "", refuse);
      if (!isStringRecord(record)) return refuse("the body must be an object of field values");
      const unknown = Object.keys(record).filter((k) => !SALESFORCE_LEAD_FIELDS.has(k));
      if (unknown.length) refuse(`No such column '${unknown[0]}' on sobject of type Lead`, "INVALID_FIELD");
      const [, field, value] = rest;
      if (!field && method === "POST") {
        const missing = ["LastName", "Company"].filter((f) => !record[f]);
        if (missing.length)
          refuse(`Required fields are missing: [${missing.join(", ")}]`, "REQUIRED_FIELD_MISSING", missing);
        const id = `00Q5g00000${String(nextId++).padStart(5, "0")}`;
        fake.salesforceLeads.set(id, record);
        return json(201, { id, success: true, errors: [] });
      }
      if (field && value && method === "PATCH") {
        if (field !== "Leadcap_Id__c") refuse(`${field} is not an external id field`, "NOT_FOUND");
        const existing = [...fake.salesforceLeads.entries()].find(([, r]) => r.Leadcap_Id__c === value);
        if (existing) {
          fake.salesforceLeads.set(existing[0], { ...existing[1], ...record });
          return json(200, { id: existing[0], success: true, errors: [], created: false });
        }
        const merged: Record<string, string> = { ...record, Leadcap_Id__c: decodeURIComponent(value) };
        const missing = ["LastName", "Company"].filter((f) => !merged[f]);
        if (missing.length)
          refuse(`Required fields are missing: [${missing.join(", ")}]`, "REQUIRED_FIELD_MISSING", missing);
        const id = `00Q5g00000${String(nextId++).padStart(5, "0")}`;
        fake.salesforceLeads.set(id, merged);
        return json(201, { id, success: true, errors: [], created: true });
      }
      throw new Refused(405, [{ errorCode: "METHOD_NOT_ALLOWED", message: method }], "method");
    },

    // https://developers.pipedrive.com/docs/api/v1/Persons · …/Leads
    pipedrive(method, path, query, headers, body) {
      const refuse = (problem: string): never => {
        throw new Refused(400, { success: false, error: problem, errorCode: 400 }, problem);
      };
      const token = headers["x-api-token"] ?? query.get("api_token");
      if (token !== CRM_TOKENS.pipedrive)
        throw new Refused(401, { success: false, error: "unauthorized access", errorCode: 401 }, "token");
      if (path === "/v1/persons/search" && method === "GET") {
        const term = query.get("term") ?? "";
        if (term.length < 2) refuse("term must be at least 2 characters");
        if (query.get("fields") !== "email") refuse("search by email: fields=email");
        const exact = query.get("exact_match") === "true";
        const items = fake.pipedrivePersons
          .filter((p) => p.email.some((e) => (exact ? e.value === term : e.value.includes(term))))
          .map((p) => ({
            result_score: 1,
            item: { id: p.id, type: "person", name: p.name, emails: p.email.map((e) => e.value) },
          }));
        return json(200, {
          success: true,
          data: { items },
          additional_data: { pagination: { more_items_in_collection: false } },
        });
      }
      if (path === "/v1/persons" && method === "POST") {
        const input = parseJson(body, headers["content-type"] ?? "", refuse) as {
          name?: unknown;
          email?: unknown;
          phone?: unknown;
        };
        if (typeof input.name !== "string" || !input.name) refuse("Name must be given.");
        const list = (v: unknown, what: string) => {
          if (v === undefined) return [];
          if (
            !Array.isArray(v) ||
            !v.every(
              (e) =>
                typeof e?.value === "string" && (e.primary === undefined || typeof e.primary === "boolean"),
            )
          )
            return refuse(`${what} must be a list of { value, primary, label }`);
          return v as { value: string; primary: boolean }[];
        };
        const person = { id: nextId++, name: input.name as string, email: list(input.email, "email") };
        list(input.phone, "phone");
        fake.pipedrivePersons.push(person);
        return json(201, { success: true, data: { id: person.id, name: person.name, email: person.email } });
      }
      if (path === "/v1/leads" && method === "POST") {
        const input = parseJson(body, headers["content-type"] ?? "", refuse) as Record<string, unknown>;
        if (typeof input.title !== "string" || !input.title) refuse("title is required");
        if (typeof input.person_id !== "number" && typeof input.organization_id !== "number")
          refuse("A lead must be linked to a person or an organization (person_id or organization_id).");
        if (
          typeof input.person_id === "number" &&
          !fake.pipedrivePersons.some((p) => p.id === input.person_id)
        )
          throw new Refused(404, { success: false, error: "Person not found" }, "person");
        const unknown = Object.keys(input).filter(
          (k) => !PIPEDRIVE_LEAD_KEYS.has(k) && !/^[0-9a-f]{40}$/.test(k),
        );
        if (unknown.length) refuse(`unknown lead fields: ${unknown.join(", ")}`);
        const lead = { id: crypto.randomUUID(), ...input };
        fake.pipedriveLeads.push(lead);
        return json(201, { success: true, data: lead });
      }
      throw new Refused(404, { success: false, error: "Unknown method ." }, `no route ${method} ${path}`);
    },
  };

  return fake;
}
