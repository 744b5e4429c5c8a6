import { isId } from "./ids";

/** Next passes each search param as a string, an array (repeated) or undefined; pages want one. */
export type SearchParams = Record<string, string | string[] | undefined>;

export function firstParam(params: SearchParams, name: string): string | undefined {
  const value = params[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first && first.length <= 200 ? first : undefined;
}

/** A comma-separated list of ids (?refs=a,b), deduplicated, at most `max`. */
export function idListParam(params: SearchParams, name: string, max: number): string[] {
  const raw = firstParam(params, name) ?? "";
  const ids = raw
    .split(",")
    .map((s) => s.trim())
    .filter(isId);
  return [...new Set(ids)].slice(0, max);
}
