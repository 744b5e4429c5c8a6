import "server-only";

import { fileSettingsSchema, type FileSettings } from "@/lib/file-settings";
import { getDb } from "@/server/db/client";
import { env } from "@/server/env";

import { embedSettings } from "./file-settings";

/**
 * The settings each of the user's generations would carry in a downloaded file, by generation id;
 * empty when the account turned this off. Ids that are not the user's are left out.
 */
export async function downloadSettings(
  userId: string,
  generationIds: string[],
): Promise<Map<string, FileSettings>> {
  const found = new Map<string, FileSettings>();
  if (generationIds.length === 0) return found;
  const user = await getDb().user.findUnique({ where: { id: userId }, select: { embedSettings: true } });
  if (!user?.embedSettings) return found;
  const rows = await getDb().generation.findMany({
    where: { userId, id: { in: generationIds } },
    select: {
      id: true,
      kind: true,
      prompt: true,
      negativePrompt: true,
      aspectRatio: true,
      seed: true,
      provider: true,
    },
  });
  for (const row of rows) {
    const parsed = fileSettingsSchema.safeParse({
      prompt: row.prompt,
      negativePrompt: row.negativePrompt,
      aspectRatio: row.aspectRatio,
      seed: row.seed,
      provider: row.provider,
      operation: row.kind,
      studioUrl: new URL(`/gallery/${row.id}`, env.APP_URL).toString(),
    });
    // A row from before today's limits is served as it is stored rather than with a partial record.
    if (parsed.success) found.set(row.id, parsed.data);
  }
  return found;
}

/** A stored image's bytes as a download: with its settings inside when there are any. */
export async function downloadBytes(
  stream: ReadableStream<Uint8Array>,
  mime: string,
  settings: FileSettings | undefined,
): Promise<Uint8Array<ArrayBuffer>> {
  const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
  return settings ? embedSettings(bytes, mime, settings) : bytes;
}

/** The settings a download of one of the user's images carries, if any. */
export async function settingsForDownload(
  userId: string,
  media: { generationId: string | null },
): Promise<FileSettings | undefined> {
  if (!media.generationId) return undefined;
  return (await downloadSettings(userId, [media.generationId])).get(media.generationId);
}
