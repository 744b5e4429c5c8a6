// POST /api/generations/zip – the originals of the selected images (or all a filter matches) as a ZIP.
import { withUser } from "@/server/http";
import { readBodyText } from "@/server/read-body";
import {
  checkSelectionZipRate,
  parseSelectionBody,
  selectionZip,
  selectionZipName,
} from "@/server/generations/selection-zip";

export const POST = withUser(async (request, { user }) => {
  await checkSelectionZipRate(user.id);
  const target = parseSelectionBody(await readBodyText(request, { maxBytes: 64 * 1024 }));
  const zip = await selectionZip(user.id, target);
  return new Response(zip, {
    status: 200,
    headers: {
      "content-type": "application/zip",
      "content-disposition": `attachment; filename="${selectionZipName()}"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
});
