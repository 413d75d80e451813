/**
 * "Propose from outcomes" on the Scoring screen: the edge fits the saved rules' points to the
 * converted / lost outcomes recorded for the site's leads and answers a proposal (nothing saved). The
 * marketer reads the report (how well the score ranks, each temperature's share and conversion, the
 * thresholds, each rule's points before → after, the changes to the scoring config) and accepts it,
 * which saves the config with that scoring as a new version, or rejects it.
 */
import { signal } from "@preact/signals";
import { useState } from "preact/hooks";
import type { ScoringConfigInput } from "../../../../shared/scoring-schema.ts";
import { ApiFailure, api, describeError } from "../api.ts";
import {
  bucketRows,
  formatAuc,
  type Proposal,
  proposalNote,
  ruleRows,
  scoringChanges,
  scoringEdited,
  targetsBody,
  thresholdRows,
} from "../calibration.ts";
import { formatNumber } from "../format.ts";
import { draft, encodeSite, saved, saveProblem, saveScoring, saving } from "../site-config.ts";
import { announce, Badge, ScrollRegion } from "../ui/common.tsx";
import { DiffList } from "./versions.tsx";

/** The proposal on screen, kept while the marketer looks at a lead and comes back. */
const current = signal<Proposal | null>(null);

const percent = new Intl.NumberFormat("en", { style: "percent", maximumFractionDigits: 1 });
const pct = (n: number) => percent.format(n);
const signed = (n: number) => (n > 0 ? `+${n}` : String(n));

export function CalibrationPanel() {
  const s = saved.value;
  const site = s.state === "ready" ? s.site : "";
  const proposal = current.value?.site === site ? current.value : null;
  const [targets, setTargets] = useState({ hot: "", cold: "" });
  const [running, setRunning] = useState(false);
  const [problem, setProblem] = useState<{ message: string; tooFew: boolean } | null>(null);
  const [checked, setChecked] = useState(false);
  if (s.state !== "ready") return null;
  const { body, errors } = targetsBody(targets);

  const propose = async (event: Event) => {
    event.preventDefault();
    if (errors.hot || errors.cold) return;
    setRunning(true);
    setProblem(null);
    setChecked(false);
    try {
      const answer = await api<Proposal>(`/v1/admin/sites/${encodeSite(site)}/calibration`, {
        method: "POST",
        body,
      });
      current.value = answer;
      announce(
        `Proposal ready: fitted on ${answer.report.leads} outcomes, AUC ${formatAuc(answer.report.rocAuc.scoreOutOfFold)}. Nothing is saved until you accept it.`,
      );
    } catch (error) {
      // The panel shows the last attempt: an older proposal is not the answer to this one.
      current.value = null;
      const tooFew = error instanceof ApiFailure && error.status === 422;
      setProblem({ message: describeError(error), tooFew });
    } finally {
      setRunning(false);
    }
  };

  return (
    <section class="card calibration" aria-labelledby="sc-calibrate" aria-busy={running ? "true" : undefined}>
      <h2 id="sc-calibrate">Calibrate from outcomes</h2>
      <p class="muted small lede">
        Fits the points of the saved rules to the leads your CRM (or sales) marked converted or lost, and
        proposes thresholds that give the hot and cold buckets the conversion rates below. Nothing changes
        until you accept the proposal.
      </p>
      <form class="calibrate-form" onSubmit={propose} aria-label="Propose from outcomes" noValidate>
        <TargetInput
          id="cal-hot"
          label="Hot leads convert at least (%)"
          placeholder="80"
          value={targets.hot}
          error={errors.hot}
          onInput={(hot) => setTargets((t) => ({ ...t, hot }))}
        />
        <TargetInput
          id="cal-cold"
          label="Cold leads convert at most (%)"
          placeholder="5"
          value={targets.cold}
          error={errors.cold}
          onInput={(cold) => setTargets((t) => ({ ...t, cold }))}
        />
        <div class="actions">
          <button type="submit" class="button" disabled={running || saving.value}>
            {running ? "Fitting…" : proposal ? "Propose again" : "Propose from outcomes"}
          </button>
        </div>
      </form>
      {problem && (
        <div class="error calibrate-problem" role="alert">
          <p>
            {problem.tooFew ? "Not enough outcomes yet. " : "No proposal: "}
            {problem.message}
          </p>
          {problem.tooFew && (
            <p class="muted small">
              Mark leads won or lost on their page, or send outcomes from your CRM; then propose again.
            </p>
          )}
        </div>
      )}
      {proposal && (
        <ProposalView
          key={`${proposal.baseVersion}:${proposal.report.leads}:${JSON.stringify(proposal.report.thresholds)}`}
          proposal={proposal}
          checked={checked}
          setChecked={setChecked}
        />
      )}
    </section>
  );
}

function TargetInput(props: {
  id: string;
  label: string;
  placeholder: string;
  value: string;
  error: string | undefined;
  onInput: (value: string) => void;
}) {
  const { id, label, placeholder, value, error, onInput } = props;
  return (
    <div class="field short">
      <label for={id}>{label}</label>
      <input
        id={id}
        inputMode="decimal"
        value={value}
        placeholder={placeholder}
        aria-invalid={error ? "true" : undefined}
        aria-describedby={error ? `${id}-error` : `${id}-hint`}
        onInput={(e) => onInput(e.currentTarget.value)}
      />
      {error ? (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      ) : (
        <p class="hint" id={`${id}-hint`}>
          Empty: {placeholder} %.
        </p>
      )}
    </div>
  );
}

function ProposalView({
  proposal,
  checked,
  setChecked,
}: {
  proposal: Proposal;
  checked: boolean;
  setChecked: (on: boolean) => void;
}) {
  const s = saved.value;
  const [note, setNote] = useState(() => proposalNote(proposal.report));
  if (s.state !== "ready") return null;
  const { report } = proposal;
  const base = (s.answer.config.scoring ?? {}) as ScoringConfigInput;
  const changes = scoringChanges(base, proposal.scoring);
  const rules = ruleRows(report);
  const changed = rules.filter((r) => r.after !== r.before);
  const noData = rules.filter((r) => r.noData);
  const edited = scoringEdited(s.answer.config, draft.value);
  const stale = proposal.baseVersion !== s.answer.version;
  const lost = report.leads - report.converted;

  const accept = async () => {
    if (await saveScoring(proposal.scoring, proposal.baseVersion, note || proposalNote(report))) {
      current.value = null;
    }
  };
  const reject = () => {
    current.value = null;
    saveProblem.value = null;
    announce("Proposal rejected: the scoring is unchanged.");
  };

  return (
    <section class="proposal" aria-labelledby="cal-proposal">
      <h3 id="cal-proposal">Proposal from version {proposal.baseVersion}</h3>
      <p class="proposal-summary">
        Fitted on <strong>{formatNumber(report.leads)}</strong> leads with an outcome (
        {formatNumber(report.converted)} converted, {formatNumber(lost)} lost). With the proposed points the
        score ranks a converter above a lost lead with{" "}
        <strong class="auc">AUC {formatAuc(report.rocAuc.scoreOutOfFold)}</strong>{" "}
        <span class="muted">
          (leads scored by points fitted without them; the model itself: {formatAuc(report.rocAuc.model)})
        </span>
        .
      </p>

      <div class="grid proposal-grid">
        <div>
          <h4>Temperature buckets with the proposal</h4>
          <ScrollRegion label="Temperature buckets">
            <table class="buckets">
              <thead>
                <tr>
                  <th scope="col">Bucket</th>
                  <th scope="col" class="num">
                    Conversion
                  </th>
                  <th scope="col" class="num">
                    Share of converters
                  </th>
                  <th scope="col" class="num">
                    Leads
                  </th>
                  <th scope="col" class="num">
                    Share of leads
                  </th>
                </tr>
              </thead>
              <tbody>
                {bucketRows(report).map((b) => (
                  <tr key={b.bucket}>
                    <th scope="row">
                      <Badge kind="temperature" value={b.bucket} />
                    </th>
                    <td class="num">{b.leads ? pct(b.conversion) : "—"}</td>
                    <td class="num">{pct(b.recall)}</td>
                    <td class="num">{formatNumber(b.leads)}</td>
                    <td class="num">{pct(b.share)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
        </div>
        <div>
          <h4>Thresholds</h4>
          <ul class="plain-list thresholds">
            {thresholdRows(base, report).map((t) => (
              <li key={t.name}>
                {t.label}{" "}
                {t.before === t.after ? (
                  <strong>{t.after}</strong>
                ) : (
                  <>
                    <del>{t.before}</del> → <ins>{t.after}</ins>
                  </>
                )}
              </li>
            ))}
          </ul>
          <p class="small">
            {report.droppedWarmIntents.length ? (
              <>
                No longer warm by form intent alone: <strong>{report.droppedWarmIntents.join(", ")}</strong>{" "}
                (their leads under the warm threshold convert like cold ones).
              </>
            ) : (
              <span class="muted">Every warm intent still makes a lead warm.</span>
            )}
          </p>
        </div>
      </div>

      <h4>Rules: points before → after</h4>
      <p class="muted small">
        {changed.length} of {rules.length} rules change. Caps and part weights are turned off: the fitted
        points are the weights.
        {noData.length > 0 &&
          ` ${noData.length} ${noData.length === 1 ? "rule never applied" : "rules never applied"} to a lead with an outcome: with nothing to learn from, the proposal keeps ${noData.length === 1 ? "its points" : "their points"}.`}
      </p>
      <ScrollRegion label="Rules, points before and after">
        <table class="rule-changes">
          <thead>
            <tr>
              <th scope="col">Rule</th>
              <th scope="col" class="num">
                Points
              </th>
              <th scope="col" class="num">
                Applied to
              </th>
              <th scope="col" class="num">
                Converted
              </th>
            </tr>
          </thead>
          <tbody>
            {rules.map((r) => (
              <tr key={r.rule} class={r.after === r.before ? "same" : undefined}>
                <th scope="row">
                  {r.label} <span class="rule-id muted small">{r.rule}</span>
                </th>
                <td class="num nowrap">
                  {r.after === r.before ? (
                    signed(r.after)
                  ) : (
                    <>
                      <del>{signed(r.before)}</del> → <ins>{signed(r.after)}</ins>
                    </>
                  )}
                </td>
                <td class="num">{r.noData ? <span class="muted">no lead</span> : formatNumber(r.fired)}</td>
                <td class="num">{r.noData ? "—" : pct(r.conversion)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>

      <details class="proposal-diff">
        <summary>
          All {changes.length} {changes.length === 1 ? "change" : "changes"} to the scoring config
        </summary>
        <DiffList changes={changes.map((c) => ({ ...c, path: ["scoring", ...c.path] }))} />
      </details>

      {stale && (
        <p class="notice" role="alert">
          This proposal was made from version {proposal.baseVersion}; version {s.answer.version} is loaded
          here. Propose again to fit the current rules.
        </p>
      )}
      {edited && !stale && (
        <div class="notice">
          <p>
            You have unsaved changes to the scoring. The proposal was fitted on the saved rules (version{" "}
            {proposal.baseVersion}), so accepting it replaces those changes; your other unsaved changes stay
            in the editor, unsaved.
          </p>
          <label class="check-row">
            <input type="checkbox" checked={checked} onChange={(e) => setChecked(e.currentTarget.checked)} />{" "}
            Replace my unsaved scoring changes
          </label>
        </div>
      )}
      <div class="field proposal-note">
        <label for="cal-note">Note for the new version</label>
        <input id="cal-note" value={note} maxLength={200} onInput={(e) => setNote(e.currentTarget.value)} />
      </div>
      <div class="actions">
        <button
          type="button"
          class="button"
          disabled={saving.value || stale || (edited && !checked)}
          onClick={accept}
        >
          {saving.value ? "Saving…" : `Accept and save as version ${s.answer.version + 1}`}
        </button>
        <button type="button" class="button button-ghost" disabled={saving.value} onClick={reject}>
          Reject
        </button>
      </div>
      {saveProblem.value && <p class="error">{saveProblem.value.message}</p>}
    </section>
  );
}
