// POST /api/file-settings – the studio settings inside a dropped image (multipart field `file`); answers { settings }.
import { NextResponse } from "next/server";

import type { FileSettingsAnswer } from "@/lib/file-settings";
import { env } from "@/server/env";
import { withUser } from "@/server/http";
import { readFileSettings } from "@/server/media/file-settings";
import { readUploadedFile } from "@/server/uploads/read-upload-request";
import { checkUploadRate } from "@/server/uploads/upload-limit";

export const POST = withUser(async (request, { user }) => {
  await checkUploadRate(user.id);
  const bytes = await readUploadedFile(request, env.UPLOAD_MAX_BYTES);
  const answer: FileSettingsAnswer = { settings: await readFileSettings(bytes) };
  return NextResponse.json(answer, { headers: { "cache-control": "no-store" } });
});
