"use server";

import "server-only";

import type { CreateImageInput } from "@/lib/generation-input";
import { createImageSchema } from "@/lib/generation-input";
import { requireUser } from "@/server/auth/session";
import type { ActionResult } from "@/server/errors";
import { getLifecycleDeps } from "@/server/generations/deps";
import { submitGeneration } from "@/server/generations/submit";

import { parseInput, runAction } from "./submit-result";

export async function createImage(input: CreateImageInput): Promise<ActionResult<{ generationId: string }>> {
  return runAction(async () => {
    const user = await requireUser();
    const data = parseInput(createImageSchema, input);
    return submitGeneration(getLifecycleDeps(), { userId: user.id, kind: "create", ...data });
  });
}
