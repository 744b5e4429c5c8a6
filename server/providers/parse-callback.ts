import "server-only";

import type { z } from "zod";

import type { ProviderId } from "@/lib/domain";

import { ProviderError } from "./provider-error";

/** Reads a webhook body against the provider's documented shape; anything else is refused. */
export function parseJsonBody<S extends z.ZodType>(
  provider: ProviderId,
  rawBody: string,
  schema: S,
): z.output<S> {
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch {
    json = undefined;
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  throw new ProviderError(provider, {
    code: "provider_error",
    retryable: false,
    kind: "malformed",
    message: "The provider's callback could not be read.",
  });
}
