import type { IncomingMessage, ServerResponse } from "node:http";

import { configPatchSchema, publicConfig, type EmulatorConfig } from "./config";
import { parseJson, readBody, sendJson } from "./http";
import type { JobLogEntry } from "./jobs";
import type { RequestLog } from "./log";
import type { WebhookDelivery } from "./webhooks";

// /__emulator/* – for tests and the bench; not logged, no auth (the emulator is local only).

export interface AdminDeps {
  log: RequestLog;
  config: EmulatorConfig;
  configure(patch: Partial<EmulatorConfig>): void;
  jobCount(): number;
  jobs(): JobLogEntry[];
  deliveries(): WebhookDelivery[];
  startedAt: number;
}

export async function handleAdmin(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  deps: AdminDeps,
): Promise<void> {
  const route = `${req.method ?? "GET"} ${path.replace(/\/+$/, "")}`;
  switch (route) {
    case "GET /__emulator/health":
      return sendJson(res, 200, { ok: true, jobs: deps.jobCount(), uptimeMs: Date.now() - deps.startedAt });
    case "GET /__emulator/requests":
      return sendJson(res, 200, deps.log.list());
    case "DELETE /__emulator/requests":
      deps.log.clear();
      res.writeHead(204).end();
      return;
    case "GET /__emulator/jobs":
      return sendJson(res, 200, deps.jobs());
    case "GET /__emulator/webhooks":
      return sendJson(res, 200, deps.deliveries());
    case "GET /__emulator/config":
      return sendJson(res, 200, publicConfig(deps.config));
    case "POST /__emulator/config": {
      const { json, jsonError } = parseJson(await readBody(req));
      const patch = configPatchSchema.safeParse(json);
      if (jsonError || !patch.success) {
        const message = patch.error?.issues
          .map((i) => `${i.path.join(".") || "body"}: ${i.message}`)
          .join("; ");
        return sendJson(res, 400, {
          error: "Invalid config patch",
          message: message ?? "Body must be JSON.",
        });
      }
      deps.configure(patch.data);
      return sendJson(res, 200, publicConfig(deps.config));
    }
    default:
      return sendJson(res, 404, { error: "Not Found", message: "No such admin endpoint." });
  }
}
