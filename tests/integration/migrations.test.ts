import { readFile } from "node:fs/promises";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { MIGRATIONS_DIR, migrate, migrationChecksum, readMigrations } from "@/server/db/migrate";

import type { TestDb } from "../helpers/test-db";
import { createTestDb, DB_KINDS } from "../helpers/test-db";

interface DmmfField {
  name: string;
  kind: "scalar" | "enum" | "object";
  type: string;
  isList: boolean;
  isRequired: boolean;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
}
interface DmmfModel {
  name: string;
  fields: DmmfField[];
}
interface Dmmf {
  models: DmmfModel[];
  enums: { name: string; values: { name: string }[] }[];
  indexes: { model: string; type: "id" | "normal" | "unique" | "fulltext"; fields: { name: string }[] }[];
}

const dmmfPromise = readFile(join(process.cwd(), "server/db/generated/dmmf.json"), "utf8").then(
  (t) => JSON.parse(t) as Dmmf,
);

const SCALAR_TO_PG: Record<string, string> = {
  String: "text",
  Int: "integer",
  BigInt: "bigint",
  Boolean: "boolean",
  DateTime: "timestamp without time zone",
  Float: "double precision",
  Json: "jsonb",
};

describe.each(DB_KINDS)("migrations on %s", (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(kind);
  });
  afterAll(async () => {
    await t?.close();
  });

  it("books every migration in _prisma_migrations with Prisma's SHA-256 checksum, once", async () => {
    const files = await readMigrations();
    const rows = await t.sql.query<{
      migration_name: string;
      checksum: string;
      finished_at: Date | null;
      applied_steps_count: number;
    }>(
      `SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name`,
    );
    expect(rows.map((r) => r.migration_name)).toEqual(files.map((f) => f.name));
    for (const file of files) {
      const row = rows.find((r) => r.migration_name === file.name)!;
      const raw = await readFile(join(MIGRATIONS_DIR, file.name, "migration.sql"), "utf8");
      expect(row.checksum).toBe(migrationChecksum(raw));
      expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(row.finished_at).not.toBeNull();
      expect(row.applied_steps_count).toBe(1);
    }
    const again = await migrate(t.sql);
    expect(again.applied).toEqual([]);
    expect(again.alreadyApplied).toHaveLength(files.length);
    const count = await t.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "_prisma_migrations"`);
    expect(count[0]!.n).toBe(files.length);
  });

  it("creates every model, column, type and nullability of schema.prisma, and nothing else", async () => {
    const dmmf = await dmmfPromise;
    const tables = await t.sql.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`,
    );
    expect(tables.map((r) => r.table_name).sort()).toEqual(dmmf.models.map((m) => m.name).sort());

    for (const model of dmmf.models) {
      const columns = await t.sql.query<{
        column_name: string;
        data_type: string;
        udt_name: string;
        is_nullable: string;
      }>(
        `SELECT column_name, data_type, udt_name, is_nullable FROM information_schema.columns
         WHERE table_schema = 'public' AND table_name = $1`,
        [model.name],
      );
      const scalars = model.fields.filter((f) => f.kind !== "object");
      expect(columns.map((c) => c.column_name).sort(), model.name).toEqual(scalars.map((f) => f.name).sort());
      for (const field of scalars) {
        const column = columns.find((c) => c.column_name === field.name)!;
        const where = `${model.name}.${field.name}`;
        if (field.isList) {
          expect(column.data_type, where).toBe("ARRAY");
          expect(column.udt_name, where).toBe(
            `_${SCALAR_TO_PG[field.type] === "text" ? "text" : field.type.toLowerCase()}`,
          );
        } else if (field.kind === "enum") {
          expect(column.data_type, where).toBe("USER-DEFINED");
          expect(column.udt_name, where).toBe(field.type);
        } else {
          expect(column.data_type, where).toBe(SCALAR_TO_PG[field.type]);
        }
        // Prisma leaves scalar lists nullable in SQL; everything else follows `?`.
        const nullable = field.isList || !field.isRequired ? "YES" : "NO";
        expect(column.is_nullable, where).toBe(nullable);
      }
    }
  });

  it("has exactly the enums of schema.prisma", async () => {
    const dmmf = await dmmfPromise;
    const rows = await t.sql.query<{ typname: string; labels: string[] }>(
      `SELECT t.typname::text AS typname, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels
       FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname`,
    );
    const actual = Object.fromEntries(rows.map((r) => [r.typname, r.labels]));
    const expected = Object.fromEntries(dmmf.enums.map((e) => [e.name, e.values.map((v) => v.name)]));
    expect(actual).toEqual(expected);
  });

  it("has every primary key, unique and plain index of schema.prisma, and no other", async () => {
    const dmmf = await dmmfPromise;
    const rows = await t.sql.query<{
      table_name: string;
      is_unique: boolean;
      is_primary: boolean;
      columns: string[];
    }>(
      `SELECT c.relname::text AS table_name, i.indisunique AS is_unique, i.indisprimary AS is_primary,
              array_agg(a.attname::text ORDER BY k.ord) AS columns
       FROM pg_index i
       JOIN pg_class c ON c.oid = i.indrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
       CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
       WHERE c.relname <> '_prisma_migrations'
       GROUP BY c.relname, i.indexrelid, i.indisunique, i.indisprimary`,
    );
    const describe = (table: string, type: string, cols: string[]) => `${table} ${type} (${cols.join(", ")})`;
    const actual = rows
      .map((r) => describe(r.table_name, r.is_primary ? "id" : r.is_unique ? "unique" : "normal", r.columns))
      .sort();
    const expected = dmmf.indexes
      .map((i) =>
        describe(
          i.model,
          i.type,
          i.fields.map((f) => f.name),
        ),
      )
      .sort();
    expect(actual).toEqual(expected);
  });

  it("has every foreign key of schema.prisma with its delete rule", async () => {
    const dmmf = await dmmfPromise;
    const rows = await t.sql.query<{
      table_name: string;
      columns: string[];
      target: string;
      delete_rule: string;
    }>(
      `SELECT src.relname::text AS table_name, dst.relname::text AS target,
              array_agg(a.attname::text ORDER BY k.ord) AS columns,
              CASE con.confdeltype WHEN 'c' THEN 'Cascade' WHEN 'n' THEN 'SetNull' WHEN 'r' THEN 'Restrict'
                                   WHEN 'a' THEN 'NoAction' WHEN 'd' THEN 'SetDefault' END AS delete_rule
       FROM pg_constraint con
       JOIN pg_class src ON src.oid = con.conrelid
       JOIN pg_class dst ON dst.oid = con.confrelid
       CROSS JOIN LATERAL unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
       JOIN pg_attribute a ON a.attrelid = src.oid AND a.attnum = k.attnum
       WHERE con.contype = 'f'
       GROUP BY src.relname, dst.relname, con.oid, con.confdeltype`,
    );
    const actual = rows
      .map((r) => `${r.table_name}(${r.columns.join(",")}) -> ${r.target} ON DELETE ${r.delete_rule}`)
      .sort();
    const expected = dmmf.models
      .flatMap((m) =>
        m.fields
          .filter((f) => f.kind === "object" && f.relationFromFields && f.relationFromFields.length > 0)
          .map(
            (f) =>
              `${m.name}(${f.relationFromFields!.join(",")}) -> ${f.type} ON DELETE ${f.relationOnDelete ?? "Restrict"}`,
          ),
      )
      .sort();
    expect(actual).toEqual(expected);
  });
});
