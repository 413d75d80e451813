/** The widget's only way to speak to the page's console: prefixed, and never throwing itself. */
export function warn(...args: unknown[]): void {
  try {
    console.warn("[leadcap]", ...args);
  } catch {
    // A page that replaced console with something broken must still get its form.
  }
}
