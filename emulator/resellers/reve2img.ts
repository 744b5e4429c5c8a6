import { randomUUID } from "node:crypto";
import type { ServerResponse } from "node:http";

import type { EmulatorContext, Reseller } from "../context";
import { closed, isHttpUrl, isRecord, Router, sendJson, sendMalformed, type RequestContext } from "../http";
import { isAspectRatio } from "../images";
import type { Job, JobView } from "../jobs";
import { parseMarkers, type MarkerStatus, type Markers } from "../markers";
import {
  answeredByMarkers,
  bearerToken,
  gateway502,
  readSeed,
  redirectedToSlash,
  retryAfter,
} from "./common";

// reve2img: one generate endpoint for every model, an envelope `{code, message, data}` on every
// answer, the HTTP status repeated in `code`. Doc: provider-docs/reve2img-api-reference.txt

type ErrorMessage =
  | "INVALID_PROMPT"
  | "INVALID_MODEL"
  | "INVALID_PARAMETER"
  | "CONTENT_POLICY_VIOLATION"
  | "INVALID_API_KEY"
  | "INSUFFICIENT_CREDITS"
  | "TASK_NOT_FOUND"
  | "RATE_LIMITED"
  | "TOO_MANY_TASKS"
  | "GENERATION_FAILED"
  | "SERVICE_UNAVAILABLE"
  | "TIMEOUT";

/** The doc's table, by HTTP status; 403 has no row, a revoked key is the nearest. */
const BY_STATUS: Record<MarkerStatus, [ErrorMessage, string]> = {
  400: ["INVALID_PARAMETER", "A parameter is invalid or missing."],
  401: ["INVALID_API_KEY", "Missing or invalid API key."],
  402: ["INSUFFICIENT_CREDITS", "Not enough credits for this request."],
  403: ["INVALID_API_KEY", "This API key is not allowed to use this model."],
  429: ["RATE_LIMITED", "Too many requests — slow down."],
  500: ["GENERATION_FAILED", "Internal error. Safe to retry."],
  503: ["SERVICE_UNAVAILABLE", "Upstream model temporarily unavailable."],
  504: ["TIMEOUT", "The task timed out."],
};

function fail(
  res: ServerResponse,
  code: number,
  message: ErrorMessage | "NOT_FOUND",
  detail: string,
  markers?: Markers,
): void {
  sendJson(res, code, { code, message, detail }, code === 429 ? retryAfter(markers) : {});
}

const ok = (data: unknown) => ({ code: 200, message: "success", data });

const ERROR_CODES = {
  fail: "GENERATION_FAILED",
  error: "GENERATION_FAILED",
  input: "GENERATION_FAILED",
  policy: "CONTENT_POLICY_VIOLATION",
} as const;

export function reve2imgTaskData(job: Job, view: JobView, creditsPerImage: number) {
  const { drift } = job;
  const id = { [drift.idField ? "id" : "task_id"]: job.id };
  if (view.phase === "succeeded") {
    return {
      ...id,
      status: "SUCCESS",
      consumed_credits: creditsPerImage * view.urls.length,
      response: { resultUrls: drift.oneUrl ? view.urls[0] : view.urls },
    };
  }
  if (view.phase === "failed") {
    // The envelope's own convention ([emu:numcode]): the HTTP-like number in code, the machine text in message.
    const error = drift.numericCode
      ? { code: 500, message: ERROR_CODES[view.kind] }
      : { code: ERROR_CODES[view.kind], message: view.message };
    return { ...id, status: "FAILED", error };
  }
  return { ...id, status: view.phase === "processing" && drift.inBetween ? "PROCESSING" : "IN_PROGRESS" };
}

export function reve2img(emu: EmulatorContext): Reseller {
  const creditsOf = (job: Job) => emu.config().reve2imgModels[job.model ?? ""]?.creditsPerImage ?? 12;

  const generate = async (ctx: RequestContext) => {
    const { res } = ctx;
    const body = ctx.json;
    if (ctx.jsonError || !isRecord(body)) return fail(res, 400, "INVALID_PARAMETER", "Invalid JSON body.");
    const modelName = typeof body.model === "string" ? body.model : "";
    const model = Object.hasOwn(emu.config().reve2imgModels, modelName)
      ? emu.config().reve2imgModels[modelName]
      : undefined;
    if (!model) return fail(res, 400, "INVALID_MODEL", "Unknown or missing model.");
    if (typeof body.prompt !== "string" || body.prompt.trim() === "") {
      return fail(res, 400, "INVALID_PROMPT", "prompt is missing or empty.");
    }
    if (body.aspect_ratio !== undefined && !isAspectRatio(body.aspect_ratio)) {
      return fail(
        res,
        400,
        "INVALID_PARAMETER",
        "aspect_ratio must be one of 1:1, 16:9, 9:16, 4:3, 3:4, 3:2, 2:3.",
      );
    }
    const urls = body.image_urls ?? [];
    if (!Array.isArray(urls) || !urls.every((u) => isHttpUrl(u))) {
      return fail(res, 400, "INVALID_PARAMETER", "image_urls must be an array of URLs.");
    }
    const [min, max] = { create: [0, 0], edit: [1, 1], remix: [1, 4] }[model.operation];
    if (urls.length < min! || urls.length > max!) {
      const detail =
        max === 0
          ? `image_urls is not supported by model ${modelName}.`
          : `model ${modelName} takes ${min} to ${max} image_urls.`;
      return fail(res, 400, "INVALID_PARAMETER", detail);
    }
    const seed = readSeed(body.seed);
    if (seed === "invalid") return fail(res, 400, "INVALID_PARAMETER", "seed must be a whole number.");

    const markers = parseMarkers(body.prompt);
    if (markers.outcome === "policy") {
      return fail(res, 400, "CONTENT_POLICY_VIOLATION", "Prompt rejected by content moderation.");
    }
    if (markers.tooMany && !markers.timeout && markers.status === undefined) {
      return fail(res, 429, "TOO_MANY_TASKS", "Too many tasks in flight — wait for them to finish.", markers);
    }
    const id = randomUUID();
    const accepted = ok({ [markers.drift.idField ? "id" : "task_id"]: id, status: "IN_PROGRESS" });
    const answered = answeredByMarkers(markers, {
      error: (status) => fail(res, status, ...BY_STATUS[status], markers),
      malformed: () => sendMalformed(res, 200, accepted),
    });
    if (answered) return;

    const job = emu.jobs.create({
      provider: "reve2img",
      id,
      model: modelName,
      operation: model.operation,
      prompt: body.prompt,
      seed,
      ratio: isAspectRatio(body.aspect_ratio) ? body.aspect_ratio : undefined,
      inputs: urls as string[],
      markers,
      // A synchronous model answers with its result; only [emu:slow] makes it take time.
      durationMs: model.sync ? (markers.slowMs ?? 0) : undefined,
    });
    if (markers.drift.gateway502) return gateway502(res);
    if (!model.sync || job.outcome === "never") return sendJson(res, 200, accepted);
    const gone = new AbortController();
    closed(res).then(
      () => gone.abort(),
      () => undefined,
    );
    try {
      const view = await emu.jobs.whenTerminal(job, AbortSignal.any([emu.signal, gone.signal]));
      sendJson(res, 200, ok(reve2imgTaskData(job, view, model.creditsPerImage)));
    } catch {
      // The client left or the emulator is closing: nobody to answer.
    }
  };

  const status = (ctx: RequestContext) => {
    const taskId = ctx.query.task_id;
    if (!taskId) return fail(ctx.res, 400, "INVALID_PARAMETER", "task_id is required.");
    const job = emu.jobs.get(taskId, "reve2img");
    if (!job)
      return fail(ctx.res, 404, "TASK_NOT_FOUND", "No task with that task_id belongs to your account.");
    if (job.drift.status401) return fail(ctx.res, 401, "INVALID_API_KEY", "Missing or invalid API key.");
    if (redirectedToSlash(ctx, job)) return;
    const body = ok(reve2imgTaskData(job, emu.jobs.view(job), creditsOf(job)));
    if (job.malformedStatus) return sendMalformed(ctx.res, 200, body);
    sendJson(ctx.res, 200, body);
  };

  const authed = (handler: (ctx: RequestContext) => void | Promise<void>) => (ctx: RequestContext) => {
    if (bearerToken(ctx.headers) !== emu.config().reve2imgKey) {
      return fail(ctx.res, 401, "INVALID_API_KEY", "Missing or invalid API key.");
    }
    return handler(ctx);
  };

  return {
    provider: "reve2img",
    prefix: "/reve2img",
    router: new Router()
      .add("POST", "/api/v1/generate", authed(generate))
      .add("GET", "/api/v1/status", authed(status)),
    noRoute: (res, code) =>
      fail(res, code, "NOT_FOUND", code === 404 ? "No such endpoint." : "Method not allowed."),
  };
}
