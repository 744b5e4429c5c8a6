import { defineConfig } from "vitest/config";

import { resolve, testEnv } from "./vitest.config";

// `npm run test:stress`: the tests that build the studio once (tests/reliability/support/build-app.ts)
// and run it as a real server process — conservation under load with a SIGKILL, secrets in the
// build and on the wire, the Origin check of server actions. One file at a time: each runs a
// server, and the machine may have two cores.
export default defineConfig({
  resolve,
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
      ...testEnv,
      // The conservation test needs a real PostgreSQL server: the machine's own unless told otherwise.
      TEST_DATABASE_URL: process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test",
    },
  },
});
