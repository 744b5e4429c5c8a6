// GET /api/account/export – a ZIP of the signed-in user's images, generations and credit history.
import { checkExportRate, exportAccountZip, exportFileName } from "@/server/account/export-account";
import { withUser } from "@/server/http";

export const GET = withUser(async (_request, { user }) => {
  await checkExportRate(user.id);
  const zip = await exportAccountZip(user.id);
  return new Response(zip, {
    status: 200,
    headers: {
      "content-type": "application/zip",
      "content-disposition": `attachment; filename="${exportFileName()}"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
});
