import "server-only";

import { unstable_rethrow } from "next/navigation";
import { NextResponse } from "next/server";

import { getSessionUser, type SessionUser } from "@/server/auth/session";
import { hstsFor } from "@/lib/transport-security";
import { env } from "@/server/env";
import { AppError, INTERNAL_MESSAGE } from "@/server/errors";
import { logUnexpected } from "@/server/log";
import { discardBody } from "@/server/read-body";

// The one way to write a route handler (DEVELOPERS.md, "Writing an action / a route"):
//
//   export const GET = withUser<{ id: string }>(async (request, { user, params }) => { … });
//
// The wrapper resolves the session, awaits the route's params, runs the handler and turns what it
// throws into the JSON error answer: an AppError's code, message and status; anything else is
// logged (logUnexpected) and answered 500 with a generic message.

/** What Next passes a route handler besides the request. */
export interface RouteContext<P> {
  params: Promise<P>;
}

export type RouteHandler<P> = (request: Request, context?: RouteContext<P>) => Promise<Response>;

export interface RouteOptions {
  /** As for actions: a caller it refuses, and an anonymous one, get the 404 of a missing route. */
  authorize?: (user: SessionUser) => boolean | Promise<boolean>;
}

export interface PublicRouteOptions {
  /** The answer to an error, for callers that do not read JSON (a reseller fetching an image). */
  onError?: (error: unknown) => Response;
}

type Params = Record<string, string | string[]>;

const NOT_FOUND_MESSAGE = "Not found.";

// Every handler a wrapper made, for the test that no route bypasses them.
const wrapped = new WeakSet<object>();

/** Whether `fn` was made by withUser, withOptionalUser or publicRoute. */
export const isWrappedRoute = (fn: unknown): boolean => typeof fn === "function" && wrapped.has(fn);

/** A route for signed-in users; anyone else gets 401 (or 404 when `authorize` is given). */
export function withUser<P extends Params = Params>(
  handler: (request: Request, context: { user: SessionUser; params: P }) => Promise<Response>,
  options: RouteOptions = {},
): RouteHandler<P> {
  return wrap(async (request, context) => {
    const user = await getSessionUser();
    if (options.authorize && (!user || !(await options.authorize(user)))) {
      throw new AppError("not_found", NOT_FOUND_MESSAGE);
    }
    if (!user) throw new AppError("unauthorized", "Sign in to continue.");
    return handler(request, { user, params: await paramsOf(context) });
  }, jsonError);
}

/** A route whose answer depends on whether someone is signed in, and who. */
export function withOptionalUser<P extends Params = Params>(
  handler: (request: Request, context: { user: SessionUser | null; params: P }) => Promise<Response>,
): RouteHandler<P> {
  return wrap(
    async (request, context) =>
      handler(request, { user: await getSessionUser(), params: await paramsOf(context) }),
    jsonError,
  );
}

/** A route with no session by design (health, webhooks, signed media): it authenticates otherwise. */
export function publicRoute<P extends Params = Params>(
  handler: (request: Request, context: { params: P }) => Promise<Response>,
  options: PublicRouteOptions = {},
): RouteHandler<P> {
  return wrap(
    async (request, context) => handler(request, { params: await paramsOf(context) }),
    options.onError,
  );
}

/** The JSON error answer of every route: a code, a safe message, the right status. */
export function jsonError(error: unknown): NextResponse {
  if (error instanceof AppError) {
    return NextResponse.json(
      { error: error.toJSON() },
      {
        status: error.status,
        headers: error.retryAfter ? { "retry-after": String(error.retryAfter) } : undefined,
      },
    );
  }
  return NextResponse.json({ error: { code: "internal", message: INTERNAL_MESSAGE } }, { status: 500 });
}

function wrap<P>(
  run: (request: Request, context: RouteContext<P> | undefined) => Promise<Response>,
  onError: (error: unknown) => Response = jsonError,
): RouteHandler<P> {
  const handler: RouteHandler<P> = async (request, context) => {
    try {
      return withTransportSecurity(await run(request, context));
    } catch (error) {
      unstable_rethrow(error);
      if (!(error instanceof AppError))
        logUnexpected(error, `${request.method} ${new URL(request.url).pathname}`);
      return withTransportSecurity(onError(error));
    } finally {
      // A handler that answered without reading the body (refused, not found) stops the upload.
      discardBody(request);
    }
  };
  wrapped.add(handler);
  return handler;
}

/** Strict-Transport-Security on every answer of a studio served over https (pages get it in proxy.ts). */
function withTransportSecurity(response: Response): Response {
  const hsts = hstsFor(env.APP_URL);
  if (!hsts) return response;
  try {
    response.headers.set("strict-transport-security", hsts);
    return response;
  } catch {
    // Response.redirect() and fetched answers have read-only headers: copy them once.
    const copy = new Response(response.body, response);
    copy.headers.set("strict-transport-security", hsts);
    return copy;
  }
}

const paramsOf = async <P>(context: RouteContext<P> | undefined): Promise<P> =>
  (context ? await context.params : {}) as P;
