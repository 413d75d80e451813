/**
 * Routing: the destinations leads are pushed to (webhook, Slack, HubSpot, Salesforce, Pipedrive; each
 * with its health and "send a test event", as on the Deliveries screen) and the ordered routes that
 * decide which leads and events go where. Secrets come back from the API masked (`••••` and their
 * last 4 characters): a mask left as it is keeps the saved secret; `${VARIABLE}` names a Worker secret.
 */
import { useState } from "preact/hooks";
import { FORM_INTENTS } from "../../../../shared/config.ts";
import type { Destination, DestinationType, Route } from "../../../../shared/destinations.ts";
import { LEAD_EVENT_TYPES } from "../../../../shared/lead.ts";
import { isOwner } from "../access.ts";
import { move, type Path } from "../config-edit.ts";
import { humanize } from "../format.ts";
import { STAGES, TEMPERATURES } from "../leads-query.ts";
import { session } from "../session.ts";
import { edit, editWith, saved, view } from "../site-config.ts";
import { announce, LoadState, PanelToggle, useLoad } from "../ui/common.tsx";
import { ConditionList, SCORING_SIGNALS, SignalDatalist, type SignalOptions } from "../ui/condition.tsx";
import {
  Check,
  Choice,
  CodecInput,
  ConfigEditor,
  ListInput,
  MultiCheck,
  NumberInput,
  SectionErrors,
  TextInput,
} from "../ui/inputs.tsx";
import { SortableList } from "../ui/sortable-list.tsx";
import { DestinationCard, loadDestinations } from "./deliveries.tsx";

const TYPES: readonly (readonly [DestinationType, string])[] = [
  ["webhook", "Webhook (signed)"],
  ["slack", "Slack"],
  ["hubspot", "HubSpot"],
  ["salesforce", "Salesforce"],
  ["pipedrive", "Pipedrive"],
];

const TEMPLATES: Record<DestinationType, (id: string) => Destination> = {
  webhook: (id) => ({ id, type: "webhook", url: "https://", secret: "${WEBHOOK_SECRET}" }),
  slack: (id) => ({ id, type: "slack", url: "${SLACK_WEBHOOK_URL}" }),
  hubspot: (id) => ({ id, type: "hubspot", token: "${HUBSPOT_TOKEN}" }),
  salesforce: (id) => ({ id, type: "salesforce", api: "web-to-lead", oid: "" }),
  pipedrive: (id) => ({ id, type: "pipedrive", token: "${PIPEDRIVE_TOKEN}" }),
};

/** What a route's conditions can look at: the lead as scored, and where it stands now. */
const ROUTE_SIGNALS: SignalOptions = [
  ["temperature", "temperature"],
  ["stage", "stage"],
  ["score", "score"],
  ["event", "event"],
  ...SCORING_SIGNALS,
];

/** "Email = email" lines ↔ a mapping object. */
const mappingCodec = {
  parse: (text: string) => {
    const entries = text
      .split("\n")
      .map((line) => line.split("="))
      .filter((parts) => parts.length >= 2 && parts[0]!.trim())
      .map(([key, ...rest]) => [key!.trim(), rest.join("=").trim()] as const);
    return entries.length ? Object.fromEntries(entries) : undefined;
  },
  format: (value: unknown) =>
    value && typeof value === "object"
      ? Object.entries(value as Record<string, string>)
          .map(([k, v]) => `${k} = ${v}`)
          .join("\n")
      : "",
};

export function RoutingScreen() {
  return (
    <ConfigEditor title="Routing">
      {() => (
        <>
          <Destinations />
          <Routes />
        </>
      )}
    </ConfigEditor>
  );
}

function Destinations() {
  const site = session.value!.site;
  const list = (view.value?.destinations ?? []) as Destination[];
  const s = saved.value;
  const version = s.state === "ready" ? s.answer.version : 0;
  const savedIds = new Set(
    s.state === "ready" ? ((s.answer.config.destinations ?? []) as Destination[]).map((d) => d.id) : [],
  );
  // Health from the edge for the destinations it has (saved ones); reloads after each save.
  const [health, reload] = useLoad(`routing-health:${site}:${version}`, (signal) =>
    loadDestinations(site, signal),
  );
  const [type, setType] = useState<DestinationType>("webhook");
  const [open, setOpen] = useState<number | null>(null);
  // Destinations are the owner's (the edge refuses anyone else's change to them): others see their health.
  const owner = isOwner();
  const add = () => {
    const ids = list.map((d) => d.id);
    let n = 1;
    while (ids.includes(`${type}-${n}`)) n++;
    edit(["destinations"], [...list, TEMPLATES[type](`${type}-${n}`)]);
    setOpen(list.length);
    announce(`${humanize(type)} destination added. Fill it in, then save.`);
  };
  return (
    <section class="card" aria-labelledby="r-dest">
      <h2 id="r-dest">Destinations</h2>
      {owner ? (
        <p class="muted small">
          Where leads go. Secrets are stored encrypted and shown masked (••••last 4): leave a mask as it is to
          keep its secret, type a new one to replace it, or write <code>${"{VARIABLE}"}</code> to name a
          Worker secret. Test events and health are for saved destinations.
        </p>
      ) : (
        <p class="muted small">
          Where leads go, and how each is doing. Only an owner of the site changes them.
        </p>
      )}
      <SectionErrors path={["destinations"]} />
      <ul class="plain-list destination-editors">
        {list.map((d, i) => {
          const h = health.state === "ready" ? health.data.find((x) => x.id === d.id) : undefined;
          return (
            <li key={`${i}`} class="sortable-item">
              {owner && (
                <div class="sortable-head">
                  <PanelToggle
                    open={open === i}
                    panel={`dest-panel-${i}`}
                    onToggle={() => setOpen(open === i ? null : i)}
                  >
                    <span class="field-title">{d.id}</span>{" "}
                    <span class="muted small">{humanize(d.type)}</span>
                    {!savedIds.has(d.id) && <span class="muted small"> · not saved yet</span>}
                  </PanelToggle>
                  <button
                    type="button"
                    class="button button-ghost button-small"
                    aria-label={`Remove destination ${d.id}`}
                    onClick={() => {
                      edit(
                        ["destinations"],
                        list.filter((_, j) => j !== i),
                      );
                      setOpen(null);
                      announce(`Destination ${d.id} removed; routes naming it must change too.`);
                    }}
                  >
                    Remove
                  </button>
                </div>
              )}
              {owner && open === i && (
                <div class="field-panel" id={`dest-panel-${i}`}>
                  <DestinationSettings path={["destinations", i]} d={d} />
                </div>
              )}
              {h && savedIds.has(d.id) && (
                <ul class="destinations embedded">
                  <DestinationCard site={site} d={h} onChanged={reload} manage={owner} />
                </ul>
              )}
            </li>
          );
        })}
      </ul>
      <LoadState load={health} what="destination health" />
      {owner && (
        <div class="actions add-row">
          <div class="field inline">
            <label for="add-destination-type">New destination</label>
            <select
              id="add-destination-type"
              value={type}
              onChange={(e) => setType(e.currentTarget.value as DestinationType)}
            >
              {TYPES.map(([t, label]) => (
                <option key={t} value={t}>
                  {label}
                </option>
              ))}
            </select>
          </div>
          <button type="button" class="button button-small" onClick={add}>
            Add destination
          </button>
        </div>
      )}
    </section>
  );
}

function DestinationSettings({ path, d }: { path: Path; d: Destination }) {
  const p = (...rest: string[]): Path => [...path, ...rest];
  return (
    <>
      <div class="grid two-cols tight">
        <TextInput label="Id" path={p("id")} optional={false} short />
        <Choice
          label="Type"
          path={p("type")}
          options={TYPES}
          onChange={(t) => t && editWith<Destination>(path, (cur) => TEMPLATES[t as DestinationType](cur.id))}
        />
      </div>
      {d.type === "webhook" && (
        <>
          <TextInput label="URL" path={p("url")} optional={false} />
          <TextInput
            label="Signing secret(s)"
            path={p("secret")}
            optional={false}
            hint="whsec_… or ${VARIABLE}; several separated by spaces during a rotation."
          />
          <CodecInput
            label="Extra headers (Name = value, one per line)"
            path={p("headers")}
            multiline
            {...mappingCodec}
          />
        </>
      )}
      {d.type === "slack" && (
        <>
          <TextInput label="Incoming webhook URL" path={p("url")} optional={false} />
          <TextInput
            label="Link to the lead"
            path={p("leadUrl")}
            placeholder="https://console.example.com/#/leads/{id}"
          />
          <TextInput label="Mention" path={p("mention")} placeholder="<!here>" />
        </>
      )}
      {d.type === "hubspot" && (
        <>
          <Choice
            label="API"
            path={p("api")}
            optional="Contacts (upsert by email)"
            options={[["forms", "Forms submission"]]}
          />
          <TextInput label="Private app token" path={p("token")} />
          <div class="grid two-cols tight">
            <TextInput label="Portal id" path={p("portalId")} short />
            <TextInput label="Form GUID" path={p("formGuid")} />
          </div>
        </>
      )}
      {d.type === "salesforce" && (
        <>
          <Choice
            label="API"
            path={p("api")}
            optional="Web-to-Lead"
            options={[["rest", "REST (Lead object)"]]}
          />
          <TextInput label="Organization id (Web-to-Lead)" path={p("oid")} />
          <TextInput label="Instance URL (REST)" path={p("instanceUrl")} />
          <TextInput label="Access token (REST)" path={p("token")} />
          <TextInput label="External id field (REST)" path={p("externalIdField")} />
        </>
      )}
      {d.type === "pipedrive" && <TextInput label="API token" path={p("token")} optional={false} />}
      {(d.type === "hubspot" || d.type === "salesforce" || d.type === "pipedrive") && (
        <CodecInput
          label="Field mapping (CRM property = lead source, one per line)"
          path={p("mapping")}
          multiline
          hint="Sources: email, fields.company, score, temperature, firstTouch.utm_source, =literal…"
          {...mappingCodec}
        />
      )}
      <div class="grid three-cols tight">
        <NumberInput label="Timeout (ms)" path={p("timeoutMs")} placeholder="10000" short />
        <NumberInput label="Pause after failing (hours)" path={p("pauseAfterHours")} placeholder="72" short />
      </div>
      <Check label="Paused in the config" path={p("paused")} off={undefined} />
    </>
  );
}

function Routes() {
  const config = view.value!;
  const routing = config.routing as { routes?: Route[]; default?: string[] } | undefined;
  const routes = routing?.routes ?? [];
  const destinations = ((config.destinations ?? []) as Destination[]).map((d) => [d.id, d.id] as const);
  const forms = ((config.forms ?? []) as { id: string }[]).map((f) => [f.id, f.id] as const);
  const routePath = (i: number, ...rest: (string | number)[]): Path => ["routing", "routes", i, ...rest];
  const moveRoute = (from: number, to: number) => {
    editWith<Route[]>(["routing", "routes"], (l) => move(l, from, to));
    announce(`Route moved to position ${to + 1} of ${routes.length}.`);
  };
  return (
    <section class="card" aria-labelledby="r-routes">
      <h2 id="r-routes">Routes</h2>
      {!routing ? (
        <>
          <p>Every destination receives every lead and event.</p>
          <button
            type="button"
            class="button button-small"
            onClick={() =>
              edit(["routing"], { routes: [{ name: "Everything", to: destinations.map(([id]) => id) }] })
            }
          >
            Route by rules instead
          </button>
        </>
      ) : (
        <>
          <p class="muted small">
            Every matching route adds its destinations (“stop” ends the list for a lead it matched); a lead no
            route matched goes to the default ones.
          </p>
          <SectionErrors path={["routing"]} />
          <SignalDatalist id="route-signals" signals={ROUTE_SIGNALS} />
          <SortableList
            items={routes}
            name="routes"
            class="routes-list"
            idBase="route"
            what={(route, i) => `route ${route.name || i + 1}`}
            onMove={moveRoute}
            onRemove={(i) =>
              edit(
                ["routing", "routes"],
                routes.filter((_, j) => j !== i),
              )
            }
            head={(_, i) => <TextInput label={`Route ${i + 1}: name`} path={routePath(i, "name")} />}
            body={(route, i) => {
              const p = (...rest: (string | number)[]): Path => routePath(i, ...rest);
              return (
                <>
                  <div class="grid two-cols tight">
                    <MultiCheck legend="Send to" path={p("to")} options={destinations} />
                    <MultiCheck
                      legend="Temperature (none: any)"
                      path={p("when", "temperature")}
                      options={TEMPERATURES.map((t) => [t, humanize(t)] as const)}
                      single
                    />
                    <MultiCheck
                      legend="Stage (none: any)"
                      path={p("when", "stage")}
                      options={STAGES.map((s) => [s, s] as const)}
                      single
                    />
                    <MultiCheck legend="Form (none: any)" path={p("when", "form")} options={forms} single />
                    <MultiCheck
                      legend="Event (none: every event)"
                      path={p("when", "event")}
                      options={LEAD_EVENT_TYPES.map((e) => [e, e] as const)}
                      single
                    />
                    <div>
                      <div class="grid two-cols tight">
                        <NumberInput label="Score at least" path={p("when", "score", "min")} short />
                        <NumberInput label="Score at most" path={p("when", "score", "max")} short />
                      </div>
                      <ListInput
                        label="Intent (comma-separated)"
                        path={p("when", "intent")}
                        placeholder={FORM_INTENTS.slice(0, 3).join(", ")}
                      />
                      <ListInput
                        label="Channel (comma-separated)"
                        path={p("when", "channel")}
                        placeholder="paid_search"
                      />
                    </div>
                  </div>
                  <ConditionList
                    path={p("when", "conditions")}
                    conditions={route.when?.conditions ?? []}
                    legend="And all of these hold"
                    signals={ROUTE_SIGNALS}
                    signalList="route-signals"
                    name={(j) => `Route ${i + 1}, condition ${j + 1}`}
                    removeLabel={(j) => `Remove route ${i + 1} condition ${j + 1}`}
                    addLabel={`Add condition to route ${i + 1}`}
                    min={0}
                    max={20}
                    fresh={() => ({ signal: "email.domainType", op: "eq", value: "company" })}
                  />
                  <Check label="Stop here when this route matches" path={p("stop")} off={undefined} />
                </>
              );
            }}
          />
          <div class="actions">
            <button
              type="button"
              class="button button-small"
              onClick={() =>
                edit(["routing", "routes"], [...routes, { name: `Route ${routes.length + 1}`, to: [] }])
              }
            >
              Add route
            </button>
            <button
              type="button"
              class="button button-ghost button-small"
              onClick={() => edit(["routing"], undefined)}
            >
              Send everything everywhere instead
            </button>
          </div>
          <MultiCheck
            legend="Default (a lead no route matched)"
            path={["routing", "default"]}
            options={destinations}
          />
        </>
      )}
    </section>
  );
}
