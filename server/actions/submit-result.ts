import "server-only";

import type { ActionResult } from "@/server/errors";
import { AppError, toActionError } from "@/server/errors";

import type { ZodType } from "zod";

/** Parses an action's input with its schema; the first problem becomes the form's message. */
export function parseInput<T>(schema: ZodType<T>, input: unknown): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    // A body that is not the form at all (null, a list) has no field whose message would help.
    const message = issue && issue.path.length > 0 ? issue.message : "Check the form and try again.";
    throw new AppError("invalid_input", `${message.replace(/\.?$/, ".")} Nothing was charged.`);
  }
  return parsed.data;
}

/** Runs an action body and turns whatever it throws into a typed result a form can show. */
export async function runAction<T>(body: () => Promise<T>): Promise<ActionResult<T>> {
  try {
    return { ok: true, data: await body() };
  } catch (error) {
    return toActionError(error);
  }
}
