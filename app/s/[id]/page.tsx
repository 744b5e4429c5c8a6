import type { Metadata } from "next";
import { notFound } from "next/navigation";

import { SharedView } from "@/components/share/shared-view";
import { shareMetadata, shareTitle, viewShare } from "@/server/shares/share-page";

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return shareMetadata((await params).id);
}

/** A share link's public page: the image or the collection's grid, and nothing of the account. */
export default async function SharePage({ params }: Props) {
  const view = await viewShare((await params).id);
  if (!view) notFound();
  if (view.state === "limited") {
    return (
      <main className="mx-auto flex min-h-dvh max-w-xl items-center p-6">
        <p role="alert">{view.message}</p>
      </main>
    );
  }
  return <SharedView share={view.share} title={shareTitle(view.share)} />;
}
