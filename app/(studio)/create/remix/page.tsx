import type { Metadata } from "next";

import { RecentJobs } from "@/components/jobs/recent-jobs";
import { RemixStudio } from "@/components/remix/remix-studio";
import { MAX_REFERENCES } from "@/lib/domain";
import { RECENT_TAKE } from "@/lib/query-keys";
import { firstParam, idListParam, type SearchParams } from "@/lib/search-params";
import { requirePageUser } from "@/server/auth/session";
import { getGeneration, listGenerations } from "@/server/generations/queries";
import { getStudioConfig } from "@/server/studio-config";

import { loadOwnedAssets } from "@/server/uploads/load-owned-assets";

export const metadata: Metadata = { title: "Remix" };

// ?refs=a,b comes from "Remix with this" in the gallery (with &parent=<generation>); ?from=<id>
// reuses an earlier remix's references and prompt.
export default async function RemixPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const user = await requirePageUser();
  const params = await searchParams;
  const from = firstParam(params, "from");
  const parentId = firstParam(params, "parent");
  const [source, parent, recent] = await Promise.all([
    from ? getGeneration(user.id, from) : null,
    parentId ? getGeneration(user.id, parentId) : null,
    listGenerations(user.id, { kind: "remix", take: RECENT_TAKE }),
  ]);
  const refIds = idListParam(params, "refs", MAX_REFERENCES);
  const references = await loadOwnedAssets(
    user.id,
    refIds.length > 0 ? refIds : (source?.inputs.map((a) => a.id) ?? []),
  );
  return (
    <RemixStudio
      key={`${refIds.join(",")}:${parent?.id ?? ""}:${source?.id ?? ""}`}
      config={getStudioConfig()}
      defaults={{
        references,
        parentId: parent?.id ?? source?.parentId ?? null,
        prompt: source?.prompt ?? "",
        aspectRatio: source?.aspectRatio ?? "1:1",
        provider: source?.requestedProvider ?? "auto",
      }}
    >
      <RecentJobs kind="remix" initial={recent} />
    </RemixStudio>
  );
}
