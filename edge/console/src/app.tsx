/**
 * The console shell: sign-in until there is a session, then the header (site, navigation, sign out)
 * and the screen the URL names.
 */
import type { ComponentType } from "preact";
import { useEffect, useState } from "preact/hooks";
import logo from "../logo.svg";
import { can, loadMe, me } from "./access.ts";
import { api, type SiteSummary } from "./api.ts";
import { dirty, resetConfig } from "./config-store.ts";
import { route } from "./router.ts";
import { CaptureScreen } from "./screens/capture.tsx";
import { DeliveriesScreen } from "./screens/deliveries.tsx";
import { LeadScreen } from "./screens/lead.tsx";
import { LeadsScreen } from "./screens/leads.tsx";
import { MetricsScreen } from "./screens/metrics.tsx";
import { SignIn } from "./screens/sign-in.tsx";
import { session, signOut, switchSite } from "./session.ts";
import { announce, announcement, useLoad } from "./ui/common.tsx";

/**
 * A screen loaded when first shown: the config screens carry the edge's zod schema and the widget's UI
 * (the live preview), which sign-in, leads, a lead and metrics never need. A small loading state until
 * the chunk is there; a retry when it failed (a deploy replaced it, the network dropped).
 */
function lazyScreen<P extends object>(load: () => Promise<ComponentType<P>>) {
  let loaded: ComponentType<P> | null = null;
  let pending: Promise<ComponentType<P>> | null = null;
  const start = () => {
    pending ??= load().then(
      (screen) => (loaded = screen),
      (error) => {
        pending = null;
        throw error;
      },
    );
    return pending;
  };
  function LazyScreen(props: P) {
    const [, setReady] = useState(0);
    const [failed, setFailed] = useState(false);
    // What this render showed: the chunk may arrive between the render and the effect (a preload
    // started on hover), so the effect asks whether the render had the screen, not whether it is loaded now.
    const Screen = loaded;
    useEffect(() => {
      if (Screen) return;
      let live = true;
      start().then(
        () => live && setReady((n) => n + 1),
        () => live && setFailed(true),
      );
      return () => {
        live = false;
      };
    }, [failed, Screen]);
    if (Screen) return <Screen {...props} />;
    if (failed)
      return (
        <p class="error" role="alert">
          This screen could not be loaded. Check the connection.{" "}
          <button type="button" class="button button-small button-ghost" onClick={() => setFailed(false)}>
            Try again
          </button>
        </p>
      );
    return (
      <p class="muted" role="status">
        Loading…
      </p>
    );
  }
  return Object.assign(LazyScreen, { preload: () => void start().catch(() => {}) });
}

const FormsScreen = lazyScreen(() => import("./screens/forms/index.tsx").then((m) => m.FormsScreen));
const FormEditorScreen = lazyScreen(() =>
  import("./screens/forms/index.tsx").then((m) => m.FormEditorScreen),
);
const ChannelsScreen = lazyScreen(() => import("./screens/channels.tsx").then((m) => m.ChannelsScreen));
const ScoringScreen = lazyScreen(() => import("./screens/scoring.tsx").then((m) => m.ScoringScreen));
const RoutingScreen = lazyScreen(() => import("./screens/routing.tsx").then((m) => m.RoutingScreen));
const VersionsScreen = lazyScreen(() => import("./screens/versions.tsx").then((m) => m.VersionsScreen));
// It edits the allowed origins: with the config editor's code, loaded when it is opened.
const InstallScreen = lazyScreen(() => import("./screens/install.tsx").then((m) => m.InstallScreen));
const PeopleScreen = lazyScreen(() => import("./screens/people.tsx").then((m) => m.PeopleScreen));
const NewSiteScreen = lazyScreen(() => import("./screens/new-site.tsx").then((m) => m.NewSiteScreen));

/** Pointing at (or focusing) a config screen's link starts loading it. */
const PRELOAD: Partial<Record<string, () => void>> = {
  forms: FormsScreen.preload,
  channels: ChannelsScreen.preload,
  scoring: ScoringScreen.preload,
  routing: RoutingScreen.preload,
  versions: VersionsScreen.preload,
};

/** Each entry with the operation it needs (shared/api/roles.ts): a role that may not is not offered it. */
const NAV = [
  { screen: "leads", label: "Leads", href: "#/leads", op: "GET /leads" },
  { screen: "metrics", label: "Metrics", href: "#/metrics", op: "GET /metrics" },
  { screen: "capture", label: "Capture health", href: "#/capture", op: "GET /sites/:site/capture-health" },
  { screen: "forms", label: "Forms", href: "#/forms", op: "PUT /sites/:site/config" },
  { screen: "channels", label: "Channels", href: "#/channels", op: "PUT /sites/:site/config" },
  { screen: "scoring", label: "Scoring", href: "#/scoring", op: "PUT /sites/:site/config" },
  { screen: "routing", label: "Routing", href: "#/routing", op: "PUT /sites/:site/config" },
  { screen: "deliveries", label: "Deliveries", href: "#/deliveries", op: "GET /deliveries" },
  { screen: "install", label: "Install", href: "#/install", op: "GET /sites/:site/config" },
  { screen: "versions", label: "History", href: "#/versions", op: "GET /sites/:site/config/versions" },
  { screen: "people", label: "People", href: "#/people", op: "GET /members" },
  // Creating a site takes an owner of every site (roles.ts everySite): `can` asks for this site only,
  // so the edge still has the last word.
  { screen: "new-site", label: "New site", href: "#/new-site", op: "POST /sites" },
] as const;

/** The sites this token may see; a choice when there are several. */
function SiteSwitcher({ site, edge }: { site: string; edge: string }) {
  // Read again when the site in view changes: creating or deleting a site switches to another one.
  const [load] = useLoad(`sites:${site}`, (signal) =>
    api<{ sites: SiteSummary[] }>("/v1/admin/sites", { signal }),
  );
  const sites = load.state === "ready" ? load.data.sites : [];
  if (sites.length < 2)
    return (
      <span class="site-pill" title={edge}>
        Site <strong>{sites[0]?.name ?? site}</strong>
      </span>
    );
  return (
    <div class="field inline site-switch">
      <label for="site-switch">Site</label>
      <select
        id="site-switch"
        value={site}
        onChange={(e) => {
          const next = e.currentTarget.value;
          if (dirty.value && !confirm(`Your unsaved changes to ${site} will be lost. Switch to ${next}?`)) {
            e.currentTarget.value = site;
            return;
          }
          resetConfig();
          switchSite(next);
          announce(`Now showing ${sites.find((s) => s.id === next)?.name ?? next}.`);
        }}
      >
        {sites.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name || s.id}
          </option>
        ))}
      </select>
    </div>
  );
}

export function App() {
  const current = session.value;
  // Who this session is, for the nav to offer what its role may do.
  useEffect(loadMe, [current?.token, current?.edge]);
  // Signed out (or the token refused): the next session loads its own config.
  useEffect(() => {
    if (!current) resetConfig();
  }, [current]);
  // Closing or reloading the tab with unsaved config changes asks first.
  useEffect(() => {
    const warn = (event: BeforeUnloadEvent) => {
      if (dirty.value) event.preventDefault();
    };
    addEventListener("beforeunload", warn);
    return () => removeEventListener("beforeunload", warn);
  }, []);
  const live = (
    <div class="visually-hidden" role="status" aria-live="polite">
      {announcement.value}
    </div>
  );
  if (!current)
    return (
      <>
        <SignIn />
        {live}
      </>
    );
  const r = route.value;
  const active = r.screen === "lead" ? "leads" : r.screen === "form" ? "forms" : r.screen;
  // A screen the role may not use (a link from another session, a bookmark): said, not half-shown.
  const needs = NAV.find((item) => item.screen === active)?.op;
  const refused = !!me.value && !!needs && !can(needs);
  return (
    <>
      {/* biome-ignore lint/a11y/useValidAnchor: a skip link is a link; the click only keeps the route in the hash. */}
      <a
        class="skip-link"
        href="#main"
        onClick={(event) => {
          // Hash routing owns the fragment: move focus without changing the URL.
          event.preventDefault();
          document.getElementById("main")?.focus();
        }}
      >
        Skip to content
      </a>
      <header class="topbar">
        <div class="topbar-inner">
          <a class="brand" href="#/leads">
            <img src={logo} alt="" width="28" height="28" />
            <span>Leadcap</span>
          </a>
          <nav aria-label="Console">
            <ul class="nav">
              {NAV.filter((item) => me.value && can(item.op)).map((item) => (
                <li key={item.screen}>
                  <a
                    href={item.href}
                    aria-current={active === item.screen ? "page" : undefined}
                    onPointerEnter={PRELOAD[item.screen]}
                    onFocus={PRELOAD[item.screen]}
                  >
                    {item.label}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
          <div class="topbar-end">
            <SiteSwitcher site={current.site} edge={current.edge} />
            <button type="button" class="button button-ghost button-small" onClick={() => signOut()}>
              Sign out
            </button>
          </div>
        </div>
      </header>
      {/* Anchor for the skip link only: hash routing must not treat it as a route. */}
      <main id="main" class="page" tabIndex={-1}>
        {!me.value ? (
          // The role first: a screen it may not use would only collect 403s.
          <p class="muted" role="status">
            Loading…
          </p>
        ) : refused ? (
          <p class="error" role="alert">
            Your role on this site does not include this screen. <a href="#/leads">Go to the leads</a>.
          </p>
        ) : r.screen === "lead" ? (
          <LeadScreen key={r.id} id={r.id!} />
        ) : r.screen === "metrics" ? (
          <MetricsScreen params={r.params} />
        ) : r.screen === "capture" ? (
          <CaptureScreen params={r.params} />
        ) : r.screen === "deliveries" ? (
          <DeliveriesScreen manage={can("POST /destinations/:id/pause")} />
        ) : r.screen === "install" ? (
          <InstallScreen params={r.params} />
        ) : r.screen === "forms" ? (
          <FormsScreen />
        ) : r.screen === "form" ? (
          <FormEditorScreen id={r.id!} />
        ) : r.screen === "channels" ? (
          <ChannelsScreen />
        ) : r.screen === "scoring" ? (
          <ScoringScreen params={r.params} />
        ) : r.screen === "routing" ? (
          <RoutingScreen />
        ) : r.screen === "versions" ? (
          <VersionsScreen />
        ) : r.screen === "people" ? (
          <PeopleScreen />
        ) : r.screen === "new-site" ? (
          <NewSiteScreen />
        ) : (
          <LeadsScreen params={r.params} />
        )}
      </main>
      {live}
    </>
  );
}
