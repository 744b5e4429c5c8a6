// What tests/e2e/support/seed-gallery.ts puts in the studio's database before it starts, for the
// specs that read it.

/** Only read by the tests, never changed. */
export const SEEDED_GALLERY = {
  email: "seeded-gallery@example.test",
  password: "correct horse battery staple",
  /** A full gallery page of fillers, newer than the needle, which therefore sits on page two. */
  fillers: 24,
  fillerPrompt: "Gallery filler",
  needlePrompt: "A needle in a haystack",
} as const;

/** Twelve images, "Tile 01" first in the grid (the newest) to "Tile 12" last. */
export const tilePrompts = Array.from({ length: 12 }, (_, i) => `Tile ${String(i + 1).padStart(2, "0")}`);

/**
 * Galleries that the selection tests change (they delete and collect images): one account per test,
 * since tests run in parallel and each one's gallery must hold only what it did.
 */
export const SELECTION_GALLERIES = {
  keyboard: { email: "keyboard-selection@example.test", password: SEEDED_GALLERY.password },
  mouse: { email: "mouse-selection@example.test", password: SEEDED_GALLERY.password },
} as const;
