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
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 300_000,
    env: {
      NEXT_TELEMETRY_DISABLED: "1",
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    },
  },
});
