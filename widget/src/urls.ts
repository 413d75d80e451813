/**
 * URL patterns for key pages and display rules: matched against the path and query (`/pricing*`),
 * or the whole URL when the pattern starts with `http`. `*` matches anything; the rest is literal.
 */
export function urlMatches(pattern: string, href: string): boolean {
  try {
    const url = new URL(href);
    const subject = /^https?:/.test(pattern) ? url.href : url.pathname + url.search;
    const source = pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*");
    return new RegExp(`^${source}$`).test(subject);
  } catch {
    return false;
  }
}

/** Include (default: every page) minus exclude. */
export function urlAllowed(
  rules: { include?: string[]; exclude?: string[] } | undefined,
  href: string,
): boolean {
  if (!rules) return true;
  if (rules.exclude?.some((p) => urlMatches(p, href))) return false;
  return !rules.include?.length || rules.include.some((p) => urlMatches(p, href));
}
