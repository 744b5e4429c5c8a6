import { optionsFromEnv } from "./env";
import { startEmulator } from "./server";

// `npm run emulator`: the emulator as its own process, configured by EMULATOR_* variables.

async function main(): Promise<void> {
  let options;
  try {
    options = optionsFromEnv(process.env);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
  const emulator = await startEmulator({ ...options.config, host: options.host, port: options.port });
  console.log(`Reve emulator listening on ${emulator.url}`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`Reve emulator stopping (${signal})`);
    emulator.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error("Reve emulator: close failed:", error instanceof Error ? error.message : error);
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main().catch((error: unknown) => {
  console.error("Reve emulator failed to start:", error instanceof Error ? error.message : error);
  process.exit(1);
});
