import "server-only";

import { z } from "zod";

import type { ProviderId } from "@/lib/domain";

// Tolerant reading of resellers' answers: only the fields a document promises, in the plausible
// variants it leaves open (an id under another name, one URL where a list was shown, a numeric
// code where a string was shown). Anything else in an answer is ignored.

/** A JSON object, extra fields kept; what every reader starts from. */
export const anyObject = z.record(z.string(), z.unknown());

/** The first non-empty string (or number, as text) among `keys` of `value`. */
export function readId(value: unknown, ...keys: string[]): string | undefined {
  if (!isRecord(value)) return undefined;
  for (const key of keys) {
    const candidate = value[key];
    if (typeof candidate === "string" && candidate.trim() !== "") return candidate;
    if (typeof candidate === "number" && Number.isFinite(candidate)) return String(candidate);
  }
  return undefined;
}

/** A state as upper-case text, or undefined when the answer carries none. */
export function readState(value: unknown, key = "status"): string | undefined {
  if (!isRecord(value)) return undefined;
  const state = value[key];
  return typeof state === "string" && state.trim() !== "" ? state.trim().toUpperCase() : undefined;
}

const URL_KEYS = ["url", "urls", "image_url", "imageUrl", "media_url", "resultUrls", "images", "output"];

/**
 * Every http(s) URL in a result given as a string, an array, or an object holding them under a
 * usual name (`url`, `urls`, `media_url`, `resultUrls`, …); two levels deep at most.
 */
export function readUrls(value: unknown, depth = 0): string[] {
  if (typeof value === "string") return isHttpUrl(value) ? [value] : [];
  if (depth > 2) return [];
  if (Array.isArray(value)) return value.flatMap((item) => readUrls(item, depth + 1));
  if (isRecord(value)) {
    for (const key of URL_KEYS) {
      const urls = readUrls(value[key], depth + 1);
      if (urls.length > 0) return urls;
    }
  }
  return [];
}

/** A whole-number code given as a number or a numeric string ("500"); undefined for anything else. */
export function readNumericCode(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isInteger(value) ? value : undefined;
  if (typeof value === "string" && /^\d+$/.test(value.trim())) return Number(value.trim());
  return undefined;
}

/** A positive whole number, or undefined. */
export function readDimension(value: unknown): number | undefined {
  const n = typeof value === "string" ? Number(value) : value;
  return typeof n === "number" && Number.isInteger(n) && n > 0 ? n : undefined;
}

export interface ReadError {
  /** A machine-readable code such as `GENERATION_FAILED`, from either field. */
  machine?: string;
  /** A numeric code (an HTTP status repeated in the body, say). */
  numeric?: number;
  /** Free text, for matching only (content policy); never shown. */
  text: string;
}

const MACHINE = /^[A-Z][A-Z0-9_]{2,63}$/;

/**
 * An error given as text or as `{code, message}` (or `{error, message}`), with the code a number
 * or a string and the machine text in either field.
 */
export function readError(value: unknown): ReadError {
  if (value === undefined || value === null) return { text: "" };
  if (typeof value === "string") return { ...(MACHINE.test(value) ? { machine: value } : {}), text: value };
  if (typeof value === "number") return { numeric: value, text: "" };
  if (!isRecord(value)) return { text: "" };
  const fields = [value.code, value.message, value.error, value.type].filter(
    (f) => typeof f === "string" || typeof f === "number",
  );
  const machine = fields.find((f): f is string => typeof f === "string" && MACHINE.test(f));
  const numericField = fields.find(
    (f) => typeof f === "number" || (typeof f === "string" && /^\d{3}$/.test(f)),
  );
  const numeric = numericField === undefined ? undefined : Number(numericField);
  return {
    ...(machine ? { machine } : {}),
    ...(numeric !== undefined ? { numeric } : {}),
    text: fields.map(String).join(" "),
  };
}

// A state whose name says the job ended without an image; any case, a few usual spellings.
const TERMINAL_FAILURE = /^(FAIL(ED|URE)?|ERROR(ED)?|CANCEL(L)?ED|ABORTED|REJECTED|EXPIRED)$/;

/** Whether a state, undocumented or not, surely names a failure. */
export function namesFailure(state: string): boolean {
  return TERMINAL_FAILURE.test(state.toUpperCase());
}

const seenStates = new Set<string>();

/**
 * Logs a state no document names, once per reseller and state; the job keeps running (until its
 * deadline, at worst).
 */
export function noteUnknownState(provider: ProviderId, state: string): void {
  // Only a word-like state is echoed: an answer's free text never reaches the log.
  const shown = /^[A-Za-z][A-Za-z_ -]{0,39}$/.test(state) ? state : "(not a plain word)";
  const key = `${provider}:${shown}`;
  if (seenStates.has(key) || seenStates.size > 1000) return;
  seenStates.add(key);
  console.warn(
    `provider ${provider}: unknown job state "${shown}"; the job keeps running until a known state or its deadline.`,
  );
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:";
  } catch {
    return false;
  }
}
