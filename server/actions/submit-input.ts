import "server-only";

import type { ZodError } from "zod";

import { invalidInput } from "@/server/action";

/** A submit refused for its input, before any credit moved. */
export const submitInputRefused = (error: ZodError) => invalidInput(error, { nothingCharged: true });
