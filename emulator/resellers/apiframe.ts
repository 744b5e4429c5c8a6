import { randomUUID } from "node:crypto";
import type { ServerResponse } from "node:http";

import type { EmulatorContext, Reseller } from "../context";
import {
  isHttpUrl,
  isRecord,
  nonEmptyString,
  Router,
  sendJson,
  sendMalformed,
  type RequestContext,
} from "../http";
import type { Job, JobView } from "../jobs";
import { parseMarkers, type MarkerStatus, type Markers } from "../markers";
import { answeredByMarkers, gateway502, readSeed, redirectedToSlash, retryAfter } from "./common";

// Apiframe: create only, 202 + jobId, poll /v2/jobs/{id} or get a webhook at the end. Its error
// shape is not documented; `{error, message}` keeps it simple. Doc: provider-docs/apiframe-reve-create.txt

const MODEL = "reve-create";

const ERRORS: Record<MarkerStatus | 404 | 405, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  402: "Payment Required",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

const MESSAGES: Partial<Record<MarkerStatus | 404 | 405, string>> = {
  401: "Invalid or missing API key.",
  402: "Not enough credits for this request.",
  404: "Not found.",
  429: "Too many requests, slow down.",
};

function fail(
  res: ServerResponse,
  status: MarkerStatus | 404 | 405,
  message = MESSAGES[status],
  markers?: Markers,
): void {
  sendJson(
    res,
    status,
    { error: ERRORS[status], message: message ?? ERRORS[status] },
    status === 429 ? retryAfter(markers) : {},
  );
}

const STATUS_NAMES = {
  queued: "QUEUED",
  processing: "PROCESSING",
  succeeded: "COMPLETED",
  failed: "FAILED",
} as const;

export function apiframeJobBody(job: Job, view: JobView) {
  const { drift } = job;
  const body: Record<string, unknown> = {
    [drift.idField ? "id" : "jobId"]: job.id,
    status: view.phase === "processing" && drift.inBetween ? "IN_PROGRESS" : STATUS_NAMES[view.phase],
  };
  // One URL as a string; several (only with [emu:multi]) as an array, as the doc allows both.
  if (view.phase === "succeeded")
    body.result = view.urls.length === 1 || drift.oneUrl ? view.urls[0] : view.urls;
  if (view.phase === "failed")
    body.error = drift.numericCode ? { code: 500, message: "GENERATION_FAILED" } : view.message;
  return body;
}

export function apiframe(emu: EmulatorContext): Reseller {
  const submit = (ctx: RequestContext) => {
    const { res } = ctx;
    const body = ctx.json;
    if (ctx.jsonError || !isRecord(body)) return fail(res, 400, "Request body must be a JSON object.");
    if (!nonEmptyString(body.prompt)) return fail(res, 400, "prompt is required.");
    if (body.model !== MODEL) return fail(res, 400, `Unsupported model; this endpoint serves "${MODEL}".`);
    const params = body.reveParams;
    if (params !== undefined && !isRecord(params)) return fail(res, 400, "reveParams must be an object.");
    const seed = readSeed(params?.seed);
    if (seed === "invalid") return fail(res, 400, "reveParams.seed must be a whole number.");
    const webhookUrl = body.webhook_url;
    if (webhookUrl !== undefined && !isHttpUrl(webhookUrl))
      return fail(res, 400, "webhook_url must be a URL.");

    const markers = parseMarkers(body.prompt);
    const id = randomUUID();
    const accepted = { [markers.drift.idField ? "id" : "jobId"]: id, status: "QUEUED" };
    if (
      answeredByMarkers(markers, {
        error: (s) => fail(res, s, undefined, markers),
        malformed: () => sendMalformed(res, 202, accepted),
      })
    ) {
      return;
    }
    const job = emu.jobs.create({
      provider: "apiframe",
      id,
      operation: "create",
      prompt: body.prompt,
      seed,
      markers,
    });
    if (webhookUrl !== undefined) {
      emu.webhooks.schedule(job, { url: webhookUrl, mode: "terminal" }, (view) => apiframeJobBody(job, view));
    }
    if (markers.drift.gateway502) return gateway502(res);
    sendJson(res, 202, accepted);
  };

  const status = (ctx: RequestContext) => {
    const job = emu.jobs.get(ctx.params.id ?? "", "apiframe");
    if (!job) return fail(ctx.res, 404, "Job not found.");
    if (job.drift.status401) return fail(ctx.res, 401);
    if (redirectedToSlash(ctx, job)) return;
    const body = apiframeJobBody(job, emu.jobs.view(job));
    if (job.malformedStatus) return sendMalformed(ctx.res, 200, body);
    sendJson(ctx.res, 200, body);
  };

  const authed = (handler: (ctx: RequestContext) => void) => (ctx: RequestContext) => {
    if (ctx.headers["x-api-key"] !== emu.config().apiframeKey) return fail(ctx.res, 401);
    handler(ctx);
  };

  return {
    provider: "apiframe",
    prefix: "/apiframe",
    router: new Router()
      .add("POST", "/v2/images/generate", authed(submit))
      .add("GET", "/v2/jobs/:id", authed(status)),
    noRoute: (res, code) => fail(res, code),
  };
}
