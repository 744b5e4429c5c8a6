import Link from "next/link";

import { AssetImage } from "@/components/ui/asset-image";
import type { PublicShare } from "@/lib/shares";

/** The public page of a share: the image, or the collection as a grid; prompts only if the owner chose. */
export function SharedView({ share, title }: { share: PublicShare; title: string }) {
  const single = share.kind === "generation" ? share.images[0] : undefined;
  return (
    <div className="mx-auto flex min-h-dvh max-w-6xl flex-col gap-6 p-6">
      <header className="flex flex-wrap items-baseline justify-between gap-2">
        <h1 className="text-2xl font-semibold">{title}</h1>
        <Link href="/" className="text-muted text-sm underline-offset-4 hover:underline">
          Made with Reve Studio
        </Link>
      </header>
      <main className="flex flex-col gap-4">
        {single ? (
          <figure className="flex flex-col gap-3">
            <a href={single.url} className="self-center">
              <AssetImage
                asset={single}
                alt={single.prompt ?? "The shared image"}
                variant="original"
                fit="contain"
                priority
                className="max-h-[80dvh] w-auto rounded-xl"
              />
            </a>
            {single.prompt ? (
              <figcaption className="text-muted max-w-prose text-sm">{single.prompt}</figcaption>
            ) : null}
          </figure>
        ) : share.images.length === 0 ? (
          <p className="text-muted">This collection has no images yet.</p>
        ) : (
          <ul
            aria-label="Images"
            className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-4"
            data-testid="shared-grid"
          >
            {share.images.map((image, index) => (
              <li key={image.assetId}>
                <figure className="flex flex-col gap-2">
                  <a href={image.url} className="block overflow-hidden rounded-xl">
                    <AssetImage
                      asset={image}
                      alt={image.prompt ?? `Image ${index + 1} of ${share.images.length}`}
                      className="aspect-square w-full"
                    />
                  </a>
                  {image.prompt ? (
                    <figcaption className="text-muted line-clamp-3 text-xs">{image.prompt}</figcaption>
                  ) : null}
                </figure>
              </li>
            ))}
          </ul>
        )}
      </main>
    </div>
  );
}
