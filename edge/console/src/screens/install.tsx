/**
 * Install: for a chosen form, the script tag, the no-JS fallback form and the CSP lines the host
 * page needs, each with a copy button, and the origins the site accepts submissions from (edited
 * here, next to the snippet that needs them). Reads the site's public settings (what the widget reads).
 */
import { useState } from "preact/hooks";
import type { SiteRemoval } from "../../../../shared/api/site-removal.ts";
import { originProblem, parseOrigin } from "../../../../shared/origins.ts";
import { isOwner } from "../access.ts";
import {
  api,
  describeError,
  type PublicFormConfig,
  type PublicSiteConfig,
  type SiteSummary,
} from "../api.ts";
import { resetConfig } from "../config-store.ts";
import { formatNumber, humanize } from "../format.ts";
import { containerTag, cspLines, noJsForm, scriptTag } from "../install.ts";
import { downloadCsv, filterFromParams } from "../leads-query.ts";
import { href, navigate } from "../router.ts";
import { session, signOut, switchSite } from "../session.ts";
import { edit, view } from "../site-config.ts";
import { announce, LoadState, PageTitle, Snippet, useLoad } from "../ui/common.tsx";
import { Check, ErrorSummary, SaveBar, TextInput, WithConfig } from "../ui/inputs.tsx";

export function InstallScreen({ params }: { params: URLSearchParams }) {
  const { site, edge } = session.value!;
  const [siteLoad] = useLoad(`site:${site}`, (signal) =>
    api<PublicSiteConfig>(`/v1/sites/${encodeURIComponent(site)}`, { signal, anonymous: true }),
  );
  const forms = siteLoad.state === "ready" ? siteLoad.data.forms : [];
  const formId = params.get("form") || forms[0]?.id || "";
  const [formLoad] = useLoad(`form:${site}:${formId}`, (signal) =>
    formId
      ? api<PublicFormConfig>(`/v1/sites/${encodeURIComponent(site)}/forms/${encodeURIComponent(formId)}`, {
          signal,
          anonymous: true,
        })
      : new Promise<PublicFormConfig>(() => {}),
  );
  const form = formLoad.state === "ready" ? formLoad.data.form : null;
  const mode = forms.find((f) => f.id === formId)?.mode ?? "inline";

  return (
    <>
      <div class="page-head">
        <PageTitle title="Install">Install</PageTitle>
      </div>
      <p class="muted lede">
        Paste the script tag where the form should appear on your site. Forms are edited on the{" "}
        <a href="#/forms">Forms</a> screen; a saved change reaches pages already showing the tag.
      </p>
      <LoadState load={siteLoad} what="the site's forms" />
      {forms.length > 0 && (
        <div class="card">
          <div class="field inline">
            <label for="install-form">Form</label>
            <select
              id="install-form"
              value={formId}
              onChange={(e) => navigate(href("install", { form: e.currentTarget.value }), true)}
            >
              {forms.map((f) => (
                <option key={f.id} value={f.id}>
                  {f.id} ({humanize(f.mode)})
                </option>
              ))}
            </select>
          </div>
          {form && (
            <p class="muted">
              “{form.title}” · intent {form.intent} · {form.fields.length} fields · shown{" "}
              {humanize(mode).toLowerCase()}
            </p>
          )}
        </div>
      )}
      {formId && <LoadState load={formLoad} what="the form" />}
      {form && (
        <div class="stack">
          <section class="card" aria-labelledby="i-script">
            <h2 id="i-script">1. The script tag</h2>
            <p>
              It loads asynchronously and never blocks the page.{" "}
              {mode === "inline"
                ? "The form renders where the tag stands, or inside this element if the page has one:"
                : `This form opens as a ${mode} by its own triggers; the tag can go anywhere in the page.`}
            </p>
            <Snippet id="snippet-script" label="Script tag" text={scriptTag(edge, site, form.id)} />
            {mode === "inline" && (
              <Snippet id="snippet-container" label="Container element" text={containerTag(form.id)} />
            )}
          </section>
          <section class="card" aria-labelledby="i-nojs">
            <h2 id="i-nojs">2. The no-JS fallback</h2>
            <p>
              A plain HTML form that posts to the edge without any script. Put it inside{" "}
              <code>&lt;noscript&gt;</code> next to the tag, or use it alone. Style it with your own CSS.
            </p>
            <Snippet id="snippet-nojs" label="Fallback form" text={noJsForm(edge, site, form)} />
          </section>
          <section class="card" aria-labelledby="i-csp">
            <h2 id="i-csp">3. Content-Security-Policy</h2>
            <p>
              If your page sends a CSP, add the edge's origin to these directives (next to what you already
              allow). The widget needs no <code>unsafe-inline</code> nor <code>unsafe-eval</code>.
            </p>
            <Snippet id="snippet-csp" label="CSP directives" text={cspLines(edge, form).join(";\n")} />
            <p class="muted small">
              The page's origin must also be one of the site's allowed origins (below).
            </p>
          </section>
        </div>
      )}
      <WithConfig>
        {() => (
          <>
            <section class="card" aria-labelledby="i-origins">
              <h2 id="i-origins">{form ? "4. " : ""}Allowed origins</h2>
              <p>
                Browsers may send leads to this site only from these origins (scheme, host and port). A page
                on another origin is refused, and Capture health counts it.
              </p>
              <AllowedOrigins />
            </section>
            {isOwner() && (
              <section class="card" aria-labelledby="i-site">
                <h2 id="i-site">The site</h2>
                <TextInput path={["name"]} label="Site name" optional={false} />
                <Check
                  path={["disabled"]}
                  label="Paused"
                  hint="A paused site shows no form. A form already open on a page keeps what the visitor sends in their browser and delivers it once the site is resumed: no lead is lost."
                />
                <DeleteSite site={site} />
              </section>
            )}
            <ErrorSummary />
            <SaveBar />
          </>
        )}
      </WithConfig>
    </>
  );
}

/** Saves the site's leads as a CSV file, as the Leads screen's export does (every lead, no filter). */
async function downloadLeads(site: string): Promise<void> {
  const rows = await downloadCsv(site, filterFromParams(new URLSearchParams()));
  announce(`Exported ${formatNumber(rows)} leads as CSV.`);
}

/**
 * Deleting the site (owners): its leads offered as a CSV first, then its id typed to confirm, since
 * nothing can be restored. Afterwards the console shows another site of the token's, or signs out
 * when there is none. The edge refuses a site configured in LEADCAP_SITES (its message is shown).
 */
function DeleteSite({ site }: { site: string }) {
  const [typed, setTyped] = useState("");
  const [busy, setBusy] = useState<"export" | "delete" | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const exportLeads = async () => {
    setBusy("export");
    try {
      await downloadLeads(site);
    } catch (error) {
      announce(`The export failed: ${describeError(error)}`);
    } finally {
      setBusy(null);
    }
  };
  const remove = async (event: Event) => {
    event.preventDefault();
    if (typed !== site || busy) return;
    setBusy("delete");
    setProblem(null);
    try {
      const { removed } = await api<SiteRemoval>(`/v1/admin/sites/${encodeURIComponent(site)}`, {
        method: "DELETE",
        body: { confirm: typed },
      });
      const { sites } = await api<{ sites: SiteSummary[] }>("/v1/admin/sites");
      const next = sites.find((s) => s.id !== site);
      const done = `Site ${site} deleted, with ${formatNumber(removed.leads)} leads.`;
      resetConfig();
      if (!next) {
        signOut(`${done} This token sees no other site.`);
        return;
      }
      switchSite(next.id);
      navigate(href("install"), true);
      announce(`${done} Now showing ${next.name || next.id}.`);
    } catch (error) {
      setProblem(describeError(error));
      setBusy(null);
    }
  };
  return (
    <div class="delete-site">
      <h3>Delete this site</h3>
      <p>
        Deleting removes the site's configuration, its leads with their history, its deliveries and its
        counters, for good; the audit log keeps a record.{" "}
        <button type="button" class="link-button" onClick={exportLeads} disabled={busy !== null}>
          {busy === "export" ? "Exporting its leads…" : "Export its leads (CSV) first"}
        </button>
        .
      </p>
      <form class="field inline" onSubmit={remove} noValidate>
        <label for="delete-site-confirm">Type the site id to confirm</label>
        <input
          id="delete-site-confirm"
          value={typed}
          placeholder={site}
          autocomplete="off"
          spellcheck={false}
          aria-invalid={problem ? "true" : undefined}
          aria-describedby={problem ? "delete-site-error" : undefined}
          onInput={(e) => {
            setTyped(e.currentTarget.value);
            setProblem(null);
          }}
        />
        <button type="submit" class="button button-small" disabled={typed !== site || busy !== null}>
          {busy === "delete" ? "Deleting…" : "Delete site"}
        </button>
        {problem && (
          <p id="delete-site-error" class="field-error" role="alert">
            {problem}
          </p>
        )}
      </form>
    </div>
  );
}

/**
 * The site's `allowedOrigins`, edited in the draft and saved with the save bar. An entry is checked as
 * an origin before it is added (the edge checks again when the config is saved); a `${NAME}` entry
 * names a Worker variable holding several and is kept as it is.
 */
function AllowedOrigins() {
  const [text, setText] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const origins = (view.value?.allowedOrigins ?? []) as string[];
  const add = (event: Event) => {
    event.preventDefault();
    const why = originProblem(text);
    if (why) {
      setProblem(why);
      return;
    }
    const origin = parseOrigin(text) as string;
    if (!origins.includes(origin)) edit(["allowedOrigins"], [...origins, origin]);
    setText("");
    setProblem(null);
    announce(`${origin} added. Save to apply it.`);
  };
  return (
    <>
      {origins.length ? (
        <ul class="origin-list" aria-label="Allowed origins">
          {origins.map((origin) => (
            <li key={origin}>
              <code>{origin}</code>{" "}
              <button
                type="button"
                class="button button-small button-ghost"
                aria-label={`Remove ${origin}`}
                onClick={() => {
                  edit(
                    ["allowedOrigins"],
                    origins.filter((o) => o !== origin),
                  );
                  announce(`${origin} removed. Save to apply it.`);
                }}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted">No origin yet: no browser can send this site a lead.</p>
      )}
      <form class="field inline" onSubmit={add} noValidate>
        <label for="origin-new">Add an origin</label>
        <input
          id="origin-new"
          value={text}
          placeholder="https://www.example.com"
          spellcheck={false}
          aria-invalid={problem ? "true" : undefined}
          aria-describedby={problem ? "origin-new-error" : undefined}
          onInput={(e) => {
            setText(e.currentTarget.value);
            setProblem(null);
          }}
        />
        <button type="submit" class="button button-small">
          Add
        </button>
        {problem && (
          <p id="origin-new-error" class="field-error">
            {problem}
          </p>
        )}
      </form>
    </>
  );
}
