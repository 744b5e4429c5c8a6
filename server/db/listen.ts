import "server-only";

import type { PGlite } from "@electric-sql/pglite";
import pg from "pg";

import { logUnexpected } from "@/server/log";

import type { PrismaClient } from "./generated/client";

// LISTEN on one channel per process. PostgreSQL: one dedicated connection outside the pool, opened
// on first use and reopened after a drop. PGlite: its own in-process listen, which hears the
// notifications of every statement the process runs. A notification sent inside a transaction
// arrives when it commits, on both.

export type ListenSource = { pglite: PGlite } | { databaseUrl: string };

export interface ChannelListener {
  /** Calls `onPayload` for each notification and `onResync` after a reconnect (some may be lost). */
  subscribe(handlers: { onPayload(payload: string): void; onResync(): void }): () => void;
  /** Resolves once the LISTEN is in place (or failed, to be retried in the background). */
  ready(): Promise<void>;
  close(): Promise<void>;
}

// On globalThis: a built server loads this module once per layer (the instrumentation that opens
// the client, and each route), and every copy must find the same source and listeners.
const globalForListen = globalThis as unknown as {
  reveListenSources?: WeakMap<PrismaClient, ListenSource>;
  reveChannelListeners?: WeakMap<PrismaClient, Map<string, ChannelListener>>;
};
const sources = (globalForListen.reveListenSources ??= new WeakMap());
const listeners = (globalForListen.reveChannelListeners ??= new WeakMap());

/** Records where a client's notifications can be heard; done by whoever opens the client. */
export function rememberListenSource(client: PrismaClient, source: ListenSource): void {
  sources.set(client, source);
}

/** The process's listener on `channel` for this client's database, created on first use. */
export function channelListener(client: PrismaClient, channel: string): ChannelListener {
  let byChannel = listeners.get(client);
  if (!byChannel) listeners.set(client, (byChannel = new Map()));
  let listener = byChannel.get(channel);
  if (!listener) {
    const source = sources.get(client);
    if (!source) throw new Error("This database client was opened without a listen source.");
    listener =
      "pglite" in source ? pgliteListener(source.pglite, channel) : pgListener(source.databaseUrl, channel);
    byChannel.set(channel, listener);
  }
  return listener;
}

/** Closes the client's listeners (tests, scripts). */
export async function closeListeners(client: PrismaClient): Promise<void> {
  const byChannel = listeners.get(client);
  listeners.delete(client);
  await Promise.all([...(byChannel?.values() ?? [])].map((l) => l.close()));
}

type Handlers = Parameters<ChannelListener["subscribe"]>[0];

function fanOut() {
  const handlers = new Set<Handlers>();
  return {
    handlers,
    payload: (p: string) => handlers.forEach((h) => h.onPayload(p)),
    resync: () => handlers.forEach((h) => h.onResync()),
    subscribe(h: Handlers) {
      handlers.add(h);
      return () => void handlers.delete(h);
    },
  };
}

function pgliteListener(db: PGlite, channel: string): ChannelListener {
  const out = fanOut();
  let started: Promise<(() => Promise<void>) | undefined> | undefined;
  const start = () =>
    (started ??= db.listen(channel, out.payload).catch((error: unknown) => {
      logUnexpected(error, `listening on ${channel}`);
      started = undefined;
      return undefined;
    }));
  return {
    subscribe: out.subscribe,
    ready: async () => void (await start()),
    async close() {
      const unlisten = await started;
      if (!db.closed) await unlisten?.();
    },
  };
}

const RECONNECT_MIN_MS = 250;
const RECONNECT_MAX_MS = 5_000;

function pgListener(connectionString: string, channel: string): ChannelListener {
  const out = fanOut();
  let client: pg.Client | undefined;
  let connecting: Promise<void> | undefined;
  let closed = false;
  let delay = RECONNECT_MIN_MS;
  let retry: NodeJS.Timeout | undefined;
  let connectedOnce = false;

  function connect(): Promise<void> {
    return (connecting ??= (async () => {
      const next = new pg.Client({ connectionString });
      next.on("notification", (message) => {
        if (message.channel === channel && message.payload) out.payload(message.payload);
      });
      next.on("error", () => dropped(next));
      next.on("end", () => dropped(next));
      try {
        await next.connect();
        await next.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      } catch (error) {
        logUnexpected(error, `listening on ${channel}`);
        await next.end().catch(() => undefined);
        connecting = undefined;
        scheduleReconnect();
        return;
      }
      if (closed) return void (await next.end().catch(() => undefined));
      client = next;
      delay = RECONNECT_MIN_MS;
      // Whatever was sent while no one listened is unknown: every waiter reads again.
      if (connectedOnce) out.resync();
      connectedOnce = true;
    })());
  }

  function dropped(which: pg.Client) {
    if (client !== which) return;
    client = undefined;
    connecting = undefined;
    which.end().catch(() => undefined);
    scheduleReconnect();
  }

  function scheduleReconnect() {
    if (closed || retry) return;
    retry = setTimeout(() => {
      retry = undefined;
      connectedOnce = true;
      void connect();
    }, delay);
    retry.unref();
    delay = Math.min(RECONNECT_MAX_MS, delay * 2);
  }

  return {
    subscribe: out.subscribe,
    ready: () => connect(),
    async close() {
      closed = true;
      clearTimeout(retry);
      await connecting;
      const current = client;
      client = undefined;
      await current?.end().catch(() => undefined);
    },
  };
}
