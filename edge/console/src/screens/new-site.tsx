/**
 * A new site, for an owner of every site: its id, its name and the first origin its pages are on.
 * It starts with one inline contact form (a required work email, a name, consent), the default
 * scoring and no destination, so its install snippet works at once; everything else is edited on the other screens.
 */
import { useState } from "preact/hooks";
import type { SiteConfigInput } from "../../../../shared/config.ts";
import { originProblem, parseOrigin } from "../../../../shared/origins.ts";
import { DEFAULT_SCORING } from "../../../../shared/scoring-defaults.ts";
import { ApiFailure, api, describeError } from "../api.ts";
import { resetConfig } from "../config-store.ts";
import { isoDay } from "../format.ts";
import { navigate } from "../router.ts";
import { switchSite } from "../session.ts";
import { announce, PageTitle } from "../ui/common.tsx";

/** The site ids the edge accepts (shared/config.ts): lower case, digits, - and _. */
const SITE_ID = /^[a-z0-9][a-z0-9_-]{0,62}$/;

/** What a new site starts with: one contact form, taking leads from `origin`. */
export function starterSite(id: string, name: string, origin: string, today: string): SiteConfigInput {
  return {
    id,
    name,
    allowedOrigins: [origin],
    forms: [
      {
        id: "contact",
        title: "Talk to us",
        intent: "contact",
        fields: [
          { name: "email", type: "email", label: "Work email", required: true, autocomplete: "email" },
          { name: "name", type: "text", label: "Name", autocomplete: "name" },
          {
            name: "consent",
            type: "consent",
            label: `I agree that ${name} may contact me about my request.`,
            required: true,
            consentVersion: today,
          },
        ],
      },
    ],
    scoring: DEFAULT_SCORING,
    destinations: [],
  };
}

export function NewSiteScreen() {
  const [id, setId] = useState("");
  const [name, setName] = useState("");
  const [origin, setOrigin] = useState("");
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    if (!SITE_ID.test(id)) found.id = "Lower-case letters, digits, - and _, like acme-shop.";
    if (!name.trim()) found.name = "Name the site.";
    const why = originProblem(origin);
    if (why) found.origin = why;
    setProblems(found);
    if (Object.keys(found).length) return;
    setBusy(true);
    try {
      const config = starterSite(id, name.trim(), parseOrigin(origin)!, isoDay(new Date()));
      await api(`/v1/admin/sites`, { method: "POST", body: { config, note: "Created in the console" } });
      resetConfig();
      switchSite(id);
      announce(`Site ${name.trim()} created.`);
      navigate("#/install");
    } catch (failure) {
      setProblems({
        form:
          failure instanceof ApiFailure && failure.status === 409
            ? `A site "${id}" exists already.`
            : describeError(failure),
      });
    } finally {
      setBusy(false);
    }
  };

  const field = (
    key: string,
    label: string,
    value: string,
    set: (v: string) => void,
    placeholder: string,
  ) => (
    <div class="field">
      <label for={`new-site-${key}`}>{label}</label>
      <input
        id={`new-site-${key}`}
        value={value}
        placeholder={placeholder}
        spellcheck={false}
        aria-invalid={problems[key] ? "true" : undefined}
        aria-describedby={problems[key] ? `new-site-${key}-error` : undefined}
        onInput={(e) => set(e.currentTarget.value)}
      />
      {problems[key] && (
        <p class="field-error" id={`new-site-${key}-error`}>
          {problems[key]}
        </p>
      )}
    </div>
  );

  return (
    <>
      <div class="page-head">
        <PageTitle title="New site">New site</PageTitle>
      </div>
      <form class="card stack" onSubmit={submit} noValidate>
        <p class="muted">
          It starts with one contact form and no destination; its install snippet works at once.
        </p>
        <fieldset disabled={busy}>
          {field("id", "Site id", id, setId, "acme-shop")}
          {field("name", "Name", name, setName, "Acme shop")}
          {field("origin", "Your pages' origin", origin, setOrigin, "https://www.example.com")}
          <div class="actions">
            <button type="submit" class="button">
              {busy ? "Creating…" : "Create site"}
            </button>
          </div>
          {problems.form && (
            <p class="error" role="alert">
              {problems.form}
            </p>
          )}
        </fieldset>
      </form>
    </>
  );
}
