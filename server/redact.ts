import "server-only";

// Secrets never reach a log. Text that could (an error's message and stack, a reseller's answer)
// goes through `redact`, which replaces every secret this process knows: the values of its secret
// environment variables, and the keys its reseller clients were built with.

const registered = new Set<string>();

// Any variable named like a secret, so that one added later is covered without a list to update.
const SECRET_VARIABLE = /SECRET|PASSWORD|API_KEY|ACCESS_KEY|TOKEN|DATABASE_URL|REDIS_URL/;

// Short values ("on", "1") would blank out ordinary words; no real secret is that short.
const MIN_SECRET_LENGTH = 8;

/** Adds a value to those `redact` removes (a reseller key given by configuration, not env). */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= MIN_SECRET_LENGTH) registered.add(value);
}

/** Every secret value this process knows of. */
export function knownSecrets(): string[] {
  const fromEnv = Object.entries(process.env)
    .filter(([name, value]) => SECRET_VARIABLE.test(name) && value && value.length >= MIN_SECRET_LENGTH)
    .flatMap(([, value]) => [value!, ...urlPassword(value!)]);
  return [...new Set([...fromEnv, ...registered])];
}

function urlPassword(value: string): string[] {
  try {
    const password = decodeURIComponent(new URL(value).password);
    return password.length >= MIN_SECRET_LENGTH ? [password] : [];
  } catch {
    return [];
  }
}

// Callback tokens and media signatures travel in query strings, which error messages quote.
const QUERY_SECRET = /([?&](?:token|sig)=)[^&\s"']+/gi;

/** Replaces every occurrence of a secret; for text that could ever reach a log. */
export function redact(text: string, secrets: readonly string[] = knownSecrets()): string {
  const scrubbed = secrets
    .filter((s) => s.length > 0)
    .sort((a, b) => b.length - a.length)
    .reduce((out, s) => out.split(s).join("[redacted]"), text);
  return scrubbed.replace(QUERY_SECRET, "$1[redacted]");
}
