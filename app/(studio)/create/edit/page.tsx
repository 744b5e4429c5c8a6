import type { Metadata } from "next";

import { EditStudio } from "@/components/editor/edit-studio";
import { RecentJobs } from "@/components/jobs/recent-jobs";
import { RECENT_TAKE } from "@/lib/query-keys";
import { firstParam, type SearchParams } from "@/lib/search-params";
import { requirePageUser } from "@/server/auth/session";
import { getGeneration, listGenerations } from "@/server/generations/queries";
import { getStudioConfig } from "@/server/studio-config";

import { loadOwnedAssets } from "@/server/uploads/load-owned-assets";

export const metadata: Metadata = { title: "Edit" };

// ?asset=<id>&parent=<generation> comes from "Edit" on a gallery image; ?from=<generation> reuses
// an earlier edit's input and instruction.
export default async function EditPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const user = await requirePageUser();
  const params = await searchParams;
  const from = firstParam(params, "from");
  const parentId = firstParam(params, "parent");
  const [source, parent, recent] = await Promise.all([
    from ? getGeneration(user.id, from) : null,
    parentId ? getGeneration(user.id, parentId) : null,
    listGenerations(user.id, { kind: "edit", take: RECENT_TAKE }),
  ]);
  const assetId = firstParam(params, "asset") ?? source?.inputs[0]?.id;
  const [asset] = await loadOwnedAssets(user.id, assetId ? [assetId] : []);
  return (
    <EditStudio
      key={`${assetId ?? ""}:${parent?.id ?? ""}:${source?.id ?? ""}`}
      config={getStudioConfig()}
      defaults={{
        asset: asset ?? null,
        parentId: asset ? (parent?.id ?? source?.parentId ?? null) : null,
        prompt: source?.prompt ?? "",
        provider: source?.requestedProvider ?? "auto",
      }}
    >
      <RecentJobs kind="edit" initial={recent} />
    </EditStudio>
  );
}
