import "server-only";

import { getDb } from "@/server/db/client";

/** Whether the user's downloads carry their settings inside the file (on unless turned off). */
export async function getEmbedSettings(userId: string): Promise<boolean> {
  const user = await getDb().user.findUnique({ where: { id: userId }, select: { embedSettings: true } });
  return user?.embedSettings ?? true;
}

export async function setEmbedSettings(
  userId: string,
  embedSettings: boolean,
): Promise<{ embedSettings: boolean }> {
  await getDb().user.update({ where: { id: userId }, data: { embedSettings } });
  return { embedSettings };
}
