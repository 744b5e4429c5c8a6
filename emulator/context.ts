import type { ServerResponse } from "node:http";

import type { ProviderId } from "@/lib/domain";

import type { EmulatorConfig } from "./config";
import type { FileStore } from "./files";
import type { Router } from "./http";
import type { JobStore } from "./jobs";
import type { WebhookSender } from "./webhooks";

/** What every reseller's routes share. */
export interface EmulatorContext {
  config: () => EmulatorConfig;
  /** Base of absolute URLs handed to clients (polling and result URLs). */
  baseUrl: () => string;
  jobs: JobStore;
  files: FileStore;
  webhooks: WebhookSender;
  /** Aborts when the emulator closes, ending every wait. */
  signal: AbortSignal;
}

/** One reseller mounted under its prefix. */
export interface Reseller {
  provider: ProviderId;
  /** e.g. "/pixazo"; the reseller's base URL is the emulator URL plus this. */
  prefix: string;
  router: Router;
  /** Unknown path (404) or method (405), in the reseller's error shape. */
  noRoute(res: ServerResponse, status: 404 | 405): void;
}
