import pg from "pg";

// A gallery seeded straight in SQL: `count` finished generations for one user, each with one stored
// output, one minute apart, newest first. No files are written: the gallery serves URLs, not bytes.

// A real ThumbHash of the emulator's images, so each item carries the bytes a real one does.
const THUMBHASH = "3OcRJYB4d3h/iIeHeEh3eIhw+j3A";

export async function seedGallery(databaseUrl: string, userId: string, count: number, tag: string) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("BEGIN");
    await client.query(
      `INSERT INTO "Generation" ("id", "userId", "kind", "status", "prompt", "aspectRatio", "requestedProvider",
         "provider", "providerJobId", "cost", "createdAt", "updatedAt", "submittedAt", "completedAt", "deadlineAt")
       SELECT $2 || '_g' || i, $1, 'create', 'succeeded',
         'A seeded prompt about a lighthouse at dusk, number ' || i, '1:1', 'auto', 'apiframe', $2 || '_job' || i, 1,
         now() - make_interval(mins => i), now() - make_interval(mins => i), now() - make_interval(mins => i),
         now() - make_interval(mins => i) + interval '9 seconds', now() - make_interval(mins => i) + interval '10 minutes'
       FROM generate_series(1, $3::int) AS i`,
      [userId, tag, count],
    );
    await client.query(
      `INSERT INTO "Asset" ("id", "userId", "kind", "storageKey", "thumbKey", "mime", "width", "height", "bytes",
         "thumbhash", "sha256", "generationId", "createdAt")
       SELECT $2 || '_a' || i, $1, 'output', 'users/' || $1 || '/' || $2 || '_a' || i || '/original.png',
         'users/' || $1 || '/' || $2 || '_a' || i || '/thumb.webp', 'image/png', 1024, 1024, 1400000, $4,
         md5(i::text) || md5(i::text), $2 || '_g' || i, now() - make_interval(mins => i) + interval '9 seconds'
       FROM generate_series(1, $3::int) AS i`,
      [userId, tag, count, THUMBHASH],
    );
    await client.query("COMMIT");
    // What autovacuum would do soon after a bulk load; without it the planner guesses at the sizes.
    await client.query(`ANALYZE "Generation"; ANALYZE "Asset";`);
  } finally {
    await client.end();
  }
}
