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
import { isAspectRatio } from "../images";
import type { Job, JobView } from "../jobs";
import { parseMarkers, type MarkerStatus, type Markers } from "../markers";
import type { WebhookTarget } from "../webhooks";
import { answeredByMarkers, gateway502, isoTime, redirectedToSlash, retryAfter } from "./common";

// Pixazo gateway: edit and remix, 202 + polling URL, webhooks by header (HTTPS only). Errors are
// `{error, message}`. Doc: provider-docs/pixazo-reve-edit-remix.txt

const MODEL_ID = "reve-image-generation";
const EDIT_VERSIONS = ["latest", "reve-edit@20250915"];
const REMIX_VERSIONS = ["latest", "reve-remix@20250915"];
const MAX_REFERENCES = 4;

const ERRORS: Record<MarkerStatus | 404, [string, string]> = {
  400: ["Model not found", `Model '${MODEL_ID}' not found or is disabled`],
  401: ["Unauthorized", "Access denied due to missing or invalid subscription key."],
  402: ["Insufficient Balance", "Your wallet does not have enough balance."],
  403: ["Forbidden", "Your subscription does not have access to this model."],
  404: ["Not Found", "Request not found."],
  429: ["Too Many Requests", "Rate limit exceeded. Try again later."],
  500: ["Internal Server Error", "An unexpected error occurred."],
  503: ["Service Unavailable", "The model is temporarily unavailable."],
  504: ["Gateway Timeout", "The model did not answer in time."],
};

function fail(res: ServerResponse, status: number, error: string, message: string, markers?: Markers): void {
  sendJson(res, status, { error, message }, status === 429 ? retryAfter(markers) : {});
}

function failWith(res: ServerResponse, status: MarkerStatus | 404, markers?: Markers): void {
  const [error, message] = ERRORS[status];
  fail(res, status, error, message, markers);
}

const STATUS_NAMES = { queued: "QUEUED", processing: "PROCESSING", succeeded: "COMPLETED" } as const;

export function pixazoStatusBody(job: Job, view: JobView) {
  const { drift } = job;
  const status =
    view.phase === "failed"
      ? view.kind === "error"
        ? "ERROR"
        : "FAILED"
      : view.phase === "processing" && drift.inBetween
        ? "RUNNING"
        : STATUS_NAMES[view.phase];
  const terminal = view.phase === "succeeded" || view.phase === "failed";
  const updatedAt = terminal ? view.completedAt : view.updatedAt;
  const message = view.phase === "failed" ? view.message : null;
  const error = drift.numericCode ? { code: 500, message: "GENERATION_FAILED" } : message;
  return {
    [drift.idField ? "id" : "request_id"]: job.id,
    status,
    model_id: MODEL_ID,
    error: message === null ? null : error,
    output:
      view.phase === "succeeded"
        ? { media_url: drift.oneUrl ? view.urls[0] : view.urls, media_type: "image/png" }
        : null,
    created_at: isoTime(job.createdAt),
    updated_at: isoTime(updatedAt),
    completed_at: terminal ? isoTime(view.completedAt) : null,
  };
}

/** The callback asked for by header (wins) or by the remix body; a string when it is not acceptable. */
function readWebhook(
  ctx: RequestContext,
  body: Record<string, unknown>,
  operation: "edit" | "remix",
): WebhookTarget | undefined | string {
  const headerUrl = ctx.headers["x-webhook-url"];
  const url = headerUrl ?? (operation === "remix" ? body.webhook : undefined);
  if (url === undefined || url === null || url === "") return undefined;
  if (!isHttpUrl(url)) return "Webhook URL is not a valid URL.";
  if (!isHttpUrl(url, ["https:"])) return "Webhook URL must use HTTPS; plain http:// URLs are rejected.";
  const headerMode = ctx.headers["x-webhook-mode"];
  if (headerMode !== undefined && headerMode !== "terminal" && headerMode !== "sync") {
    return "X-Webhook-Mode must be 'terminal' or 'sync'.";
  }
  const filter = body.webhook_events_filter;
  const allEvents = Array.isArray(filter) && filter.length === 1 && filter[0] === "*";
  return {
    url,
    mode: headerMode === "sync" || (headerMode === undefined && allEvents) ? "sync" : "terminal",
  };
}

function validateFilter(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  return Array.isArray(value) && value.length === 1 && (value[0] === "*" || value[0] === "completed");
}

export function pixazo(emu: EmulatorContext): Reseller {
  const submit = (operation: "edit" | "remix") => (ctx: RequestContext) => {
    const { res } = ctx;
    const body = ctx.json;
    if (ctx.jsonError || !isRecord(body))
      return fail(res, 400, "Bad Request", "Request body must be a JSON object.");
    if (!nonEmptyString(body.prompt)) return fail(res, 400, "Validation Error", "'prompt' is required.");
    let inputs: string[];
    if (operation === "edit") {
      if (!isHttpUrl(body.image)) return fail(res, 400, "Validation Error", "'image' must be an image URL.");
      inputs = [body.image];
    } else {
      const refs = body.reference_images;
      if (
        !Array.isArray(refs) ||
        refs.length < 1 ||
        refs.length > MAX_REFERENCES ||
        !refs.every((r) => isHttpUrl(r))
      ) {
        return fail(res, 400, "Validation Error", "'reference_images' must hold 1 to 4 image URLs.");
      }
      inputs = refs as string[];
      if (body.aspect_ratio !== undefined && !isAspectRatio(body.aspect_ratio)) {
        return fail(
          res,
          400,
          "Validation Error",
          "'aspect_ratio' must be one of 16:9, 9:16, 3:2, 2:3, 4:3, 3:4, 1:1.",
        );
      }
      if (!validateFilter(body.webhook_events_filter)) {
        return fail(res, 400, "Validation Error", `'webhook_events_filter' must be ["*"] or ["completed"].`);
      }
    }
    const versions = operation === "edit" ? EDIT_VERSIONS : REMIX_VERSIONS;
    if (body.version !== undefined && !versions.includes(body.version as string)) {
      return fail(
        res,
        400,
        "Model not found",
        `Model '${MODEL_ID}' version '${String(body.version)}' not found or is disabled`,
      );
    }
    const webhook = readWebhook(ctx, body, operation);
    if (typeof webhook === "string") return fail(res, 400, "Invalid webhook URL", webhook);

    const markers = parseMarkers(body.prompt);
    const id = `reve-image_${randomUUID()}`;
    const pollingUrl = `${emu.baseUrl()}/pixazo/v2/requests/status/${id}`;
    const accepted = {
      [markers.drift.idField ? "id" : "request_id"]: id,
      status: "QUEUED",
      polling_url: pollingUrl,
    };
    const answered = answeredByMarkers(markers, {
      error: (status) => failWith(res, status, markers),
      malformed: () => sendMalformed(res, 202, accepted),
    });
    if (answered) return;

    const job = emu.jobs.create({
      provider: "pixazo",
      id,
      operation,
      prompt: body.prompt,
      ratio: isAspectRatio(body.aspect_ratio) ? body.aspect_ratio : undefined,
      inputs,
      markers,
    });
    if (webhook) emu.webhooks.schedule(job, webhook, (view) => pixazoStatusBody(job, view));
    if (markers.drift.gateway502) return gateway502(res);
    sendJson(res, 202, accepted);
  };

  const status = (ctx: RequestContext) => {
    const job = emu.jobs.get(ctx.params.id ?? "", "pixazo");
    if (!job) return failWith(ctx.res, 404);
    if (job.drift.status401) return failWith(ctx.res, 401);
    if (redirectedToSlash(ctx, job)) return;
    const body = pixazoStatusBody(job, emu.jobs.view(job));
    if (job.malformedStatus) return sendMalformed(ctx.res, 200, body);
    sendJson(ctx.res, 200, body);
  };

  const authed = (handler: (ctx: RequestContext) => void) => (ctx: RequestContext) => {
    if (ctx.headers["ocp-apim-subscription-key"] !== emu.config().pixazoKey) return failWith(ctx.res, 401);
    handler(ctx);
  };

  const router = new Router()
    .add("POST", "/reve-image/v1/image-edit", authed(submit("edit")))
    .add("POST", "/reve-image/v1/image-edit-remix", authed(submit("remix")))
    .add("GET", "/v2/requests/status/:id", authed(status));
  return {
    provider: "pixazo",
    prefix: "/pixazo",
    router,
    noRoute: (res, code) =>
      fail(res, code, code === 404 ? "Not Found" : "Method Not Allowed", "No such endpoint."),
  };
}
