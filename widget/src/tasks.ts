/** Scheduling shared by the loader and the chunks (each bundles its own copy: a few bytes). */

/** Yields to the browser: what follows runs in a new task (input and rendering may go first). */
export const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * Runs `task` when the main thread is idle (the page's own work first), at the latest after 2 s.
 * Safari has no requestIdleCallback: a short timeout stands in.
 */
export const idle = (task: () => void) =>
  typeof requestIdleCallback === "function"
    ? requestIdleCallback(task, { timeout: 2000 })
    : setTimeout(task, 50);
