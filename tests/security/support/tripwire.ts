/** A fetch for provider adapters that records every call and never reaches anything. */
export function tripwireFetch() {
  const calls: string[] = [];
  const fetch = (async (input: string | URL | Request) => {
    calls.push(String(input instanceof Request ? input.url : input));
    const cause = Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
    throw new TypeError("fetch failed", { cause });
  }) as typeof globalThis.fetch;
  return { fetch, calls };
}
