/**
 * Where a page may send the browser after sign-in: a path of this site, never another origin. The address is read
 * the way the browser will read it (percent-decoded once by URLSearchParams, then parsed as a URL, which turns `\`
 * into `/`, drops tabs and newlines and resolves `.` and `..`), so `/\example.org`, `/%5Cexample.org`, `/\t/x.org`
 * and `/.//x.org` are all seen for what they are.
 */
export const AFTER_SIGN_IN = '/my/tickets';

export function sameOriginPath(next, origin, fallback = AFTER_SIGN_IN) {
  if (typeof next !== 'string' || !next.startsWith('/')) return fallback;
  let url;
  try {
    url = new URL(next, origin);
  } catch {
    return fallback;
  }
  // A path that still starts with two slashes would be read as another host once written into a link.
  if (url.origin !== new URL(origin).origin || url.pathname.startsWith('//')) return fallback;
  return url.pathname + url.search + url.hash;
}
