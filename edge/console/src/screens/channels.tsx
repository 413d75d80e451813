/**
 * Channels and spend: the ordered rules that turn UTM values, click ids and referrers into a channel
 * (first match wins), a "test a URL" box running the edge's own classifier (shared/channels.ts) on the
 * rules being edited, and the marketing spend per month and channel or campaign, for cost per lead.
 */
import { useState } from "preact/hooks";
import {
  CHANNEL_LABELS,
  CHANNEL_SIGNALS,
  type ChannelCondition,
  type ChannelRule,
  channelOf,
  conditionHolds,
  DEFAULT_CHANNEL_RULES,
  OTHER_CHANNEL,
} from "../../../../shared/channels.ts";
import { FORM_INTENTS, type FormIntent } from "../../../../shared/config.ts";
import { OPERATOR_LABELS, VALUE_KINDS } from "../../../../shared/rules.ts";
import type { Touch } from "../../../../shared/signals.ts";
import { move } from "../config-edit.ts";
import { humanize, isoDay } from "../format.ts";
import { landingTouch } from "../landing.ts";
import { edit, editWith, saved, view } from "../site-config.ts";
import { announce } from "../ui/common.tsx";
import { ConditionList } from "../ui/condition.tsx";
import { ConfigEditor, NumberInput, SectionErrors, TextInput } from "../ui/inputs.tsx";
import { SortableList } from "../ui/sortable-list.tsx";

const SIGNAL_LABELS: Record<string, string> = {
  utm_source: "utm_source",
  utm_medium: "utm_medium",
  utm_campaign: "utm_campaign",
  utm_content: "utm_content",
  utm_term: "utm_term",
  clickId: "Click id (gclid, fbclid…)",
  referrerHost: "Referrer host",
  landingPath: "Landing page path",
  formIntent: "Form intent",
};

const SIGNAL_OPTIONS = CHANNEL_SIGNALS.map((s) => [s, SIGNAL_LABELS[s] ?? s] as const);

export const channelLabel = (id: string) => CHANNEL_LABELS[id] ?? humanize(id);

const rulesOf = () => (view.value?.channels ?? DEFAULT_CHANNEL_RULES) as ChannelRule[];

/** "utm_medium matches ^partner": the rule the URL tester names. */
export function describeCondition(c: ChannelCondition): string {
  const on = SIGNAL_LABELS[c.signal] ?? c.signal;
  const value = Array.isArray(c.value) ? c.value.join(", ") : String(c.value ?? "");
  switch (VALUE_KINDS[c.op]) {
    case "none":
      return `${on} ${OPERATOR_LABELS[c.op]}`;
    case "flag":
      return c.value === false ? `${on} ${OPERATOR_LABELS.missing}` : `${on} ${OPERATOR_LABELS[c.op]}`;
    case "pattern":
      return `${on} matches ${value}`;
    case "range":
      return Array.isArray(c.value) ? `${on} is from ${c.value[0]} up to ${c.value[1]}` : on;
    default:
      return `${on} ${OPERATOR_LABELS[c.op]} ${value}`;
  }
}

/** Which rule gives a touch its channel: its index, or -1 for "no rule: other". */
export function matchingRule(
  touch: Touch,
  rules: readonly ChannelRule[],
  formIntent?: FormIntent,
): { channel: string; index: number } {
  const context = formIntent ? { formIntent } : {};
  const index = rules.findIndex((rule) => rule.when.every((c) => conditionHolds(touch, c, context)));
  return { channel: channelOf(touch, rules, context), index };
}

export function ChannelsScreen() {
  return (
    <ConfigEditor title="Channels and spend">
      {() => (
        <>
          <div class="editor channels-layout">
            <div class="editor-main">
              <RulesEditor />
            </div>
            <div class="editor-side">
              <UrlTester />
            </div>
          </div>
          <SpendEditor />
        </>
      )}
    </ConfigEditor>
  );
}

function RulesEditor() {
  const rules = rulesOf();
  const moveRule = (from: number, to: number) => {
    editWith<ChannelRule[]>(["channels"], (list) => move(list, from, to));
    announce(
      `Rule for ${channelLabel(rules[from]!.channel)} moved to position ${to + 1} of ${rules.length}.`,
    );
  };
  const channels = [...new Set([...Object.keys(CHANNEL_LABELS), ...rules.map((r) => r.channel)])].filter(
    (c) => c !== OTHER_CHANNEL,
  );
  return (
    <section class="card" aria-labelledby="ch-rules">
      <div class="section-head">
        <h2 id="ch-rules">Channel rules</h2>
        <button
          type="button"
          class="button button-ghost button-small"
          onClick={() => {
            edit(["channels"], JSON.parse(JSON.stringify(DEFAULT_CHANNEL_RULES)));
            announce("Channel rules reset to the default grouping. Save to publish.");
          }}
        >
          Reset to the default grouping
        </button>
      </div>
      <p class="muted small">
        Checked from the top; the first rule whose conditions all hold names the channel (else “Other”). Text
        compares ignore case.
      </p>
      <datalist id="channel-names">
        {channels.map((c) => (
          <option key={c} value={c}>
            {channelLabel(c)}
          </option>
        ))}
      </datalist>
      <SectionErrors path={["channels"]} />
      <SortableList
        items={rules}
        name="channel-rules"
        class="rules-list"
        itemClass="sortable-item rule"
        idBase="rule"
        what={(rule, i) => `rule ${i + 1} (${channelLabel(rule.channel)})`}
        onMove={moveRule}
        onRemove={(i) => {
          const what = `rule ${i + 1} (${channelLabel(rules[i]!.channel)})`;
          edit(
            ["channels"],
            rules.filter((_, j) => j !== i),
          );
          announce(`Removed ${what}.`);
        }}
        head={(_, i) => (
          <>
            <span class="rule-number" aria-hidden="true">
              {i + 1}
            </span>
            <TextInput
              label={`Rule ${i + 1}: channel`}
              path={["channels", i, "channel"]}
              list="channel-names"
              optional={false}
              short
            />
          </>
        )}
        body={(rule, i) => (
          <ConditionList
            path={["channels", i, "when"]}
            conditions={rule.when}
            signals={SIGNAL_OPTIONS}
            name={(j) => `Rule ${i + 1}, condition ${j + 1}`}
            removeLabel={(j) => `Remove rule ${i + 1} condition ${j + 1}`}
            addLabel={`Add condition to rule ${i + 1}`}
            max={10}
            fresh={() => ({ signal: "utm_medium", op: "eq", value: "" })}
          />
        )}
      />
      <button
        type="button"
        class="button button-small"
        onClick={() => {
          edit(
            ["channels"],
            [...rules, { channel: "partner", when: [{ signal: "utm_source", op: "eq", value: "" }] }],
          );
          announce(`Rule ${rules.length + 1} added at the end.`);
        }}
      >
        Add rule
      </button>
    </section>
  );
}

function UrlTester() {
  const [url, setUrl] = useState(
    "https://www.example.com/pricing?utm_source=linkedin&utm_medium=paid_social",
  );
  const [referrer, setReferrer] = useState("");
  const [intent, setIntent] = useState<FormIntent | "">("");
  const touch = landingTouch(url, referrer);
  const rules = rulesOf();
  const result = touch ? matchingRule(touch as Touch, rules, intent || undefined) : null;
  const s = saved.value;
  const savedRules =
    s.state === "ready"
      ? ((s.answer.config.channels as ChannelRule[] | undefined) ?? DEFAULT_CHANNEL_RULES)
      : rules;
  const before = touch ? matchingRule(touch as Touch, savedRules, intent || undefined) : null;
  return (
    <section class="card tester" aria-labelledby="ch-test">
      <h2 id="ch-test">Test a URL</h2>
      <form onSubmit={(e) => e.preventDefault()}>
        <div class="field">
          <label for="test-url">Landing URL</label>
          <input
            id="test-url"
            type="url"
            inputMode="url"
            spellcheck={false}
            value={url}
            onInput={(e) => setUrl(e.currentTarget.value)}
          />
        </div>
        <div class="field">
          <label for="test-referrer">Referrer (optional)</label>
          <input
            id="test-referrer"
            type="url"
            inputMode="url"
            spellcheck={false}
            placeholder="https://www.google.com/"
            value={referrer}
            onInput={(e) => setReferrer(e.currentTarget.value)}
          />
        </div>
        <div class="field">
          <label for="test-intent">Form intent (optional)</label>
          <select
            id="test-intent"
            value={intent}
            onChange={(e) => setIntent(e.currentTarget.value as FormIntent)}
          >
            <option value="">(any)</option>
            {FORM_INTENTS.map((i) => (
              <option key={i} value={i}>
                {humanize(i)}
              </option>
            ))}
          </select>
        </div>
      </form>
      <div class="test-result" role="status" aria-live="polite">
        {!touch ? (
          <p class="muted">Type a full URL, starting with https://.</p>
        ) : (
          <>
            <p>
              Channel: <strong class="test-channel">{channelLabel(result!.channel)}</strong>{" "}
              <code>{result!.channel}</code>
            </p>
            <p class="muted small">
              {result!.index >= 0
                ? `Rule ${result!.index + 1}: ${rules[result!.index]!.when.map(describeCondition).join(" and ")}.`
                : "No rule matched."}
            </p>
            {before && before.channel !== result!.channel && (
              <p class="muted small">With the saved rules: {channelLabel(before.channel)}.</p>
            )}
          </>
        )}
      </div>
    </section>
  );
}

interface SpendRow {
  month: string;
  channel: string;
  campaign?: string;
  amount: number;
}

function SpendEditor() {
  const spend = (view.value?.spend ?? []) as SpendRow[];
  const rules = rulesOf();
  const add = () => {
    const month = isoDay(new Date()).slice(0, 7);
    edit(["spend"], [...spend, { month, channel: rules[0]?.channel ?? "paid_search", amount: 0 }]);
    announce("Spend row added.");
    requestAnimationFrame(() => document.getElementById(`cfg-spend-${spend.length}-amount`)?.focus());
  };
  return (
    <section class="card" aria-labelledby="ch-spend">
      <div class="section-head">
        <h2 id="ch-spend">Spend</h2>
        <TextInput label="Currency" path={["currency"]} placeholder="USD" short />
      </div>
      <p class="muted small">
        What each channel (or one of its campaigns, by utm_campaign) cost per month. A month's spend without a
        campaign is the channel's whole spend. Cost per lead is on the Metrics screen.
      </p>
      <SectionErrors path={["spend"]} />
      {spend.length === 0 ? (
        <p class="muted">No spend entered yet.</p>
      ) : (
        <ul class="spend-list plain-list">
          {spend.map((row, i) => (
            <li key={`${i}`} class="spend-row">
              <TextInput
                label={`Row ${i + 1}: month`}
                path={["spend", i, "month"]}
                type="month"
                optional={false}
              />
              <TextInput
                label="Channel"
                path={["spend", i, "channel"]}
                list="channel-names"
                optional={false}
              />
              <TextInput label="Campaign (optional)" path={["spend", i, "campaign"]} />
              <NumberInput
                label={`Amount (${view.value?.currency ?? "USD"})`}
                path={["spend", i, "amount"]}
              />
              <button
                type="button"
                class="button button-ghost button-small"
                aria-label={`Remove spend row ${i + 1} (${row.month} ${row.channel})`}
                onClick={() =>
                  edit(
                    ["spend"],
                    spend.filter((_, j) => j !== i),
                  )
                }
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <button type="button" class="button button-small" onClick={add}>
        Add spend
      </button>
    </section>
  );
}
