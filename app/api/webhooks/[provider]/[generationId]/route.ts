// POST /api/webhooks/<provider>/<generationId>?token=… – a reseller's callback about one job.
import { after, NextResponse } from "next/server";

import { AppError } from "@/server/errors";
import { getLifecycleDeps } from "@/server/generations/deps";
import { receiveWebhook, WEBHOOK_MAX_BYTES } from "@/server/generations/webhook";
import { jsonError } from "@/server/http";

export async function POST(
  request: Request,
  { params }: { params: Promise<{ provider: string; generationId: string }> },
) {
  try {
    const { provider, generationId } = await params;
    const length = Number(request.headers.get("content-length") ?? 0);
    if (length > WEBHOOK_MAX_BYTES) throw new AppError("payload_too_large", "Webhook body too large.");
    const rawBody = await request.text();
    if (rawBody.length > WEBHOOK_MAX_BYTES)
      throw new AppError("payload_too_large", "Webhook body too large.");

    const deps = getLifecycleDeps();
    const receipt = await receiveWebhook(deps, {
      provider,
      generationId,
      token: new URL(request.url).searchParams.get("token"),
      rawBody,
      headers: request.headers,
    });
    if (!receipt.duplicate) {
      const { apply } = receipt;
      after(async () => {
        try {
          await apply();
        } catch (error) {
          // The poller picks the job up again; the delivery itself was fine.
          console.error("Webhook processing failed", error instanceof Error ? error.name : typeof error);
        }
      });
    }
    return NextResponse.json({ received: true, duplicate: receipt.duplicate });
  } catch (error) {
    return jsonError(error);
  }
}
