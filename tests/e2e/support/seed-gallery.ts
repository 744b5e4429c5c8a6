// Seeds the galleries the browser tests use, before `npm start` opens the database: one account
// with a page and a half of finished images to scroll through, and small ones the selection tests
// change, written through the studio's own server modules (password hash, image processing,
// storage), so the tests spend their time on the gallery rather than on making images through the
// UI. Run by playwright.config.ts's webServer command.
import { PrismaPGlite } from "pglite-prisma-adapter";
import sharp from "sharp";

import { SEEDED_GALLERY, SELECTION_GALLERIES, tilePrompts } from "./seeded";

// The password hash and the files need no secret; server/env.ts wants them set all the same.
process.env.AUTH_SECRET ??= "e2e-seed-placeholder-secret-0123456789abcdef";
process.env.MEDIA_SIGNING_SECRET ??= "e2e-seed-placeholder-secret-0123456789abcdef";

const { env } = await import("@/server/env");
const { migrate } = await import("@/server/db/migrate");
const { openPGlite, pgliteDirFor, pgliteExecutor } = await import("@/server/db/sql-executor");
const { PrismaClient } = await import("@/server/db/generated/client");
const { setDb } = await import("@/server/db/client");
const { createPasswordUser } = await import("@/server/auth/sign-up");
const { processImage } = await import("@/server/media/process-image");
const { storeProcessedImage } = await import("@/server/media/store-image");
const { getStorage } = await import("@/server/storage");

if (env.DATABASE_URL) throw new Error("The gallery seed writes the embedded (PGlite) studio only.");
const pglite = openPGlite(env.PGLITE_DIR ?? pgliteDirFor(env.DATA_DIR));
await migrate(pgliteExecutor(pglite));
const db = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
setDb(db);

/** An account with one finished image per prompt, the first prompt the newest (first in the grid). */
async function seedAccount(account: { email: string; password: string }, newestFirst: readonly string[]) {
  const user = await createPasswordUser({ email: account.email, password: account.password }, null);
  const start = Date.now() - newestFirst.length * 60_000;
  for (const [index, prompt] of [...newestFirst].reverse().entries()) {
    const createdAt = new Date(start + index * 60_000);
    const generation = await db.generation.create({
      data: {
        userId: user.id,
        kind: "create",
        status: "succeeded",
        prompt,
        cost: 0,
        provider: "reveart",
        createdAt,
        completedAt: createdAt,
        deadlineAt: createdAt,
      },
    });
    const png = await sharp({
      create: { width: 64, height: 64, channels: 3, background: { r: (index * 37) % 256, g: 120, b: 200 } },
    })
      .png()
      .toBuffer();
    const image = await processImage(png, { maxBytes: 10_000_000, maxPixels: 10_000_000 });
    const id = crypto.randomUUID();
    const stored = await storeProcessedImage(getStorage(), user.id, id, image);
    await db.asset.create({
      data: { id, userId: user.id, kind: "output", generationId: generation.id, createdAt, ...stored },
    });
  }
  console.info(`Seeded ${newestFirst.length} finished images for ${account.email}.`);
}

await seedAccount(SEEDED_GALLERY, [
  ...Array<string>(SEEDED_GALLERY.fillers).fill(SEEDED_GALLERY.fillerPrompt),
  SEEDED_GALLERY.needlePrompt,
]);
for (const account of Object.values(SELECTION_GALLERIES)) await seedAccount(account, tilePrompts);
await db.$disconnect();
await pglite.close();
