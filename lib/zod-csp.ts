import { z } from "zod";

// Zod compiles object parsers with `new Function` where eval is allowed, and probes for it when the
// first object schema is built. Under the studio's Content-Security-Policy (no 'unsafe-eval') that
// probe is reported as a violation; parsing without compiled parsers is just as correct. Schema
// modules that the browser loads import this first.
z.config({ jitless: true });
