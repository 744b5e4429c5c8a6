import { defineConfig } from "vitest/config";

import { resolve } from "./vitest.config";

// `npm run test:scale`: the two-instance test against the production build, PostgreSQL (on
// TEST_DATABASE_URL's server, else the local one) and a local S3 bucket. Minutes, not seconds, so
// it is kept out of the main Vitest run.
export default defineConfig({
  resolve,
  test: {
    include: ["tests/scale/**/*.test.ts"],
    environment: "node",
    pool: "forks",
    // s3rver (the local S3 of the storage and scale tests) signs ListObjectsV2 continuation tokens
    // with DES, which Node's OpenSSL 3 offers only from its legacy provider: without it, a listing
    // longer than one page answers 500. Test workers only; the studio never needs it.
    execArgv: ["--openssl-legacy-provider"],
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 300_000,
    env: {
      NEXT_TELEMETRY_DISABLED: "1",
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    },
  },
});
