import "./zod-csp";

import { z } from "zod";

import { ID_PATTERN } from "./ids";

/** Random bytes in a share's public id: 144 bits, base64url, 24 characters. */
export const SHARE_ID_BYTES = 18;
export const SHARE_ID_PATTERN = /^[A-Za-z0-9_-]{24}$/;
export const isShareId = (value: string): boolean => SHARE_ID_PATTERN.test(value);

/** The choices of expiry the Share dialog offers, in days; null: until revoked. */
export const SHARE_EXPIRY_DAYS = [1, 7, 30] as const;
/** Enough live links for anyone; a bound so the account page stays one query. */
export const SHARES_MAX = 200;
/** The most images a shared collection's page shows (the newest first). */
export const SHARED_COLLECTION_MAX = 200;

const targetId = (what: string) =>
  z.string({ error: `That ${what} no longer exists.` }).regex(ID_PATTERN, `That ${what} no longer exists.`);

export const shareTargetSchema = z.discriminatedUnion(
  "kind",
  [
    z.object({ kind: z.literal("generation"), id: targetId("image") }),
    z.object({ kind: z.literal("collection"), id: targetId("collection") }),
  ],
  { error: "Choose an image or a collection to share." },
);
export type ShareTarget = z.infer<typeof shareTargetSchema>;

export const createShareSchema = z.object({
  target: shareTargetSchema,
  showPrompt: z.boolean({ error: "Say whether the prompt is shown." }).default(false),
  allowIndexing: z.boolean({ error: "Say whether search engines may index the page." }).default(false),
  expiresInDays: z
    .union(
      [z.literal(SHARE_EXPIRY_DAYS[0]), z.literal(SHARE_EXPIRY_DAYS[1]), z.literal(SHARE_EXPIRY_DAYS[2])],
      {
        error: `A link expires after ${SHARE_EXPIRY_DAYS.join(", ")} days, or never.`,
      },
    )
    .nullable()
    .default(null),
});
export type CreateShareInput = z.input<typeof createShareSchema>;
export type CreateShare = z.output<typeof createShareSchema>;

export const shareRefSchema = z.object({
  id: z
    .string({ error: "That link no longer exists." })
    .regex(SHARE_ID_PATTERN, "That link no longer exists."),
});

/** The public page of a share. */
export const sharePath = (id: string) => `/s/${id}`;
/** An image of a share, served to anyone holding the link. */
export const sharedMediaPath = (shareId: string, assetId: string, variant: "original" | "thumb") =>
  `/api/share/${shareId}/media/${assetId}/${variant}`;
/** The share's 1200×630 link preview. */
export const sharePreviewPath = (shareId: string) => `/api/share/${shareId}/preview`;

/** One of the user's live links, as the account page and the Share dialog list them. */
export interface ShareSummary {
  id: string;
  kind: ShareTarget["kind"];
  targetId: string;
  /** The collection's name, or the image's prompt cut short. */
  label: string;
  showPrompt: boolean;
  allowIndexing: boolean;
  expiresAt: string | null;
  createdAt: string;
}

/** What a share's public page shows: never the owner's email, name, credits or other images. */
export interface SharedImage {
  assetId: string;
  url: string;
  thumbUrl: string;
  width: number;
  height: number;
  thumbhash: string | null;
  /** Only when the owner ticked "Show the prompt". */
  prompt: string | null;
}

export interface PublicShare {
  id: string;
  kind: "generation" | "collection";
  /** The collection's name; null for one image. */
  title: string | null;
  allowIndexing: boolean;
  images: SharedImage[];
}
