// POST /api/uploads – stores an image to edit or remix (multipart field `file`); answers { asset }.
import { NextResponse } from "next/server";

import { env } from "@/server/env";
import { withUser } from "@/server/http";
import { createUpload } from "@/server/uploads/create-upload";
import { readUploadedFile } from "@/server/uploads/read-upload-request";
import { checkUploadRate } from "@/server/uploads/upload-limit";

export const POST = withUser(async (request, { user }) => {
  await checkUploadRate(user.id);
  const bytes = await readUploadedFile(request, env.UPLOAD_MAX_BYTES);
  const asset = await createUpload(user.id, bytes);
  return NextResponse.json({ asset }, { status: 201, headers: { "cache-control": "no-store" } });
});
