import { QueryClient } from "@tanstack/react-query";

/** The one query-client factory: one client per browser tab, a fresh one per server render. */
export function makeQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 5_000,
        retry: (failures, error) => failures < 3 && !(error instanceof HttpError && error.status < 500),
        refetchOnWindowFocus: true,
      },
    },
  });
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = "HttpError";
  }
}

/** GETs JSON from one of our routes; a non-2xx answer becomes an HttpError with the route's message. */
export async function fetchJson<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, { ...init, headers: { accept: "application/json", ...init?.headers } });
  const body = (await response.json().catch(() => null)) as
    (T & { error?: { code?: string; message?: string } }) | null;
  if (!response.ok) {
    throw new HttpError(
      response.status,
      body?.error?.message ?? "The server could not answer. Try again.",
      body?.error?.code,
    );
  }
  return body as T;
}
