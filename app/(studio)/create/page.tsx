import type { Metadata } from "next";

import type { CreateDefaults } from "@/components/create/create-form";
import { CreateWorkspace } from "@/components/create/create-workspace";
import { StudioLayout } from "@/components/create/studio-layout";
import { RecentJobs } from "@/components/jobs/recent-jobs";
import { RECENT_TAKE } from "@/lib/query-keys";
import { firstParam, type SearchParams } from "@/lib/search-params";
import { requirePageUser } from "@/server/auth/session";
import { getGeneration, listGenerations } from "@/server/generations/queries";
import { listPresets } from "@/server/presets/presets";
import { getStudioConfig } from "@/server/studio-config";

export const metadata: Metadata = { title: "Create" };

export default async function CreatePage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const user = await requirePageUser();
  const from = firstParam(await searchParams, "from");
  const [source, recent, presets] = await Promise.all([
    from ? getGeneration(user.id, from) : null,
    listGenerations(user.id, { kind: "create", take: RECENT_TAKE }),
    listPresets(user.id),
  ]);
  const defaults: CreateDefaults = {
    prompt: source?.prompt ?? "",
    negativePrompt: source?.negativePrompt ?? "",
    aspectRatio: source?.aspectRatio ?? "1:1",
    seed: source?.seed ?? null,
    provider: source?.requestedProvider ?? "auto",
  };
  return (
    <StudioLayout
      mode="create"
      title="Create"
      intro={
        source
          ? "Settings reused from an earlier image. Change anything and create again."
          : "Describe an image and Reve makes it."
      }
      form={
        <CreateWorkspace
          key={source?.id ?? "new"}
          formKey={source?.id ?? "new"}
          config={getStudioConfig()}
          defaults={defaults}
          presets={presets}
        />
      }
    >
      <RecentJobs kind="create" initial={recent} />
    </StudioLayout>
  );
}
