export interface RecordedCall {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
}

/** A canned answer: JSON (`json`), raw text (`text`), an error to throw, or a hang until aborted. */
export type Reply =
  | { status: number; json?: unknown; text?: string; headers?: Record<string, string> }
  | { throws: unknown }
  | { hang: true };

/** A fetch that records each call and answers from a list (the last answer repeats). */
export function fakeFetch(replies: Reply[] | ((call: RecordedCall) => Reply)) {
  const calls: RecordedCall[] = [];
  const fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const headers = Object.fromEntries(new Headers(init?.headers).entries());
    const raw = typeof init?.body === "string" ? init.body : undefined;
    const call: RecordedCall = {
      url: String(input),
      method: init?.method ?? "GET",
      headers,
      body: raw === undefined ? undefined : JSON.parse(raw),
    };
    calls.push(call);
    const reply =
      typeof replies === "function" ? replies(call) : replies[Math.min(calls.length, replies.length) - 1];
    if (!reply) throw new Error("no reply configured");
    if ("throws" in reply) throw reply.throws;
    if ("hang" in reply) {
      return new Promise<Response>((_resolve, reject) => {
        const signal = init?.signal;
        signal?.addEventListener("abort", () => reject(signal.reason));
      });
    }
    const text = reply.text ?? (reply.json === undefined ? "" : JSON.stringify(reply.json));
    const contentType = reply.text !== undefined ? "text/plain" : "application/json";
    return new Response(text, {
      status: reply.status,
      headers: { "content-type": contentType, ...reply.headers },
    });
  };
  return { fetch: fetch as typeof globalThis.fetch, calls };
}

/** The error Node's fetch throws when nothing listens on the port. */
export function connectionRefused(): TypeError {
  const cause = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), { code: "ECONNREFUSED" });
  return new TypeError("fetch failed", { cause });
}

/** The error Node's fetch throws when the connection drops mid-answer. */
export function connectionReset(): TypeError {
  const cause = Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" });
  return new TypeError("fetch failed", { cause });
}
