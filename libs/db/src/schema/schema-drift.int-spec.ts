import path from 'node:path';
import type { Client } from 'pg';
import { REPO_ROOT } from '@amc-reports/launcher';
import { createTestDatabase, type TestDatabase } from '@amc-reports/testing';
import { readPrismaSchemaColumns, type SchemaColumn } from './read-prisma-schema';
import { connect } from './schema-fixtures';

let database: TestDatabase;
let db: Client;

beforeAll(async () => {
  database = await createTestDatabase();
  db = await connect(database.url);
});
afterAll(async () => {
  await db.end();
  await database.drop();
});

async function databaseColumns(): Promise<SchemaColumn[]> {
  const { rows } = await db.query<{ table_name: string; column_name: string; data_type: string; is_nullable: string;
    numeric_precision: number | null; numeric_scale: number | null }>(
    `SELECT table_name, column_name, data_type, is_nullable, numeric_precision, numeric_scale
     FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> 'schema_migrations'`);
  return rows.map((r) => ({
    table: r.table_name,
    column: r.column_name,
    type: r.data_type === 'numeric' ? `numeric(${r.numeric_precision},${r.numeric_scale})` : r.data_type,
    nullable: r.is_nullable === 'YES',
  }));
}

const key = (c: SchemaColumn): string => `${c.table}.${c.column}`;
const sorted = (columns: SchemaColumn[]): SchemaColumn[] => [...columns].sort((a, b) => key(a).localeCompare(key(b)));

it('prisma/schema.prisma and the migrated database agree on tables, columns, types and nullability', async () => {
  const fromPrisma = sorted(readPrismaSchemaColumns(path.join(REPO_ROOT, 'prisma', 'schema.prisma')));
  const fromDatabase = sorted(await databaseColumns());
  expect(fromPrisma.length).toBeGreaterThan(80);
  expect(fromPrisma).toEqual(fromDatabase);
});

it('the parser notices drift: a column the migrations lack is reported', () => {
  const columns = readPrismaSchemaColumns(path.join(REPO_ROOT, 'prisma', 'schema.prisma'));
  const exportsColumns = columns.filter((c) => c.table === 'report_exports').map((c) => c.column);
  expect(exportsColumns).toEqual(expect.arrayContaining(['sha256', 'expires_at', 'download_count', 'file_size_bytes']));
  const confidence = columns.find((c) => key(c) === 'dashboard_insights.confidence_score');
  expect(confidence).toEqual({ table: 'dashboard_insights', column: 'confidence_score', type: 'numeric(3,2)', nullable: false });
});
