import "server-only";

import { unstable_rethrow } from "next/navigation";
import type { z } from "zod";

import { type ActionResult, fieldErrorsOf } from "@/lib/action-result";
import { getSessionUser, type SessionUser } from "@/server/auth/session";
import { AppError, INTERNAL_MESSAGE } from "@/server/errors";
import { logUnexpected } from "@/server/log";

// The one way to write a server action (DEVELOPERS.md, "Writing an action / a route"):
//
//   "use server";
//   export const renameThing = authedAction(renameSchema, async (input, user) => { … });
//
// The builder checks the session, parses the input with the schema, runs the handler and answers
// an ActionResult: the handler's value, or its AppError as { code, message, … }. Anything else is
// logged (logUnexpected) and answered with a generic message. Next's own control-flow throws
// (redirect, notFound) pass through untouched.

export interface ActionOptions {
  /**
   * Who besides a signed-in user may run it (admins, for instance). A caller it refuses, and an
   * anonymous one, get exactly the answer of something that does not exist: `not_found`.
   */
  authorize?: (user: SessionUser) => boolean | Promise<boolean>;
  /** The error for input the schema refuses; `invalidInput(error)` by default. */
  onInvalid?: (error: z.ZodError) => AppError;
  /** What the user reads when something unexpected fails; a generic apology by default. */
  unexpectedMessage?: string;
}

export type Action<I, T> = (input: I) => Promise<ActionResult<T>>;
export type FormAction<T> = (
  previous: ActionResult<T> | null,
  formData: FormData,
) => Promise<ActionResult<T>>;

const NOT_FOUND_MESSAGE = "Not found.";

// Every function the builder made, for the test that no action bypasses it.
const built = new WeakSet<object>();

/** Whether `fn` was made by this module's builders. */
export const isBuiltAction = (fn: unknown): boolean => typeof fn === "function" && built.has(fn);

/**
 * The default refusal of bad input: `invalid_input`, every field's first message in `fieldErrors`,
 * and the first one as the message ("Check the form and try again." when the input is not the
 * form at all: null, a list).
 */
export function invalidInput(error: z.ZodError, options: { nothingCharged?: boolean } = {}): AppError {
  const issue = error.issues[0];
  const message = issue && issue.path.length > 0 ? issue.message : "Check the form and try again.";
  return new AppError("invalid_input", message.replace(/\.?$/, "."), {
    fieldErrors: fieldErrorsOf(error),
    nothingCharged: options.nothingCharged,
  });
}

/** A server action for signed-in users: `handler(input, user)` runs only with a session and valid input. */
export function authedAction<S extends z.ZodType, T>(
  schema: S,
  handler: (input: z.output<S>, user: SessionUser) => Promise<T>,
  options: ActionOptions = {},
): Action<z.input<S>, T> {
  return register(async (input: z.input<S>) =>
    settle(options, async () => {
      const user = await signedInUser(options);
      return handler(parse(schema, input, options), user);
    }),
  );
}

/** A server action anyone may call (sign-in, sign-up): the same parsing and answers, no session. */
export function publicAction<S extends z.ZodType, T>(
  schema: S,
  handler: (input: z.output<S>) => Promise<T>,
  options: Omit<ActionOptions, "authorize"> = {},
): Action<z.input<S>, T> {
  return register(async (input: z.input<S>) =>
    settle(options, async () => handler(parse(schema, input, options))),
  );
}

/**
 * The same action for `useActionState`: its input is the form's fields (one value each; files stay
 * File objects), which the action's schema then parses.
 */
export function formAction<I, T>(action: Action<I, T>): FormAction<T> {
  return register(async (_previous: ActionResult<T> | null, formData: FormData) =>
    action(fieldsOf<I>(formData)),
  );
}

/**
 * The same action for a plain `<form action>` whose success leaves the page (sign out): the form
 * shows no result, so there is none to return; an unexpected failure is still logged.
 */
export function plainFormAction<I, T>(action: Action<I, T>): (formData: FormData) => Promise<void> {
  return register(async (formData: FormData) => {
    await action(fieldsOf<I>(formData));
  });
}

const fieldsOf = <I>(formData: FormData) => Object.fromEntries(formData.entries()) as I;

function register<F extends (...args: never[]) => Promise<unknown>>(fn: F): F {
  built.add(fn);
  return fn;
}

async function signedInUser(options: ActionOptions): Promise<SessionUser> {
  const user = await getSessionUser();
  if (options.authorize) {
    if (!user || !(await options.authorize(user))) throw new AppError("not_found", NOT_FOUND_MESSAGE);
    return user;
  }
  if (!user) throw new AppError("unauthorized", "Sign in to continue.");
  return user;
}

function parse<S extends z.ZodType>(schema: S, input: unknown, options: ActionOptions): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw (options.onInvalid ?? invalidInput)(parsed.error);
  return parsed.data;
}

async function settle<T>(options: ActionOptions, body: () => Promise<T>): Promise<ActionResult<T>> {
  try {
    return { ok: true, data: await body() };
  } catch (error) {
    unstable_rethrow(error);
    if (error instanceof AppError) return { ok: false, error: error.toJSON() };
    logUnexpected(error, "a server action");
    return { ok: false, error: { code: "internal", message: options.unexpectedMessage ?? INTERNAL_MESSAGE } };
  }
}
