import { z } from "zod";

import { GENERATION_STATUSES } from "./domain";
import type { GenerationDto } from "./dto";

// The query strings of the long-polled status routes, read on the server and written by the hooks.

/** The longest a status request waits for a change before it answers unchanged. */
export const MAX_WAIT_SECONDS = 25;

const waitSchema = z
  .string()
  .regex(/^\d{1,2}$/, `wait is a whole number of seconds from 0 to ${MAX_WAIT_SECONDS}.`)
  .transform(Number)
  .refine((n) => n <= MAX_WAIT_SECONDS, `wait is a whole number of seconds from 0 to ${MAX_WAIT_SECONDS}.`)
  .optional();

/** GET /api/generations/<id>?wait=<s>&since=<status the caller shows> */
export const statusQuerySchema = z.object({
  wait: waitSchema,
  since: z.enum(GENERATION_STATUSES, { error: "since is a job status." }).optional(),
});

/** An active-jobs cursor: when the answer was read, and a digest of the running jobs it listed. */
export const ACTIVE_CURSOR = /^(\d{1,15})\.([0-9a-f]{16})$/;

/** GET /api/generations/active?wait=<s>&cursor=<the last answer's cursor> */
export const activeQuerySchema = z.object({
  wait: waitSchema,
  cursor: z.string().regex(ACTIVE_CURSOR, "cursor is not one this route gave out.").optional(),
});

/** The user's running jobs, and those that ended since the cursor, with the cursor to send next. */
export interface ActiveJobsDto {
  jobs: GenerationDto[];
  cursor: string;
}
