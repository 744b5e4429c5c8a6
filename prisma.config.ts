import { defineConfig } from "prisma/config";

// The CLI reads the URL only for `prisma migrate deploy` in production; the app itself connects
// through a driver adapter (server/db/client.ts) and never reads this file.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/reve_studio" },
});
