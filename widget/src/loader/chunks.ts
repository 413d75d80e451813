/**
 * The lazy chunks, as the loader loads them: from the same origin as the loader, once each, and
 * the two it starts itself (the form UI, the modes) kept at hand once they run.
 */
import type { Chunks, Inline, InlineContext, Load, Modes, ModesContext } from "../host.ts";
import { warn } from "../log.ts";

declare const __LEADCAP_FILES__: Record<string, string> | undefined;
/** The lazy chunks' files by name, content-hashed (`ui` → `leadcap-ui.1a2b3c4d.js`): set by the build. */
const FILES: Record<string, string | undefined> =
  typeof __LEADCAP_FILES__ === "object" ? __LEADCAP_FILES__ : {};

/**
 * Loads each chunk once, as a module: dynamic import() is no Trusted Types sink, so a page that
 * requires Trusted Types for scripts (with a default policy of its own, or allowing no policy at all)
 * gets the form with no violation and no policy of ours; the page's CSP `script-src` and the loader's
 * nonce apply as to the loader itself (the chunks are served with CORS for this). A chunk defines its
 * global on `self` (widget/vite.config.ts). A failed load may be tried again (Chromium does not keep
 * a failed import in its module map). `prefix`: the chunks' names start `w-` where the
 * loader is served under a neutral name (first-party, out of filter lists' way), else `leadcap-`.
 */
export function moduleChunks(base: string, prefix: string): Load {
  const loading: Record<string, Promise<unknown> | undefined> = {};
  return <K extends keyof Chunks>(name: K) => {
    const file = (FILES[name] ?? `leadcap-${name}.js`).replace("leadcap-", prefix);
    loading[name] ??= import(/* @vite-ignore */ base + file).then(
      () => (self as unknown as Record<string, unknown>)[`__leadcap_${name}`],
      (error: unknown) => {
        loading[name] = undefined;
        throw error;
      },
    );
    return loading[name] as Promise<Chunks[K]>;
  };
}

/** The UI and the modes chunk, each loaded and started at most once. */
export interface Parts {
  /** The form UI (leadcap-ui.js), started with the loader's context. */
  ui(): Promise<Inline>;
  /** Runs `then` with the modes (leadcap-modes.js) once they run; a failure is a warning. */
  modes(then: (modes: Modes) => unknown): Promise<unknown>;
  /** The UI once it runs, for what must happen at once (set, route). */
  uiNow?: Inline;
  /** The modes once they run (close, route). */
  modesNow?: Modes;
  /** Both gone from the page: their forms, shells, triggers and listeners. */
  remove(): void;
}

/** What each chunk is started with: `ui`'s `load` loads both. */
export function lazyParts(ui: InlineContext, modes: ModesContext): Parts {
  let uiLoading: Promise<Inline> | undefined;
  let modesLoading: Promise<Modes> | undefined;
  const parts: Parts = {
    ui: () => (uiLoading ??= ui.load("ui").then((chunk) => (parts.uiNow = chunk.inline(ui)))),
    modes(then) {
      modesLoading ??= ui.load("modes").then((chunk) => (parts.modesNow = chunk.modes(modes)));
      return modesLoading.then(then).catch(warn);
    },
    remove() {
      parts.modesNow?.destroy();
      parts.uiNow?.destroy();
    },
  };
  return parts;
}
