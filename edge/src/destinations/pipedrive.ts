/**
 * Pipedrive Leads API. A lead needs a person (or organization): find the person by email
 * (`GET /v1/persons/search?term=…&fields=email&exact_match=true`), create it when there is none
 * (`POST /v1/persons` with `name`, `email: [{ value, primary, label }]`, `phone`), then create the
 * lead (`POST /v1/leads` with `title`, `person_id` and mapped custom fields). The API token goes in
 * the `x-api-token` header, never in the URL (URLs end up in logs).
 *
 * Default mapping (lead field ← lead): `title` ← "Name (Company)". Custom lead fields are keyed by
 * Pipedrive's field keys (40-character hashes): add them to the mapping, e.g.
 * `{ "a1b2…": "lastTouch.utm_source" }`.
 */
import type { Destination, Mapping } from "../../../shared/destinations.ts";
import { failure, request, USER_AGENT } from "./http.ts";
import { applyMapping, sourceValue } from "./mapping.ts";
import type { DestinationAdapter, SendResult } from "./types.ts";

type PipedriveDestination = Extract<Destination, { type: "pipedrive" }>;

export const PIPEDRIVE_DEFAULT_MAPPING: Mapping = { title: "displayName" };

interface Envelope<T> {
  success?: boolean;
  data?: T;
}

function parse<T>(text: string): Envelope<T> | null {
  try {
    return JSON.parse(text) as Envelope<T>;
  } catch {
    return null;
  }
}

export const pipedrive: DestinationAdapter<PipedriveDestination> = {
  async send(destination, event, context): Promise<SendResult> {
    const lead = event.lead;
    const base = `${(destination.baseUrl ?? "https://api.pipedrive.com").replace(/\/$/, "")}/v1`;
    const headers = {
      "x-api-token": destination.token,
      "content-type": "application/json",
      accept: "application/json",
      "user-agent": USER_AGENT,
    };
    const timeoutMs = destination.timeoutMs;

    const search = await request(
      `${base}/persons/search?${new URLSearchParams({ term: lead.email, fields: "email", exact_match: "true" })}`,
      { method: "GET", headers, timeoutMs },
      context,
    );
    if (!search.result.ok) return search.result;
    const found = parse<{ items?: { item?: { id?: number } }[] }>(search.text);
    let personId = found?.data?.items?.[0]?.item?.id;

    if (personId === undefined) {
      const phone = sourceValue(lead, "fields.phone");
      const created = await request(
        `${base}/persons`,
        {
          method: "POST",
          headers,
          body: JSON.stringify({
            name: sourceValue(lead, "displayName")?.replace(/ \(.*\)$/, "") ?? lead.email,
            email: [{ value: lead.email, primary: true, label: "work" }],
            ...(phone ? { phone: [{ value: phone, primary: true, label: "work" }] } : {}),
          }),
          timeoutMs,
        },
        context,
      );
      if (!created.result.ok) return created.result;
      personId = parse<{ id?: number }>(created.text)?.data?.id;
      if (personId === undefined)
        return failure("pipedrive: the new person has no id", created.result.status, created.result.excerpt);
    }

    const fields = applyMapping(lead, PIPEDRIVE_DEFAULT_MAPPING, destination.mapping);
    const { result } = await request(
      `${base}/leads`,
      {
        method: "POST",
        headers,
        body: JSON.stringify({ ...fields, title: fields.title ?? lead.email, person_id: personId }),
        timeoutMs,
      },
      context,
    );
    return result;
  },
};
