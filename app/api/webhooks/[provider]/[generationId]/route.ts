// POST /api/webhooks/<provider>/<generationId>?token=… – a reseller's callback about one job.
import { after, NextResponse } from "next/server";

import { AppError } from "@/server/errors";
import { getLifecycleDeps } from "@/server/generations/deps";
import { acceptWebhook, authenticateWebhook, WEBHOOK_MAX_BYTES } from "@/server/generations/webhook";
import { publicRoute } from "@/server/http";
import { logUnexpected } from "@/server/log";
import { countWebhook } from "@/server/ops/metrics";
import { readBodyText } from "@/server/read-body";

const tooLarge = () => new AppError("payload_too_large", "Webhook body too large.");

// No session: the job's own token, compared with the hash stored at submit, authenticates the call,
// before a byte of the body is read; the body is then read under WEBHOOK_MAX_BYTES.
export const POST = publicRoute<{ provider: string; generationId: string }>(
  async (request, { params: { provider, generationId } }) =>
    countWebhook(provider, async () => {
      const deps = getLifecycleDeps();
      const token = new URL(request.url).searchParams.get("token");
      const job = await authenticateWebhook(deps, { provider, generationId, token });
      const rawBody = await readBodyText(request, { maxBytes: WEBHOOK_MAX_BYTES, tooLarge });

      const receipt = await acceptWebhook(deps, job, rawBody, request.headers);
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
    }),
);
