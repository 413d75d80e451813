/**
 * Salesforce. `web-to-lead` (default, no credentials): a form post of the documented Web-to-Lead
 * fields to `https://webto.salesforce.com/servlet/servlet.WebToLead?encoding=UTF-8` with the org id
 * (`oid`); custom fields by their field ids (`00N…`). Salesforce answers 200 whatever happens, so
 * this is best effort by design. `rest`: the Lead sObject through the REST API —
 * `POST /services/data/vXX.X/sobjects/Lead/`, or, with `externalIdField`, an upsert on the lead id
 * (`PATCH /services/data/vXX.X/sobjects/Lead/{field}/{id}`), so retries and updates never duplicate.
 *
 * Access tokens expire: with `refreshToken`, `clientId` and `clientSecret` (a connected app), a
 * missing or refused (401) token is replaced through the OAuth refresh-token flow and kept in the
 * isolate for the next deliveries; the request is then sent once more.
 *
 * Default mappings below; LastName and Company are required by Salesforce, so they fall back to
 * the email and "[not provided]" (as Web-to-Lead itself does).
 */
import type { Destination, Mapping } from "../../../shared/destinations.ts";
import { failure, request, USER_AGENT } from "./http.ts";
import { applyMapping } from "./mapping.ts";
import type { DestinationAdapter, SendResult } from "./types.ts";

type SalesforceDestination = Extract<Destination, { type: "salesforce" }>;

export const SALESFORCE_WEB_TO_LEAD_MAPPING: Mapping = {
  first_name: "firstName",
  last_name: "lastName",
  email: "email",
  company: "fields.company",
  phone: "fields.phone",
  title: "fields.job_title",
  lead_source: "=Web",
  description: "reasons",
};

export const SALESFORCE_REST_MAPPING: Mapping = {
  FirstName: "firstName",
  LastName: "lastName",
  Email: "email",
  Company: "fields.company",
  Phone: "fields.phone",
  Title: "fields.job_title",
  LeadSource: "=Web",
  Description: "reasons",
  Rating: "temperature",
};

const NOT_PROVIDED = "[not provided]";

/** Access tokens from the refresh flow, per connected app and refresh token, for this isolate. */
const accessTokens = new Map<string, string>();
const tokenKey = (d: SalesforceDestination) => `${d.clientId}\n${d.refreshToken}`;

/** The OAuth refresh-token flow: a new access token, kept; or why there is none. */
async function refreshAccessToken(
  destination: SalesforceDestination,
  context: Parameters<DestinationAdapter<SalesforceDestination>["send"]>[2],
): Promise<string | SendResult> {
  const login = (destination.loginUrl ?? "https://login.salesforce.com").replace(/\/$/, "");
  const answer = await request(
    `${login}/services/oauth2/token`,
    {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        accept: "application/json",
        "user-agent": USER_AGENT,
      },
      body: new URLSearchParams({
        grant_type: "refresh_token",
        client_id: destination.clientId ?? "",
        client_secret: destination.clientSecret ?? "",
        refresh_token: destination.refreshToken ?? "",
      }).toString(),
      timeoutMs: destination.timeoutMs,
    },
    context,
  );
  let token: unknown;
  try {
    token = answer.result.ok
      ? (JSON.parse(answer.text ?? "") as { access_token?: unknown }).access_token
      : undefined;
  } catch {
    token = undefined;
  }
  if (typeof token !== "string" || !token) {
    const { status, excerpt } = answer.result;
    return failure(
      `salesforce oauth: could not refresh the access token (${status ?? "no answer"})`,
      status,
      excerpt,
    );
  }
  accessTokens.set(tokenKey(destination), token);
  return token;
}

export const salesforce: DestinationAdapter<SalesforceDestination> = {
  async send(destination, event, context) {
    const lead = event.lead;
    const timeoutMs = destination.timeoutMs;
    if (destination.api === "rest") {
      const refreshable = Boolean(
        destination.refreshToken && destination.clientId && destination.clientSecret,
      );
      if (!destination.instanceUrl || (!destination.token && !refreshable))
        return failure(
          "salesforce rest: instanceUrl and a token (or refreshToken, clientId and clientSecret) are required",
        );
      const fields: Record<string, string> = applyMapping(lead, SALESFORCE_REST_MAPPING, destination.mapping);
      fields.LastName ||= lead.email;
      fields.Company ||= NOT_PROVIDED;
      // Salesforce's Rating picklist is Hot / Warm / Cold.
      if (fields.Rating) fields.Rating = fields.Rating.charAt(0).toUpperCase() + fields.Rating.slice(1);
      const version = destination.apiVersion ?? "v60.0";
      const base = `${destination.instanceUrl.replace(/\/$/, "")}/services/data/${version}/sobjects/Lead`;
      const upsert = destination.externalIdField;
      const send = (token: string) =>
        request(
          upsert ? `${base}/${encodeURIComponent(upsert)}/${encodeURIComponent(lead.id)}` : `${base}/`,
          {
            method: upsert ? "PATCH" : "POST",
            headers: {
              authorization: `Bearer ${token}`,
              "content-type": "application/json",
              accept: "application/json",
              "user-agent": USER_AGENT,
            },
            body: JSON.stringify(fields),
            timeoutMs,
          },
          context,
        );
      let token = (refreshable && accessTokens.get(tokenKey(destination))) || destination.token;
      if (!token) {
        const fresh = await refreshAccessToken(destination, context);
        if (typeof fresh !== "string") return fresh;
        token = fresh;
      }
      const { result } = await send(token);
      if (result.status !== 401 || !refreshable) return result;
      const fresh = await refreshAccessToken(destination, context);
      if (typeof fresh !== "string") return fresh;
      return (await send(fresh)).result;
    }
    if (!destination.oid) return failure("salesforce web-to-lead: oid (the organization id) is required");
    const fields = applyMapping(lead, SALESFORCE_WEB_TO_LEAD_MAPPING, destination.mapping);
    const form = new URLSearchParams({ oid: destination.oid, ...fields });
    const base = destination.baseUrl ?? "https://webto.salesforce.com";
    const { result } = await request(
      `${base.replace(/\/$/, "")}/servlet/servlet.WebToLead?encoding=UTF-8`,
      {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", "user-agent": USER_AGENT },
        body: form.toString(),
        timeoutMs,
      },
      context,
    );
    return result;
  },
};
