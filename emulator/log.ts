// The request log tests and the bench read back: what each client sent and when it was answered.

export type LoggedProvider = "pixazo" | "apiframe" | "reve2img" | "reveart" | "files";

export interface LoggedRequest {
  seq: number;
  provider: LoggedProvider;
  method: string;
  /** Path after the prefix, e.g. "/reve-image/v1/image-edit". */
  path: string;
  fullPath: string;
  query: Record<string, string>;
  /** Lower-cased, as received. */
  headers: Record<string, string>;
  /** Parsed JSON, the raw string when it is not JSON, null when there was no body. */
  body: unknown;
  /** 0 when the client left before an answer was sent. */
  status: number;
  startedAt: number;
  endedAt: number;
}

export const MAX_LOGGED_REQUESTS = 20_000;

export class RequestLog {
  private entries: LoggedRequest[] = [];
  private nextSeq = 1;

  constructor(private readonly limit = MAX_LOGGED_REQUESTS) {}

  /** Numbers a request when it arrives, so the log keeps arrival order even for slow answers. */
  takeSeq(): number {
    return this.nextSeq++;
  }

  add(entry: LoggedRequest): void {
    this.entries.push(entry);
    if (this.entries.length > this.limit * 1.1) this.entries = this.entries.slice(-this.limit);
  }

  list(): LoggedRequest[] {
    return this.entries.slice(-this.limit).sort((a, b) => a.seq - b.seq);
  }

  clear(): void {
    this.entries = [];
  }
}

/** One short stdout line per request: never a header, a key or a query string. */
export function printRequest(entry: LoggedRequest): void {
  const ms = entry.endedAt - entry.startedAt;
  console.log(`${entry.method} ${entry.fullPath.split("?")[0]} ${entry.status || "aborted"} ${ms}ms`);
}
