// HTTP Strict Transport Security: once a browser has seen it over https, it refuses plain http
// for the site (and its subdomains) for two years. Sent only when the studio is served over https
// (APP_URL), since browsers ignore it on http and a local studio must stay reachable.

export const HSTS_VALUE = "max-age=63072000; includeSubDomains";

/** The Strict-Transport-Security value for a studio at `appUrl`, or null over plain http. */
export function hstsFor(appUrl: string | undefined): string | null {
  return appUrl?.toLowerCase().startsWith("https://") ? HSTS_VALUE : null;
}
