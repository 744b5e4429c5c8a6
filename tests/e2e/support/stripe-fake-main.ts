// The local Stripe fake as its own process, for the browser tests' studio (playwright.config.ts).
import { startStripeFake } from "../../helpers/stripe-fake";

const fake = await startStripeFake(Number(process.env.STRIPE_FAKE_PORT ?? 4210));
console.info(`Stripe fake on ${fake.url}`);
