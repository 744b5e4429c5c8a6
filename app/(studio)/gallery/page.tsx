import type { Metadata } from "next";

import { GalleryView } from "@/components/gallery/gallery-view";
import { parseGalleryFilter } from "@/lib/gallery-filter";
import type { SearchParams } from "@/lib/search-params";
import { requirePageUser } from "@/server/auth/session";
import { listCollections } from "@/server/collections/collections";
import { listGenerations } from "@/server/generations/queries";

export const metadata: Metadata = { title: "Gallery" };

export default async function GalleryPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const user = await requirePageUser();
  const filter = parseGalleryFilter(await searchParams);
  const [firstPage, collections] = await Promise.all([
    listGenerations(user.id, filter),
    listCollections(user.id),
  ]);
  return (
    <div className="flex flex-col gap-6">
      <h1 className="text-2xl font-semibold">Gallery</h1>
      <GalleryView initialFilter={filter} initialPage={firstPage} collections={collections} />
    </div>
  );
}
