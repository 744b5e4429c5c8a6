import "server-only";

import type { ProviderId } from "@/lib/domain";

import { recordAnswer } from "./answers";
import { ProviderError } from "./provider-error";
import type { NormalizedStatus } from "./types";

/**
 * Reads a webhook body with the adapter's tolerant reader (the same one polling uses); a body it
 * cannot read (no id or no state) is refused.
 */
export function readCallback(
  provider: ProviderId,
  rawBody: string,
  read: (json: unknown) => NormalizedStatus | undefined,
): NormalizedStatus {
  recordAnswer({ provider, operation: "callback", body: rawBody });
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch {
    json = undefined;
  }
  const status = json === undefined ? undefined : read(json);
  if (status) return status;
  throw new ProviderError(provider, {
    code: "provider_error",
    retryable: false,
    kind: "malformed",
    message: "The provider's callback could not be read.",
  });
}

/** `x ?? throwIt(error)`: throws where an expression is expected. */
export function throwIt(error: Error): never {
  throw error;
}
