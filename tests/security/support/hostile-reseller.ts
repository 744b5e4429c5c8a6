import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

import type { ProviderId } from "@/lib/domain";

import { startServer } from "./servers";

// A reseller that misbehaves in every way it can while carrying secrets: error bodies that quote
// the studio's key (and echo the request headers, key included), failure reasons and webhook
// bodies full of its own internals. It serves all four resellers' paths under /<provider>.

/** What the reseller does with a job, chosen by `case:<name>` in the prompt. */
export const SCENARIOS = [
  "http500", // 500, a JSON body quoting the key and the request headers
  "http401", // 401 "invalid key <key>"
  "http400policy", // 400 mentioning the content policy, plus the key
  "http502html", // 502 with an HTML page
  "garbage200", // 2xx that is not the documented shape, key inside
  "statusFailed", // accepted, then status FAILED with a reason quoting the key
  "status401", // accepted, then status reads refused with the key in the body
  "webhookFailed", // accepted, then (from the test) a webhook whose reason quotes the key
] as const;
export type Scenario = (typeof SCENARIOS)[number];

/** Words of the reseller's bodies and of the headers it echoes, which no message of ours contains. */
export const UPSTREAM_PHRASES = [
  "revoked",
  "invalid key",
  "violation",
  "Internal Server Error",
  "<html>",
  "at handler",
  "authorization",
  "x-api-key",
  "ocp-apim",
  "bearer",
];

const PROVIDERS: ProviderId[] = ["pixazo", "apiframe", "reve2img", "reveart"];

export async function startHostileReseller(keys: Record<ProviderId, string>) {
  /** Free text only this reseller writes. */
  const upstream = `UPSTREAM_INTERNAL_${randomBytes(6).toString("hex")}`;
  const bodies: string[] = [];
  // Callback URLs the studio gave, by the job id answered; the webhook token is in them.
  const callbacks = new Map<string, string>();

  const send = (res: ServerResponse, status: number, body: unknown, type = "application/json") => {
    const text = typeof body === "string" ? body : JSON.stringify(body);
    bodies.push(text);
    res.writeHead(status, { "content-type": type });
    res.end(text);
  };
  const accepted = (provider: ProviderId, jobId: string) =>
    ({
      pixazo: { request_id: jobId, status: "QUEUED" },
      apiframe: { jobId, status: "QUEUED" },
      reve2img: { code: 200, message: "success", data: { task_id: jobId, status: "IN_PROGRESS" } },
      reveart: { id: jobId, status: "pending" },
    })[provider];

  /** The reseller's terminal failure for a job, its reason quoting the key. */
  const failed = (provider: ProviderId, jobId: string) => {
    const reason = `${upstream} ${keys[provider]}`;
    return {
      pixazo: { request_id: jobId, status: "FAILED", error: reason },
      apiframe: { jobId, status: "FAILED", error: reason },
      reve2img: {
        code: 200,
        message: "success",
        data: { task_id: jobId, status: "FAILED", error: { code: reason, message: reason } },
      },
      reveart: { id: jobId, status: "failed", error: reason },
    }[provider];
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://reseller");
    const provider = PROVIDERS.find((p) => url.pathname.startsWith(`/${p}/`)) ?? "reveart";
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString();
    const echo = { headers: req.headers, detail: `${upstream} key=${keys[provider]}` };
    if (req.method === "GET") {
      const jobId = url.searchParams.get("task_id") ?? url.pathname.split("/").pop()!;
      const scenario = jobId.split("~")[0] as Scenario;
      if (scenario === "status401")
        return send(res, 401, { error: `key ${keys[provider]} revoked`, ...echo });
      if (scenario === "statusFailed") return send(res, 200, failed(provider, jobId));
      return send(res, 200, accepted(provider, jobId));
    }
    const scenario = SCENARIOS.find((s) => raw.includes(`case:${s}`)) ?? "http500";
    const jobId = `${scenario}~${randomBytes(4).toString("hex")}`;
    let callback: unknown = req.headers["x-webhook-url"];
    try {
      callback ??= (JSON.parse(raw) as { webhook_url?: string }).webhook_url;
    } catch {
      // not JSON
    }
    if (typeof callback === "string") callbacks.set(jobId, callback);
    switch (scenario) {
      case "http500":
        return send(res, 500, { error: "Internal Server Error", ...echo, stack: `${upstream}\n at handler` });
      case "http401":
        return send(res, 401, { error: `invalid key ${keys[provider]}`, message: upstream });
      case "http400policy":
        return send(res, 400, { error: `content policy violation ${upstream}`, message: keys[provider] });
      case "http502html":
        return send(res, 502, `<html><body>${upstream} ${keys[provider]}</body></html>`, "text/html");
      case "garbage200":
        return send(res, 200, { ok: true, note: `${upstream} ${keys[provider]}` });
      default:
        return send(res, 202, accepted(provider, jobId));
    }
  };

  const server = await startServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  return { ...server, upstream, bodies, callbacks, failed };
}
