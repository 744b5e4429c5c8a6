import { ArrowLeft } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";

import { ChainTimeline } from "@/components/gallery/chain-timeline";
import { GenerationDetail } from "@/components/gallery/generation-detail";
import { requirePageUser } from "@/server/auth/session";
import { listCollections } from "@/server/collections/collections";
import { getChain, getGeneration } from "@/server/generations/queries";

export const metadata: Metadata = { title: "Image" };

export default async function GenerationPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requirePageUser();
  const { id } = await params;
  // Someone else's id is not found, exactly like an id that never existed.
  const generation = await getGeneration(user.id, id);
  if (!generation) notFound();
  const [chain, collections] = await Promise.all([getChain(user.id, id), listCollections(user.id)]);
  const showChain = chain.length > 1 || chain.some((step) => step.inputs.length > 0);
  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-col gap-1">
        <Link
          href="/gallery"
          className="text-muted hover:text-fg inline-flex items-center gap-1 self-start text-sm"
        >
          <ArrowLeft className="size-4" aria-hidden /> Gallery
        </Link>
        <h1 className="line-clamp-2 text-xl font-semibold sm:text-2xl">{generation.prompt}</h1>
      </div>
      <GenerationDetail initial={generation} collections={collections} />
      {showChain ? <ChainTimeline chain={chain} currentId={generation.id} /> : null}
    </div>
  );
}
