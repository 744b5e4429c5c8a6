import "server-only";

import { PRESETS_MAX, type PresetDto, type PresetSettings, presetSettingsSchema } from "@/lib/presets";
import { getDb } from "@/server/db/client";
import { Prisma } from "@/server/db/generated/client";
import { AppError } from "@/server/errors";

// A user's prompt presets. Every statement carries the owner: another user's preset is simply not
// found. Settings are checked as a submit checks them when saved, and again when read, so a preset
// that no longer fits (a reseller retired, a limit lowered) is left out rather than breaking the page.

const notFound = () => new AppError("not_found", "That preset no longer exists.");
const taken = (name: string) => new AppError("conflict", `You already have a preset named “${name}”.`);

const isUniqueViolation = (error: unknown) =>
  error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";

export async function listPresets(userId: string): Promise<PresetDto[]> {
  const rows = await getDb().promptPreset.findMany({
    where: { userId },
    orderBy: { name: "asc" },
    take: PRESETS_MAX,
    select: { id: true, name: true, settings: true },
  });
  return rows.flatMap((row) => {
    const settings = presetSettingsSchema.safeParse(row.settings);
    return settings.success ? [{ id: row.id, name: row.name, settings: settings.data }] : [];
  });
}

export async function savePreset(userId: string, name: string, settings: PresetSettings): Promise<PresetDto> {
  const db = getDb();
  if ((await db.promptPreset.count({ where: { userId } })) >= PRESETS_MAX) {
    throw new AppError("conflict", `You can have at most ${PRESETS_MAX} presets. Delete one first.`);
  }
  try {
    const row = await db.promptPreset.create({
      data: { userId, name, settings: settingsJson(settings) },
      select: { id: true, name: true },
    });
    return { ...row, settings };
  } catch (error) {
    if (isUniqueViolation(error)) throw taken(name);
    throw error;
  }
}

export async function renamePreset(
  userId: string,
  id: string,
  name: string,
): Promise<{ id: string; name: string }> {
  try {
    const { count } = await getDb().promptPreset.updateMany({ where: { id, userId }, data: { name } });
    if (count === 0) throw notFound();
    return { id, name };
  } catch (error) {
    if (isUniqueViolation(error)) throw taken(name);
    throw error;
  }
}

export async function deletePreset(userId: string, id: string): Promise<null> {
  const { count } = await getDb().promptPreset.deleteMany({ where: { id, userId } });
  if (count === 0) throw notFound();
  return null;
}

/** Only the fields that are set, so a preset without a seed stays "random". */
function settingsJson(settings: PresetSettings): Prisma.InputJsonObject {
  return Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined));
}
