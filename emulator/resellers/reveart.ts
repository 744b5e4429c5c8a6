import { randomUUID } from "node:crypto";
import type { ServerResponse } from "node:http";

import type { EmulatorContext, Reseller } from "../context";
import {
  closed,
  isRecord,
  nonEmptyString,
  Router,
  sendJson,
  sendMalformed,
  sendText,
  type RequestContext,
} from "../http";
import { isAspectRatio } from "../images";
import type { Job, JobView } from "../jobs";
import { parseMarkers, stripMarkers, type MarkerStatus, type Markers } from "../markers";
import { answeredByMarkers, bearerToken, gateway502, isoTime, redirectedToSlash, retryAfter } from "./common";

// reve-art: create only, synchronous by default (the answer waits for the image) or async with
// polling. Errors are non-2xx answers with a plain-text body. Doc: provider-docs/reve-art-api.txt

const MODEL = "text2image_v1";

const TEXTS: Record<MarkerStatus | 404 | 405, string> = {
  400: "Bad request",
  401: "Unauthorized: invalid API key",
  402: "Insufficient credits",
  403: "Forbidden",
  404: "Not found",
  405: "Method not allowed",
  429: "Rate limit exceeded: 10 requests per minute",
  500: "Internal server error",
  503: "Service unavailable",
  504: "Gateway timeout",
};

function fail(res: ServerResponse, status: number, text: string, markers?: Markers): void {
  sendText(res, status, text, status === 429 ? retryAfter(markers) : {});
}

export function reveartStatusBody(job: Job, view: JobView) {
  if (view.phase === "succeeded") {
    return {
      id: job.id,
      status: "completed",
      url: view.urls[0],
      metadata: {
        prompt: job.prompt,
        width: view.width,
        height: view.height,
        model: MODEL,
        created_at: isoTime(job.createdAt),
      },
    };
  }
  // Undocumented: a failure's shape. "failed" names it; [emu:numcode] gives a numeric code.
  if (view.phase === "failed") {
    const error = job.drift.numericCode ? { code: 500, message: "GENERATION_FAILED" } : view.message;
    return { id: job.id, status: "failed", error };
  }
  // Undocumented too: an in-between state while the image is made.
  if (view.phase === "processing" && job.drift.inBetween) return { id: job.id, status: "processing" };
  return { id: job.id, status: "pending" };
}

export function reveart(emu: EmulatorContext): Reseller {
  const recent = new Map<string, number[]>();

  /** Sliding one-minute window per key; only generate requests count, so polling stays free. */
  const overLimit = (key: string): boolean => {
    const limit = emu.config().reveartRateLimitPerMinute;
    if (limit <= 0) return false;
    const now = Date.now();
    const times = (recent.get(key) ?? []).filter((t) => now - t < 60_000);
    recent.set(key, times);
    if (times.length >= limit) return true;
    times.push(now);
    return false;
  };

  const generate = async (ctx: RequestContext, key: string) => {
    const { res } = ctx;
    if (overLimit(key)) return fail(res, 429, TEXTS[429]);
    const body = ctx.json;
    if (ctx.jsonError || !isRecord(body)) return fail(res, 400, "Invalid JSON body");
    if (!nonEmptyString(body.prompt)) return fail(res, 400, "prompt is required");
    if (body.negative_prompt !== undefined && typeof body.negative_prompt !== "string") {
      return fail(res, 400, "negative_prompt must be a string");
    }
    const ratio = body.aspect_ratio ?? "1:1";
    if (!isAspectRatio(ratio))
      return fail(res, 400, "aspect_ratio must be one of 1:1, 16:9, 4:3, 3:4, 9:16, 2:3, 3:2");
    if (body.async !== undefined && typeof body.async !== "boolean")
      return fail(res, 400, "async must be a boolean");

    const markers = parseMarkers(body.prompt);
    const id = `img_${randomUUID().replace(/-/g, "")}`;
    const pending = { id, status: "pending" };
    const answered = answeredByMarkers(markers, {
      error: (status) => fail(res, status, TEXTS[status], markers),
      malformed: () =>
        sendMalformed(res, 200, body.async === true ? pending : { ...pending, status: "completed" }),
    });
    if (answered) return;

    const job = emu.jobs.create({
      provider: "reveart",
      id,
      operation: "create",
      prompt: body.prompt,
      negativePrompt: stripMarkers(body.negative_prompt ?? "") || undefined,
      ratio,
      markers,
    });
    if (markers.drift.gateway502) return gateway502(res);
    if (body.async === true) return sendJson(res, 200, pending);

    const gone = new AbortController();
    closed(res).then(
      () => gone.abort(),
      () => undefined,
    );
    let view: JobView;
    try {
      view = await emu.jobs.whenTerminal(job, AbortSignal.any([emu.signal, gone.signal]));
    } catch {
      return; // the client left or the emulator is closing
    }
    if (view.phase === "failed") {
      return fail(res, view.kind === "policy" ? 400 : 500, `Image generation failed: ${view.message}`);
    }
    if (view.phase !== "succeeded") return fail(res, 500, "Image generation failed");
    // The synchronous answer's metadata, as documented, has no model field.
    sendJson(res, 200, {
      id: job.id,
      status: "completed",
      url: view.urls[0],
      metadata: {
        prompt: job.prompt,
        width: view.width,
        height: view.height,
        created_at: isoTime(job.createdAt),
      },
    });
  };

  const status = (ctx: RequestContext) => {
    const job = emu.jobs.get(ctx.params.id ?? "", "reveart");
    if (!job) return fail(ctx.res, 404, "Image not found");
    if (job.drift.status401) return fail(ctx.res, 401, TEXTS[401]);
    if (redirectedToSlash(ctx, job)) return;
    const body = reveartStatusBody(job, emu.jobs.view(job));
    if (job.malformedStatus) return sendMalformed(ctx.res, 200, body);
    sendJson(ctx.res, 200, body);
  };

  const authed =
    (handler: (ctx: RequestContext, key: string) => void | Promise<void>) => (ctx: RequestContext) => {
      const key = bearerToken(ctx.headers);
      if (key !== emu.config().reveartKey) return fail(ctx.res, 401, TEXTS[401]);
      return handler(ctx, key);
    };

  return {
    provider: "reveart",
    prefix: "/reveart",
    router: new Router()
      .add("POST", "/v1/reve-image/generate", authed(generate))
      .add("POST", "/v1/images/generate", authed(generate))
      .add("GET", "/v1/reve-image/status/:id", authed(status)),
    noRoute: (res, code) => fail(res, code, TEXTS[code]),
  };
}
