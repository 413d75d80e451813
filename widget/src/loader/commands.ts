/**
 * The command API: `leadcap(name, …args)`, queued before the script arrived or called directly.
 * What each command does is the loader's; this runs them safely.
 */
import { warn } from "../log.ts";

/** A command: the arguments as the page passed them, unchecked. */
export type Command = (...args: unknown[]) => void;

/**
 * `leadcap(name, …args)`: runs the named command from `table`, unless the loader is gone. An
 * unknown name, or a command that fails, is a warning, never an error thrown into the page.
 */
export const commands =
  (table: Record<string, Command>, gone: () => boolean) =>
  (name: string, ...args: unknown[]) => {
    try {
      if (gone()) return;
      // `in {}`: what every object inherits (toString, constructor, __proto__) is no command.
      const run = !(name in {}) && table[name];
      if (run) run(...args);
      else warn("unknown command", name);
    } catch (error) {
      warn(name, error);
    }
  };
