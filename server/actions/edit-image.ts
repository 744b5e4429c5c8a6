"use server";

import "server-only";

import type { EditImageInput } from "@/lib/generation-input";
import { editImageSchema } from "@/lib/generation-input";
import { requireUser } from "@/server/auth/session";
import type { ActionResult } from "@/server/errors";
import { getLifecycleDeps } from "@/server/generations/deps";
import { submitGeneration } from "@/server/generations/submit";

import { parseInput, runAction } from "./submit-result";

export async function editImage(input: EditImageInput): Promise<ActionResult<{ generationId: string }>> {
  return runAction(async () => {
    const user = await requireUser();
    const { assetId, ...data } = parseInput(editImageSchema, input);
    return submitGeneration(getLifecycleDeps(), {
      userId: user.id,
      kind: "edit",
      assetIds: [assetId],
      ...data,
    });
  });
}
