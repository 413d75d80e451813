/**
 * History: every saved version of the site's config (newest first, with its note, date and author),
 * what changed between a version and the current one as readable JSON paths, and one-click rollback
 * (a new version with that version's config).
 */
import { useState } from "preact/hooks";
import { can } from "../access.ts";
import { describeError, type VersionInfo } from "../api.ts";
import { type Change, jsonDiff, showValue } from "../config-diff.ts";
import { formatTime } from "../format.ts";
import { session } from "../session.ts";
import { dirty, getVersion, listVersions, rollback, saved, withDefaults } from "../site-config.ts";
import { announce, LoadState, PageTitle, useLoad } from "../ui/common.tsx";
import { WithConfig } from "../ui/inputs.tsx";
import { AuditLog } from "./audit.tsx";

export function VersionsScreen() {
  return (
    <>
      <div class="page-head">
        <PageTitle title="History">History</PageTitle>
      </div>
      <WithConfig>{() => <Versions />}</WithConfig>
      {can("GET /sites/:site/audit") && <AuditLog />}
    </>
  );
}

function Versions() {
  const site = session.value!.site;
  const s = saved.value;
  const current = s.state === "ready" ? s.answer : null;
  const [pages, setPages] = useState<{ versions: VersionInfo[]; next: string | null }[]>([]);
  // Reloads after a save or a rollback: the key is the current version.
  const [first] = useLoad(`versions:${site}:${current?.version}`, async (signal) => {
    const page = await listVersions(site, null, signal);
    setPages([]);
    return page;
  });
  const [selected, setSelected] = useState<number | null>(null);
  const [more, setMore] = useState(false);
  const all = first.state === "ready" ? [first.data, ...pages] : [];
  const versions = all.flatMap((p) => p.versions);
  const next = all.at(-1)?.next ?? null;

  const loadMore = async () => {
    if (!next) return;
    setMore(true);
    try {
      const page = await listVersions(site, next);
      setPages((p) => [...p, page]);
    } catch (error) {
      announce(`Could not load more versions: ${describeError(error)}`);
    } finally {
      setMore(false);
    }
  };

  return (
    <>
      {current && (
        <p class="muted lede">
          {current.version === 0
            ? "This site runs on the config from code: nothing has been saved here yet. The first save makes version 1."
            : `Current: version ${current.version}${current.updatedAt ? `, saved ${formatTime(current.updatedAt)}` : ""}.`}
          {dirty.value && " You have unsaved changes: they are not part of any version yet."}
        </p>
      )}
      <LoadState load={first} what="the versions" />
      {first.state === "ready" && versions.length === 0 && <p class="muted">No saved versions yet.</p>}
      {versions.length > 0 && (
        <div class="editor versions-layout">
          <section class="card" aria-labelledby="v-list">
            <h2 id="v-list">Versions</h2>
            <ol class="versions plain-list">
              {versions.map((v) => (
                <li key={v.version} class={v.version === selected ? "selected" : undefined}>
                  <button
                    type="button"
                    class="version-button"
                    aria-pressed={v.version === selected}
                    onClick={() => setSelected(v.version)}
                  >
                    <span class="version-number">Version {v.version}</span>
                    {v.version === current?.version && <span class="badge status-delivered">current</span>}
                    <span class="muted small">
                      {formatTime(v.createdAt)}
                      {v.author ? ` · ${v.author}` : ""}
                    </span>
                    <span class="version-note">{v.note || <span class="muted">(no note)</span>}</span>
                  </button>
                </li>
              ))}
            </ol>
            {next && (
              <button
                type="button"
                class="button button-ghost button-small"
                disabled={more}
                onClick={loadMore}
              >
                {more ? "Loading…" : "Load older versions"}
              </button>
            )}
          </section>
          <div>
            {selected === null ? (
              <p class="muted card">Choose a version to see what differs from the current config.</p>
            ) : (
              <VersionDiff key={selected} site={site} version={selected} />
            )}
          </div>
        </div>
      )}
    </>
  );
}

function VersionDiff({ site, version }: { site: string; version: number }) {
  const [load] = useLoad(`version:${site}:${version}`, (signal) => getVersion(site, version, signal));
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState("");
  const s = saved.value;
  const current = s.state === "ready" ? s.answer : null;
  const isCurrent = current?.version === version;
  const changes =
    load.state === "ready" && current
      ? jsonDiff(withDefaults(current.config), withDefaults(load.data.config))
      : [];
  const restore = async () => {
    if (dirty.value && !confirm("Rolling back drops your unsaved changes. Roll back?")) return;
    setBusy(true);
    setProblem("");
    try {
      const answer = await rollback(version);
      announce(`Rolled back: version ${answer.version} has version ${version}'s config.`);
    } catch (error) {
      setProblem(describeError(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="card" aria-labelledby="v-diff">
      <h2 id="v-diff">
        Version {version} {isCurrent ? "(current)" : "compared with the current one"}
      </h2>
      <LoadState load={load} what={`version ${version}`} />
      {load.state === "ready" && (
        <>
          <p class="muted small">
            {load.data.note ? `“${load.data.note}” · ` : ""}
            {formatTime(load.data.createdAt)}
            {load.data.author ? ` · ${load.data.author}` : ""}
          </p>
          {isCurrent ? (
            <p>This is the config in use.</p>
          ) : changes.length === 0 ? (
            <p>Same config as the current one.</p>
          ) : (
            <>
              <p>
                Rolling back to version {version} would make {changes.length}{" "}
                {changes.length === 1 ? "change" : "changes"}:
              </p>
              <DiffList changes={changes} />
            </>
          )}
          {!isCurrent && (
            <div class="actions">
              <button type="button" class="button" disabled={busy} onClick={restore}>
                {busy ? "Rolling back…" : `Roll back to version ${version}`}
              </button>
            </div>
          )}
          {problem && (
            <p class="error" role="alert">
              Not rolled back: {problem}
            </p>
          )}
        </>
      )}
    </section>
  );
}

export function DiffList({ changes }: { changes: Change[] }) {
  return (
    <ul class="diff plain-list">
      {changes.map((c) => (
        <li key={`${c.kind}:${c.path.join("/")}`} class={`diff-${c.kind}`}>
          <span class="diff-kind">
            {c.kind === "added" ? "Added" : c.kind === "removed" ? "Removed" : "Changed"}
          </span>{" "}
          <code class="diff-path">{c.path.join(" › ") || "(everything)"}</code>
          <span class="diff-values">
            {c.kind === "changed" ? (
              <>
                <del>{showValue(c.before)}</del> → <ins>{showValue(c.after)}</ins>
              </>
            ) : c.kind === "added" ? (
              <ins>{showValue(c.after)}</ins>
            ) : (
              <del>{showValue(c.before)}</del>
            )}
          </span>
        </li>
      ))}
    </ul>
  );
}
