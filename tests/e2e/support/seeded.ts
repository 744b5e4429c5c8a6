// What tests/e2e/support/seed-gallery.ts puts in the studio's database before it starts, for the
// specs that read it. The account is only read by the tests, never changed.
export const SEEDED_GALLERY = {
  email: "seeded-gallery@example.test",
  password: "correct horse battery staple",
  /** A full gallery page of fillers, newer than the needle, which therefore sits on page two. */
  fillers: 24,
  fillerPrompt: "Gallery filler",
  needlePrompt: "A needle in a haystack",
} as const;
