import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// `npm run test:stress`: the tests that build the studio once (tests/reliability/support/build-app.ts)
// and run it as a real server process — conservation under load with a SIGKILL, secrets in the
// build and on the wire, the Origin check of server actions. One file at a time: each runs a
// server, and the machine may have two cores.
export default defineConfig({
  resolve: {
    alias: {
      "@": fileURLToPath(new URL("./", import.meta.url)),
      "server-only": fileURLToPath(new URL("./tests/fixtures/empty-module.ts", import.meta.url)),
    },
  },
  test: {
    include: ["tests/**/*.stress.test.ts", "tests/reliability/conservation.test.ts"],
    environment: "node",
    globalSetup: ["tests/setup/global.ts", "tests/reliability/support/build-app.ts"],
    server: { deps: { inline: ["next-auth"] } },
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 600_000,
    pool: "forks",
    env: {
      AUTH_SECRET: "test-auth-secret-0123456789abcdef0123456789",
      MEDIA_SIGNING_SECRET: "test-media-secret-0123456789abcdef012345",
      DATA_DIR: `data/vitest-${process.pid}`,
      PGLITE_DIR: "memory://",
      POLLER_ENABLED: "false",
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
      // The conservation test needs a real PostgreSQL server: the machine's own unless told otherwise.
      TEST_DATABASE_URL: process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test",
    },
  },
});
