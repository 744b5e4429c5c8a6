// Security headers for pages: a Content-Security-Policy with a fresh nonce per request, which Next
// reads from the request's CSP header and puts on its own inline and bundle scripts, and HSTS over
// https. It also rolls the session cookie. This file never authorizes anything; every page, action
// and route handler checks the session itself.
import { type NextRequest, NextResponse } from "next/server";

import { hstsFor } from "@/lib/transport-security";
import { rolledSessionToken, SESSION_COOKIE, SESSION_COOKIE_OPTIONS } from "@/server/auth/session-cookie";

export async function proxy(request: NextRequest) {
  const nonce = btoa(crypto.randomUUID());
  const dev = process.env.NODE_ENV === "development";
  const policy = [
    "default-src 'self'",
    // 'strict-dynamic' lets the nonce'd bootstrap load Next's chunks; React needs eval only in dev.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    // Components set style attributes (progress bars, aspect ratios), which a nonce cannot cover.
    "style-src 'self' 'unsafe-inline'",
    // ThumbHash placeholders are data: URLs; previews of files picked for upload are blob: URLs.
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    // Stripe Checkout, where the Buy button's action redirects (also without JavaScript).
    "form-action 'self' https://checkout.stripe.com",
    "frame-ancestors 'none'",
  ].join("; ");

  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("content-security-policy", policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("content-security-policy", policy);
  const hsts = hstsFor(process.env.APP_URL);
  if (hsts) response.headers.set("strict-transport-security", hsts);
  await rollSession(request, response);
  return response;
}

// Sessions roll: a token older than a day is re-issued with a fresh 30 days on the next page view,
// so an active user is never signed out. Only the expiry moves; the page still checks the session.
async function rollSession(request: NextRequest, response: NextResponse): Promise<void> {
  const token = request.cookies.get(SESSION_COOKIE)?.value;
  if (!token) return;
  const rolled = await rolledSessionToken(token);
  if (rolled) response.cookies.set(SESSION_COOKIE, rolled, SESSION_COOKIE_OPTIONS);
}

export const config = {
  matcher: [
    {
      // Pages and server actions; route handlers, built assets and prefetches need no page policy.
      source: "/((?!api/|_next/static/|_next/image|favicon.ico).*)",
      // Nor do a page's server action calls, which answer RSC data, never a document (a form
      // posted without JavaScript carries no such header and still gets its page's policy).
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
        { type: "header", key: "next-action" },
      ],
    },
  ],
};
