// POST /api/webhooks/<provider>/<generationId>?token=… – a reseller's callback about one job.
import { after, NextResponse } from "next/server";

import { AppError } from "@/server/errors";
import { getLifecycleDeps } from "@/server/generations/deps";
import { receiveWebhook, WEBHOOK_MAX_BYTES } from "@/server/generations/webhook";
import { publicRoute } from "@/server/http";
import { logUnexpected } from "@/server/log";

// No session: the job's own token, compared with the hash stored at submit, authenticates the call.
export const POST = publicRoute<{ provider: string; generationId: string }>(
  async (request, { params: { provider, generationId } }) => {
    const length = Number(request.headers.get("content-length") ?? 0);
    if (length > WEBHOOK_MAX_BYTES) throw new AppError("payload_too_large", "Webhook body too large.");
    const rawBody = await request.text();
    if (rawBody.length > WEBHOOK_MAX_BYTES)
      throw new AppError("payload_too_large", "Webhook body too large.");

    const receipt = await receiveWebhook(getLifecycleDeps(), {
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
          logUnexpected(error, `webhook processing for ${provider}`);
        }
      });
    }
    return NextResponse.json({ received: true, duplicate: receipt.duplicate });
  },
);
