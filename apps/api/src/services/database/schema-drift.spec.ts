import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as enums from '../../generated/prisma/enums';
import { Prisma } from '../../generated/prisma/client';
import { ENGINES, freshDatabase, type TestDatabase } from '../../testing/databases';
import { openConnection, type DatabaseConnection } from './connection';
import { migrate } from './migrator';

/**
 * Applies every migration to an empty database and checks the result against the generated
 * Prisma client (and the schema it came from): every model has its table, every field its
 * column with the right type and nullability, every enum its values, every @unique its index;
 * and the database has nothing the client does not know about.
 */

interface FieldSpec {
  name: string;
  type: string;
  optional: boolean;
  list: boolean;
  dbName: string;
  unique: boolean;
}
/**
 * A field of a type Prisma cannot model (`Unsupported("tsvector")`): the client leaves it out, so
 * only the schema says it exists. Checked by its database type and nullability.
 */
interface UnsupportedFieldSpec {
  name: string;
  dbType: string;
  optional: boolean;
  dbName: string;
}
interface ModelSpec {
  name: string;
  table: string;
  fields: FieldSpec[];
  unsupported: UnsupportedFieldSpec[];
  compositeUniques: string[][];
}

const SCHEMA = readFileSync(resolve(__dirname, '../../../../../prisma/schema.prisma'), 'utf8');

function blocks(kind: 'model' | 'enum'): [string, string][] {
  const re = new RegExp(`^${kind} (\\w+) \\{([\\s\\S]*?)^\\}`, 'gm');
  return [...SCHEMA.matchAll(re)].map((m) => [m[1] ?? '', m[2] ?? '']);
}

const enumDbNames = new Map(
  blocks('enum').map(([name, body]) => [name, /@@map\("(\w+)"\)/.exec(body)?.[1] ?? name]),
);

/** The schema's models, read only as far as the client cannot tell (nullability, lists, uniques). */
const models: ModelSpec[] = blocks('model').map(([name, body]) => {
  const fields: FieldSpec[] = [];
  const unsupported: UnsupportedFieldSpec[] = [];
  const compositeUniques: string[][] = [];
  for (const raw of body.split('\n')) {
    const line = raw.trim();
    const unique = /^@@unique\(\[([^\]]+)\]/.exec(line);
    if (unique) compositeUniques.push((unique[1] ?? '').split(',').map((s) => s.trim()));
    const other = /^(\w+)\s+Unsupported\("(\w+)"\)(\?)?(.*)$/.exec(line);
    if (other) {
      const [, fieldName = '', dbType = '', optional, rest = ''] = other;
      unsupported.push({
        name: fieldName,
        dbType,
        optional: Boolean(optional),
        dbName: /@map\("(\w+)"\)/.exec(rest)?.[1] ?? fieldName,
      });
      continue;
    }
    const field = /^(\w+)\s+(\w+)(\[\])?(\?)?(.*)$/.exec(line);
    if (!field || line.startsWith('//') || line.startsWith('@@')) continue;
    const [, fieldName = '', type = '', list, optional, rest = ''] = field;
    if (
      rest.includes('@relation') ||
      (!isScalar(type) && !enumDbNames.has(type)) ||
      (list && !isScalar(type))
    )
      continue;
    fields.push({
      name: fieldName,
      type,
      optional: Boolean(optional),
      list: Boolean(list),
      dbName: /@map\("(\w+)"\)/.exec(rest)?.[1] ?? fieldName,
      unique: /@unique\b/.test(rest),
    });
  }
  return {
    name,
    table: /@@map\("(\w+)"\)/.exec(body)?.[1] ?? name,
    fields,
    unsupported,
    compositeUniques,
  };
});

function isScalar(type: string): boolean {
  return [
    'String',
    'Int',
    'Boolean',
    'DateTime',
    'Json',
    'BigInt',
    'Float',
    'Decimal',
    'Bytes',
  ].includes(type);
}

const PG_TYPES: Record<string, string> = {
  String: 'text',
  Int: 'integer',
  Boolean: 'boolean',
  DateTime: 'timestamp without time zone',
  Json: 'jsonb',
};

describe.each(ENGINES)('migrations against the Prisma schema on %s', (engine) => {
  let db: TestDatabase;
  let connection: DatabaseConnection;
  let columns: {
    table_name: string;
    column_name: string;
    data_type: string;
    udt_name: string;
    is_nullable: string;
  }[];

  beforeAll(async () => {
    db = await freshDatabase(engine);
    connection = await openConnection({ databaseUrl: db.url, inMemory: true });
    await migrate(connection.sql);
    columns = await connection.sql.query(
      `SELECT table_name, column_name, data_type, udt_name, is_nullable FROM information_schema.columns
       WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`,
    );
  });

  afterAll(async () => {
    await connection.close();
    await db.drop();
  });

  it('reads the same models from the schema as the generated client has', () => {
    expect(models.map((m) => m.name).sort()).toEqual(Object.values(Prisma.ModelName).sort());
    for (const model of models) {
      const clientFields = Object.values(
        (Prisma as unknown as Record<string, Record<string, string>>)[
          `${model.name}ScalarFieldEnum`
        ] ?? {},
      );
      expect(model.fields.map((f) => f.name).sort(), model.name).toEqual([...clientFields].sort());
    }
  });

  it('has a column of the right type and nullability for every field', () => {
    for (const model of models) {
      for (const field of model.fields) {
        const column = columns.find(
          (c) => c.table_name === model.table && c.column_name === field.dbName,
        );
        expect(
          column,
          `${model.name}.${field.name} → ${model.table}.${field.dbName}`,
        ).toBeDefined();
        if (!column) continue;
        const where = `${model.table}.${field.dbName}`;
        if (field.list) {
          expect(column.data_type, where).toBe('ARRAY');
          expect(column.udt_name, where).toBe(`_${PG_TYPES[field.type] ?? ''}`);
        } else if (enumDbNames.has(field.type)) {
          expect(column.data_type, where).toBe('USER-DEFINED');
          expect(column.udt_name, where).toBe(enumDbNames.get(field.type));
        } else {
          expect(column.data_type, where).toBe(PG_TYPES[field.type]);
        }
        if (!field.list) expect(column.is_nullable, where).toBe(field.optional ? 'YES' : 'NO');
      }
    }
  });

  it('has a column of the declared database type for every Unsupported field', () => {
    for (const model of models) {
      for (const field of model.unsupported) {
        const where = `${model.name}.${field.name} → ${model.table}.${field.dbName}`;
        const column = columns.find(
          (c) => c.table_name === model.table && c.column_name === field.dbName,
        );
        expect(column, where).toBeDefined();
        expect(column?.udt_name, where).toBe(field.dbType);
        expect(column?.is_nullable, where).toBe(field.optional ? 'YES' : 'NO');
      }
    }
  });

  it('has no table or column that the schema does not know', () => {
    const known = new Set(
      models.flatMap((m) => [...m.fields, ...m.unsupported].map((f) => `${m.table}.${f.dbName}`)),
    );
    const unknown = columns
      .map((c) => `${c.table_name}.${c.column_name}`)
      .filter((c) => !known.has(c));
    expect(unknown).toEqual([]);
  });

  it('has every enum with exactly the client values', async () => {
    for (const [name, dbName] of enumDbNames) {
      const rows = await connection.sql.query<{ label: string }>(
        `SELECT e.enumlabel AS label FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid WHERE t.typname = $1 ORDER BY e.enumsortorder`,
        [dbName],
      );
      const clientValues = Object.values(
        (enums as Record<string, Record<string, string>>)[name] ?? {},
      );
      expect(
        rows.map((r) => r.label),
        name,
      ).toEqual(clientValues);
    }
  });

  it('enforces every unique constraint of the schema', async () => {
    const indexes = await connection.sql.query<{ table: string; columns: string[] }>(
      `SELECT t.relname AS "table", array_agg(a.attname::text ORDER BY a.attname) AS columns
       FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_class ix ON ix.oid = i.indexrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace
       JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = ANY(i.indkey)
       WHERE i.indisunique AND NOT i.indisprimary AND n.nspname = 'public'
       GROUP BY t.relname, ix.relname`,
    );
    const actual = new Set(indexes.map((i) => `${i.table}(${[...i.columns].sort().join(',')})`));
    const expected = new Set<string>();
    for (const model of models) {
      const dbName = (f: string) => model.fields.find((x) => x.name === f)?.dbName ?? f;
      for (const field of model.fields.filter((f) => f.unique))
        expected.add(`${model.table}(${field.dbName})`);
      for (const group of model.compositeUniques)
        expected.add(`${model.table}(${group.map(dbName).sort().join(',')})`);
    }
    expect([...actual].sort()).toEqual([...expected].sort());
  });
});
