/**
 * Scoring: thresholds, component weights, the rules (conditions on signals, points, caps) and a
 * preview that scores a sample lead — or a real one from the leads list — with the edge's own engine
 * (shared/scoring.ts, pure, so it runs here) on the rules being edited: "this lead would score 72, hot,
 * because …".
 */
import { useState } from "preact/hooks";
import type { FormIntent, SiteConfig } from "../../../../shared/config.ts";
import type { Lead } from "../../../../shared/lead.ts";
import {
  emailDomainType,
  type ScoreResult,
  type ScoringInput,
  score,
  scoringInputFor,
} from "../../../../shared/scoring.ts";
import { COMPONENTS, type Rule, ScoringSchema } from "../../../../shared/scoring-schema.ts";
import { api, type LeadEventRecord, query } from "../api.ts";
import { move, type Path } from "../config-edit.ts";
import { humanize } from "../format.ts";
import { session } from "../session.ts";
import { edit, editWith, view } from "../site-config.ts";
import { announce, Badge, LoadState, PanelToggle, useLoad } from "../ui/common.tsx";
import { ConditionList, SCORING_SIGNALS, SignalDatalist } from "../ui/condition.tsx";
import { Choice, ConfigEditor, ListInput, NumberInput, SectionErrors, TextInput } from "../ui/inputs.tsx";
import { SortableList } from "../ui/sortable-list.tsx";
import { CalibrationPanel } from "./calibrate.tsx";

export function ScoringScreen({ params }: { params?: URLSearchParams }) {
  const lead = params?.get("lead") ?? "";
  return (
    <ConfigEditor title="Scoring">
      {() => (
        <>
          <SignalDatalist id="score-signals" signals={SCORING_SIGNALS} />
          <CalibrationPanel />
          <div class="editor">
            <div class="editor-main">
              <Thresholds />
              <RulesEditor />
            </div>
            <div class="editor-side">
              <ScorePreview initialLead={lead} />
            </div>
          </div>
        </>
      )}
    </ConfigEditor>
  );
}

function Thresholds() {
  const p = (...rest: string[]): Path => ["scoring", ...rest];
  return (
    <section class="card" aria-labelledby="sc-thresholds">
      <h2 id="sc-thresholds">Thresholds</h2>
      <div class="grid three-cols tight">
        <NumberInput label="Warm from" path={p("warmThreshold")} placeholder="30" short />
        <NumberInput label="Hot from" path={p("hotThreshold")} placeholder="60" short />
        <NumberInput label="MQL from" path={p("mqlThreshold")} placeholder="50" short />
      </div>
      <fieldset class="group">
        <legend>Most points each part may add</legend>
        <div class="grid three-cols tight">
          {COMPONENTS.map((c) => (
            <NumberInput key={c} label={humanize(c)} path={p("weights", c)} placeholder="100" short />
          ))}
        </div>
        <SectionErrors path={p("weights")} />
      </fieldset>
      <div class="grid two-cols tight">
        <NumberInput
          label="Engagement half-life (days)"
          path={p("halfLifeDays")}
          hint="Empty: engagement never fades."
          short
        />
      </div>
      <div class="grid two-cols tight">
        <ListInput
          label="Hot whatever the score: intents"
          path={p("hotIntents")}
          placeholder="demo, pricing, contact"
        />
        <ListInput
          label="At least warm: intents"
          path={p("warmIntents")}
          placeholder="webinar, download, newsletter, trial"
        />
      </div>
      <ConditionList
        path={p("pqlWhen")}
        conditions={view.value?.scoring?.pqlWhen ?? []}
        legend="Product qualified (PQL) when all of these hold"
        signals={SCORING_SIGNALS}
        signalList="score-signals"
        name={(i) => `PQL condition ${i + 1}`}
        removeLabel={(i) => `Remove PQL condition ${i + 1}`}
        addLabel="Add condition to the PQL rule"
        min={0}
        max={20}
        fresh={() => ({ signal: "events.project_created", op: "gte", value: 3 })}
      >
        <p class="muted small">
          Usually product events reported through the admin API. None: no lead becomes a PQL by rule.
        </p>
      </ConditionList>
    </section>
  );
}

function RulesEditor() {
  const rules = (view.value?.scoring?.rules ?? []) as Rule[];
  const base: Path = ["scoring", "rules"];
  const [open, setOpen] = useState<number | null>(null);
  const moveRule = (from: number, to: number) => {
    editWith<Rule[]>(base, (l) => move(l, from, to));
    if (open === from) setOpen(to);
    announce(`Rule “${rules[from]?.label}” moved to position ${to + 1} of ${rules.length}.`);
  };
  const add = () => {
    const ids = rules.map((r) => r.id);
    let n = rules.length + 1;
    while (ids.includes(`rule-${n}`)) n++;
    edit(base, [
      ...rules,
      {
        id: `rule-${n}`,
        label: "New rule",
        points: 10,
        when: [{ signal: "fields.role", op: "contains", value: "head" }],
      },
    ]);
    setOpen(rules.length);
    announce("Rule added at the end.");
  };
  return (
    <section class="card" aria-labelledby="sc-rules">
      <h2 id="sc-rules">Rules ({rules.length})</h2>
      <p class="muted small">
        Every rule whose conditions all hold adds its points. Order matters when caps trim: earlier rules keep
        their points.
      </p>
      <SectionErrors path={base} />
      <SortableList
        items={rules}
        name="score-rules"
        class="score-rules"
        idBase="score-rule"
        what={(rule) => `rule ${rule.label || rule.id}`}
        onMove={moveRule}
        onRemove={(i) => {
          edit(
            base,
            rules.filter((_, j) => j !== i),
          );
          setOpen(null);
        }}
        head={(rule, i) => (
          <PanelToggle
            open={open === i}
            panel={`rule-panel-${i}`}
            onToggle={() => setOpen(open === i ? null : i)}
          >
            <span class="field-title">{rule.label || rule.id}</span>{" "}
            <span class={`points${rule.points < 0 ? " negative" : ""}`}>
              {rule.points > 0 ? "+" : ""}
              {rule.points}
              {rule.each ? ` × ${rule.each}` : ""}
            </span>
          </PanelToggle>
        )}
        body={(rule, i) =>
          open === i && (
            <div class="field-panel" id={`rule-panel-${i}`}>
              <RuleSettings path={[...base, i]} rule={rule} />
            </div>
          )
        }
      />
      <button type="button" class="button button-small" onClick={add}>
        Add rule
      </button>
    </section>
  );
}

function RuleSettings({ path, rule }: { path: Path; rule: Rule }) {
  const p = (...rest: (string | number)[]): Path => [...path, ...rest];
  return (
    <>
      <div class="grid two-cols tight">
        <TextInput label="Reason shown to sales" path={p("label")} optional={false} />
        <TextInput label="Rule id" path={p("id")} optional={false} short />
      </div>
      <div class="grid three-cols tight">
        <NumberInput label="Points" path={p("points")} short />
        <Choice
          label="Part of the score"
          path={p("component")}
          optional="From the first condition"
          options={COMPONENTS.map((c) => [c, humanize(c)] as const)}
        />
        <NumberInput label="Cap (points)" path={p("cap")} short />
      </div>
      <div class="grid two-cols tight">
        <TextInput
          label="Points per (a numeric signal)"
          path={p("each")}
          list="score-signals"
          hint="e.g. keyPages.pricing: points × views."
        />
        <TextInput label="Group (shares a cap)" path={p("group")} short />
      </div>
      <ConditionList
        path={p("when")}
        conditions={rule.when}
        signals={SCORING_SIGNALS}
        signalList="score-signals"
        name={(i) => `Condition ${i + 1}`}
        removeLabel={(i) => `Remove condition ${i + 1}`}
        fresh={() => ({ signal: "engagement.visits", op: "gte", value: 2 })}
      />
    </>
  );
}

// ——— Preview ———

export interface Sample {
  form: string;
  email: string;
  fields: Record<string, string>;
  activeMinutes: number;
  visits: number;
  pageViews: number;
  pricingViews: number;
  channel: string;
  downloads: number;
  webinars: number;
}

/** The scoring input of a made-up lead, as the edge would build it for a real one. */
export function sampleInput(sample: Sample, site: Pick<SiteConfig, "forms">, now: string): ScoringInput {
  const domain = sample.email.slice(sample.email.lastIndexOf("@") + 1).toLowerCase();
  const intent = (site.forms.find((f) => f.id === sample.form)?.intent ?? "other") as FormIntent;
  const touch = { landingPage: "https://example.com/", at: now, channel: sample.channel };
  const events = [
    ...Array.from({ length: sample.downloads }, () => ({ type: "download", at: now })),
    ...Array.from({ length: sample.webinars }, () => ({ type: "webinar", at: now })),
  ];
  const keyPages: Record<string, number> = sample.pricingViews > 0 ? { pricing: sample.pricingViews } : {};
  return {
    form: { id: sample.form, intent },
    fields: Object.fromEntries(Object.entries(sample.fields).filter(([, v]) => v !== "")),
    email: { domain, domainType: emailDomainType(domain) },
    engagement: {
      activeTimeMs: Math.round(sample.activeMinutes * 60_000),
      maxScrollPct: 60,
      visits: sample.visits,
      pageViews: sample.pageViews,
      keyPages,
    },
    firstTouch: touch,
    lastTouch: touch,
    channel: sample.channel,
    keyPages,
    events,
    lastActivity: { type: "form_submit", at: now },
    now,
  };
}

/** The scoring input of a stored lead and its events: the edge's own mapping (shared/scoring.ts). */
export function leadInput(
  lead: Lead,
  events: LeadEventRecord[],
  site: Pick<SiteConfig, "forms">,
  now: string,
): ScoringInput {
  return scoringInputFor(site, lead, events, now);
}

/** `initialLead`: a lead picked on its own page (`#/scoring?lead=…`). */
function ScorePreview({ initialLead = "" }: { initialLead?: string }) {
  const site = session.value!.site;
  const config = view.value!;
  const forms = (config.forms ?? []) as SiteConfig["forms"];
  const [source, setSource] = useState<"sample" | "lead">(initialLead ? "lead" : "sample");
  const [sample, setSample] = useState<Sample>(() => ({
    form: forms.find((f) => f.intent === "demo")?.id ?? forms[0]?.id ?? "",
    email: "ada@analytical.example",
    fields: { role: "Head of Growth", company: "Analytical Engines" },
    activeMinutes: 4,
    visits: 3,
    pageViews: 6,
    pricingViews: 1,
    channel: "paid_search",
    downloads: 0,
    webinars: 0,
  }));
  const [leadId, setLeadId] = useState(initialLead);
  const [leads] = useLoad(`preview-leads:${site}:${source}`, (signal) =>
    source === "lead" || leadId
      ? api<{ leads: Lead[] }>(`/v1/admin/leads${query({ site, limit: 25 })}`, { signal })
      : Promise.resolve({ leads: [] as Lead[] }),
  );
  const [leadLoad] = useLoad(`preview-lead:${leadId}`, async (signal) => {
    if (!leadId) return null;
    const path = `/v1/admin/leads/${encodeURIComponent(leadId)}`;
    const [lead, events] = await Promise.all([
      api<Lead>(path, { signal }),
      api<{ events: LeadEventRecord[] }>(`${path}/events`, { signal }),
    ]);
    return { lead, events: events.events };
  });

  const now = new Date().toISOString();
  const parsed = ScoringSchema.safeParse(config.scoring);
  let input: ScoringInput | null = null;
  if (source === "sample") input = sampleInput(sample, { forms }, now);
  else if (leadLoad.state === "ready" && leadLoad.data)
    input = leadInput(leadLoad.data.lead, leadLoad.data.events, { forms }, now);
  const result: ScoreResult | null = parsed.success && input ? score(input, parsed.data) : null;
  const set = (patch: Partial<Sample>) => setSample((s) => ({ ...s, ...patch }));
  const form = forms.find((f) => f.id === sample.form);
  const answerFields = (form?.fields ?? []).filter(
    (f) => !["email", "consent", "hidden", "honeypot"].includes(f.type),
  );
  const num = (value: string) => Math.max(0, Number(value) || 0);

  return (
    <section class="card preview score-preview" aria-labelledby="sc-preview">
      <h2 id="sc-preview">Preview</h2>
      <fieldset class="segmented">
        <legend class="visually-hidden">Score</legend>
        <label>
          <input
            type="radio"
            name="score-source"
            checked={source === "sample"}
            onChange={() => setSource("sample")}
          />{" "}
          A sample lead
        </label>
        <label>
          <input
            type="radio"
            name="score-source"
            checked={source === "lead"}
            onChange={() => setSource("lead")}
          />{" "}
          A real lead
        </label>
      </fieldset>
      <div class="score-result" role="status" aria-live="polite">
        {!parsed.success ? (
          <p class="error">Fix the rules marked in the editor to see a score.</p>
        ) : result ? (
          <ScoreSentence result={result} />
        ) : (
          <p class="muted">Pick a lead.</p>
        )}
      </div>
      {source === "lead" ? (
        <>
          <LoadState load={leads} what="leads" />
          <div class="field">
            <label for="score-lead">Lead</label>
            <select id="score-lead" value={leadId} onChange={(e) => setLeadId(e.currentTarget.value)}>
              <option value="">Choose one of the latest leads…</option>
              {leads.state === "ready" &&
                [
                  ...leads.data.leads,
                  // A lead picked on its own page, older than the latest ones.
                  ...(leadLoad.state === "ready" &&
                  leadLoad.data &&
                  !leads.data.leads.some((l) => l.id === leadLoad.data!.lead.id)
                    ? [leadLoad.data.lead]
                    : []),
                ].map((l) => (
                  <option key={l.id} value={l.id}>
                    {String(l.fields.name ?? "") || l.email} · {l.form} · now {l.score}
                  </option>
                ))}
            </select>
          </div>
          {leadId && <LoadState load={leadLoad} what="the lead" />}
          {leadLoad.state === "ready" && leadLoad.data && result && (
            <p class="muted small">
              Scored {leadLoad.data.lead.score} ({leadLoad.data.lead.temperature}) with the saved rules;{" "}
              {result.score} with these.
            </p>
          )}
        </>
      ) : (
        <form class="sample" onSubmit={(e) => e.preventDefault()} aria-label="Sample lead">
          <div class="field">
            <label for="s-form">Form</label>
            <select id="s-form" value={sample.form} onChange={(e) => set({ form: e.currentTarget.value })}>
              {forms.map((f) => (
                <option key={f.id} value={f.id}>
                  {f.title || f.id} ({f.intent})
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="s-email">Email</label>
            <input id="s-email" value={sample.email} onInput={(e) => set({ email: e.currentTarget.value })} />
          </div>
          {answerFields.map((f) => (
            <div class="field" key={f.name}>
              <label for={`s-field-${f.name}`}>{f.label || f.name}</label>
              {f.options?.length ? (
                <select
                  id={`s-field-${f.name}`}
                  value={sample.fields[f.name] ?? ""}
                  onChange={(e) => set({ fields: { ...sample.fields, [f.name]: e.currentTarget.value } })}
                >
                  <option value="">(no answer)</option>
                  {f.options.map((o) => (
                    <option key={o.value} value={o.value}>
                      {o.label}
                    </option>
                  ))}
                </select>
              ) : (
                <input
                  id={`s-field-${f.name}`}
                  value={sample.fields[f.name] ?? ""}
                  onInput={(e) => set({ fields: { ...sample.fields, [f.name]: e.currentTarget.value } })}
                />
              )}
            </div>
          ))}
          <div class="grid two-cols tight">
            {(
              [
                ["activeMinutes", "Active minutes"],
                ["visits", "Visits"],
                ["pageViews", "Pages viewed"],
                ["pricingViews", "Pricing page views"],
                ["downloads", "Downloads"],
                ["webinars", "Webinars"],
              ] as const
            ).map(([key, label]) => (
              <div class="field short" key={key}>
                <label for={`s-${key}`}>{label}</label>
                <input
                  id={`s-${key}`}
                  type="number"
                  min={0}
                  value={sample[key]}
                  onInput={(e) => set({ [key]: num(e.currentTarget.value) })}
                />
              </div>
            ))}
          </div>
          <div class="field">
            <label for="s-channel">Channel</label>
            <input
              id="s-channel"
              list="channel-list"
              value={sample.channel}
              onInput={(e) => set({ channel: e.currentTarget.value })}
            />
            <datalist id="channel-list">
              {[
                "paid_search",
                "organic_search",
                "paid_social",
                "organic_social",
                "email",
                "referral",
                "direct",
              ].map((c) => (
                <option key={c} value={c} />
              ))}
            </datalist>
          </div>
        </form>
      )}
    </section>
  );
}

export function ScoreSentence({ result }: { result: ScoreResult }) {
  return (
    <>
      <p class="score-line">
        This lead would score <strong class="score-number">{result.score}</strong>,{" "}
        <Badge kind="temperature" value={result.temperature} /> <Badge kind="stage" value={result.stage} />
        {result.reasons.length ? ", because:" : " (no rule fired)."}
      </p>
      {result.reasons.length > 0 && (
        <ul class="reasons">
          {result.reasons.map((r) => (
            <li key={r.rule}>
              <span>{r.label}</span>
              <span class={`points${r.points < 0 ? " negative" : ""}`}>
                {r.points > 0 ? "+" : ""}
                {r.points}
              </span>
            </li>
          ))}
        </ul>
      )}
      <p class="muted small">
        Fit {result.components.fit} · Engagement {result.components.engagement} · Intent{" "}
        {result.components.intent}
      </p>
    </>
  );
}
