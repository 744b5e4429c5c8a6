import { fileURLToPath } from "node:url";
import { configDefaults, defineConfig } from "vitest/config";

/** Module resolution for every test config (this one, stress, scale). */
export const resolve = {
  alias: {
    "@": fileURLToPath(new URL("./", import.meta.url)),
    // `server-only` throws outside React Server Components; tests run server code directly.
    "server-only": fileURLToPath(new URL("./tests/fixtures/empty-module.ts", import.meta.url)),
  },
};

// The app's env, as tests see it: secrets that are obviously test values, media in a folder of this
// run's own, and no background poller (tests drive the reconciler themselves).
export const testEnv = {
  AUTH_SECRET: "test-auth-secret-0123456789abcdef0123456789",
  MEDIA_SIGNING_SECRET: "test-media-secret-0123456789abcdef012345",
  DATA_DIR: `data/vitest-${process.pid}`,
  PGLITE_DIR: "memory://",
  POLLER_ENABLED: "false",
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
};

export default defineConfig({
  resolve,
  test: {
    include: [
      "tests/unit/**/*.test.ts",
      "tests/integration/**/*.test.ts",
      "tests/contract/**/*.test.ts",
      "tests/security/**/*.test.ts",
      "tests/reliability/**/*.test.ts",
    ],
    // The tests that build and run the whole server have their own config: npm run test:stress.
    exclude: [
      ...configDefaults.exclude,
      "tests/**/*.stress.test.ts",
      "tests/reliability/conservation.test.ts",
    ],
    environment: "node",
    // next-auth imports `next/server` without an extension, which only a bundler resolves.
    server: { deps: { inline: ["next-auth"] } },
    globalSetup: ["tests/setup/global.ts"],
    // Guards against a hang, not a measure of speed: a test that makes a fresh migrated database
    // can take most of a minute on two cores busy with other work.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: "forks",
    // s3rver (the local S3 of the storage and scale tests) signs ListObjectsV2 continuation tokens
    // with DES, which Node's OpenSSL 3 offers only from its legacy provider: without it, a listing
    // longer than one page answers 500. Test workers only; the studio never needs it.
    execArgv: ["--openssl-legacy-provider"],
    env: testEnv,
  },
});
