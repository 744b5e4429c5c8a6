import "server-only";

import { z } from "zod";

// The database variables alone: scripts such as the migrate step run before the app's secrets
// exist, so they must not parse the whole environment.
const optional = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? undefined : v.trim()));

export const dbEnvSchema = z.object({
  DATABASE_URL: optional.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
      .optional(),
  ),
  PGLITE_DIR: optional,
  DATA_DIR: z.string().default("./data"),
});

export function parseDbEnv(source: Record<string, string | undefined>) {
  const result = dbEnvSchema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}\nSee .env.example.`);
  }
  return result.data;
}
