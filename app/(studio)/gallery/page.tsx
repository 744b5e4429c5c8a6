import type { Metadata } from "next";
import Link from "next/link";

import { buttonClass } from "@/components/ui/button";
import { requirePageUser } from "@/server/auth/session";
import { db } from "@/server/db/client";

export const metadata: Metadata = { title: "Gallery" };

export default async function GalleryPage() {
  const user = await requirePageUser();
  const count = await db.generation.count({ where: { userId: user.id, deletedAt: null } });
  return (
    <div className="flex flex-col gap-6">
      <h1 className="text-2xl font-semibold">Gallery</h1>
      {count === 0 ? (
        <div className="border-border flex flex-col items-center gap-4 rounded-2xl border border-dashed px-6 py-16 text-center">
          <p className="text-lg font-medium">Nothing here yet</p>
          <p className="text-muted max-w-sm">Your images will appear here as soon as you make them.</p>
          <Link href="/create" className={buttonClass("primary")}>
            Create your first image
          </Link>
        </div>
      ) : (
        <p className="text-muted">{count} images</p>
      )}
    </div>
  );
}
