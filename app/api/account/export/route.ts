// GET /api/account/export – a ZIP of the signed-in user's images, generations and credit history.
import { exportAccountZip, exportFileName, checkExportRate } from "@/server/account/export-account";
import { requireUser } from "@/server/auth/session";
import { jsonError } from "@/server/http";

export async function GET() {
  try {
    const user = await requireUser();
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
  } catch (error) {
    return jsonError(error);
  }
}
