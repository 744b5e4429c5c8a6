// npm run db:migrate – applies prisma/migrations to the configured database (PGlite by default).
import { parseDbEnv } from "@/server/db/env";
import { migrate } from "@/server/db/migrate";
import { openPGlite, pgliteDirFor, pgliteExecutor, postgresExecutor } from "@/server/db/sql-executor";

const dbEnv = parseDbEnv(process.env);
const target = dbEnv.DATABASE_URL
  ? await postgresExecutor(dbEnv.DATABASE_URL)
  : pgliteExecutor(openPGlite(dbEnv.PGLITE_DIR ?? pgliteDirFor(dbEnv.DATA_DIR)), { owned: true });

try {
  const { applied, alreadyApplied } = await migrate(target);
  const where = dbEnv.DATABASE_URL ? "PostgreSQL" : "embedded PGlite";
  console.log(
    applied.length
      ? `Applied ${applied.length} migration(s) on ${where}: ${applied.join(", ")}`
      : `Database on ${where} is up to date (${alreadyApplied.length} migration(s)).`,
  );
} finally {
  await target.close();
}
