import { defineConfig, devices } from "@playwright/test";

import { E2E_STRIPE, stripePort as stripeFakePort } from "./tests/e2e/support/billing";

// Browser tests run against the embedded default — `npm start` with no env beyond ports and a
// data folder of this run's own — in Debian's Chromium.
const port = Number(process.env.E2E_PORT ?? 3100);
const emulatorPort = Number(process.env.E2E_EMULATOR_PORT ?? 4110);
const stripePort = stripeFakePort();
process.env.E2E_DATA_DIR ??= `data/e2e-${Date.now()}`;
const baseURL = `http://localhost:${port}`;
const desktop = { ...devices["Desktop Chrome"], channel: undefined };
const RUNS_ALONE = /admin-journey\.spec\.ts$/;

export default defineConfig({
  testDir: "tests/e2e",
  globalSetup: "./tests/e2e/global-setup.ts",
  fullyParallel: true,
  workers: process.env.CI ? 2 : undefined,
  retries: 0,
  // Journeys wait on real jobs, uploads and a CLI; on two busy cores they take twice as long.
  timeout: process.env.CI ? 120_000 : 60_000,
  expect: { timeout: 15_000 },
  outputDir: "test-results/e2e",
  reporter: [["list"], ["html", { outputFolder: "playwright-report", open: "never" }]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
      ],
    },
  },
  projects: [
    { name: "desktop", use: desktop, testIgnore: RUNS_ALONE },
    // The operator's journey switches off the reseller every other spec's creates go to: it runs
    // after them, alone on the studio.
    { name: "operator", use: desktop, testMatch: RUNS_ALONE, dependencies: ["desktop"] },
  ],
  webServer: [
    {
      command: "node --import tsx tests/e2e/support/stripe-fake-main.ts",
      url: `http://127.0.0.1:${stripePort}/__health`,
      timeout: 60_000,
      reuseExistingServer: false,
      env: { STRIPE_FAKE_PORT: String(stripePort) },
    },
    {
      // The gallery's seeded account is written first, while the database is still closed.
      command:
        "node --conditions=react-server --import tsx tests/e2e/support/seed-gallery.ts && " +
        "node --conditions=react-server --import tsx scripts/start.ts",
      url: `${baseURL}/sign-in`,
      // start.ts builds the app first when it has no build: minutes on two busy cores. It answers
      // as soon as the server is up; the limit only guards against a start that never ends.
      timeout: 600_000,
      reuseExistingServer: false,
      stdout: "pipe",
      stderr: "pipe",
      env: {
        PORT: String(port),
        APP_URL: baseURL,
        DATA_DIR: process.env.E2E_DATA_DIR,
        EMULATOR_PORT: String(emulatorPort),
        EMULATOR_JOB_MS: "1500",
        // The gallery test makes more than a page of jobs quickly; the default limits would pace it.
        RATE_LIMIT_SUBMITS_PER_MINUTE: "120",
        MAX_JOBS_IN_FLIGHT: "40",
        // Every test signs up a fresh account from this one machine; the per-address sign-up limits
        // (tests/integration/signup-controls.test.ts) would otherwise refuse the sixth.
        SIGNUP_ATTEMPTS_PER_IP_PER_HOUR: "100000",
        SIGNUP_CREDITS_PER_IP_PER_DAY: "100000",
        SIGNIN_ATTEMPTS_PER_IP_PER_15_MINUTES: "100000",
        NEXT_TELEMETRY_DISABLED: "1",
        STRIPE_SECRET_KEY: E2E_STRIPE.secretKey,
        STRIPE_WEBHOOK_SECRET: E2E_STRIPE.webhookSecret,
        STRIPE_API_URL: `http://127.0.0.1:${stripePort}`,
      },
    },
  ],
});
