// Imported first by provider tests: `@/server/env` parses process.env when it is loaded, and the
// server's signing secrets are required there although the providers never use them.
process.env.AUTH_SECRET ??= "test-auth-secret-at-least-32-characters-long";
process.env.MEDIA_SIGNING_SECRET ??= "test-media-secret-at-least-32-characters-long";

export {};
