import type { Operation } from "./domain";
import type { GalleryFilter } from "./gallery-filter";

// Every React Query key of the studio in one place. Lists of generations live under
// ["generations", …] and one generation under ["generation", id], so refreshing the lists after a
// job settles never disturbs a poll in progress.

export const ME_KEY = ["me"] as const;
export const GENERATIONS_KEY = ["generations"] as const;
export const generationKey = (id: string) => ["generation", id] as const;
/** The user's running jobs, long-polled once per tab for every job on screen. */
export const ACTIVE_JOBS_KEY = ["active-jobs"] as const;
export const recentJobsKey = (kind: Operation) => ["generations", "recent", kind] as const;
export const galleryKey = (filter: GalleryFilter) => ["generations", "gallery", filter] as const;

/** How many jobs the create, edit and remix pages list under the form. */
export const RECENT_TAKE = 12;

/** Ids of jobs shown before the server has answered the submit. */
export const PENDING_PREFIX = "pending-";
export const isPendingId = (id: string) => id.startsWith(PENDING_PREFIX);
export const purchaseKey = (checkoutSessionId: string) => ["purchase", checkoutSessionId] as const;
