#!/usr/bin/env node
// A Prisma generator that writes the schema's model description (DMMF datamodel) as JSON beside the
// client, so tests can compare the migrated database with schema.prisma. It speaks the generator
// protocol: JSON-RPC requests on stdin, one per line; answers on stderr.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { createInterface } from "node:readline";

const reply = (id, result) => process.stderr.write(JSON.stringify({ jsonrpc: "2.0", id, result }) + "\n");

createInterface({ input: process.stdin }).on("line", (line) => {
  if (!line.trim()) return;
  const { id, method, params } = JSON.parse(line);
  if (method === "getManifest") {
    reply(id, { manifest: { prettyName: "Model description (JSON)", defaultOutput: "./dmmf.json" } });
  } else if (method === "generate") {
    const file = params.generator.output.value;
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(params.dmmf.datamodel, null, 2));
    reply(id, null);
  }
});
