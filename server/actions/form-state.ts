import "server-only";

import { isRedirectError } from "next/dist/client/components/redirect-error";
import type { ZodError } from "zod";

/** What an auth form shows after a submit. */
export type FormState =
  { status: "idle" } | { status: "error"; message: string; fieldErrors?: Record<string, string> };

export function formError(message: string, zodError?: ZodError): FormState {
  const fieldErrors: Record<string, string> = {};
  for (const issue of zodError?.issues ?? []) {
    const field = String(issue.path[0] ?? "");
    if (field && !fieldErrors[field]) fieldErrors[field] = issue.message;
  }
  return { status: "error", message, fieldErrors };
}

/** `signIn` and `redirect` finish by throwing; those throws must reach Next untouched. */
export const isRedirect = (error: unknown) => isRedirectError(error);
