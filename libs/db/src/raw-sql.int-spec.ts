import type { Pool } from 'pg';
import { createTestDatabase, type TestDatabase } from '@amc-reports/testing';
import { createPgPool } from './pg-pool';
import { createPgSql, type PgSql } from './raw-sql';

let database: TestDatabase;
let pool: Pool;
let sql: PgSql;

beforeAll(async () => {
  database = await createTestDatabase();
  // One connection: every statement and transaction below meets the statements the others prepared.
  pool = createPgPool({ databaseUrl: database.url, poolSize: 1 });
  sql = createPgSql(pool);
  await pool.query('CREATE TABLE raw_sql_spec (id int PRIMARY KEY, label text NOT NULL, seen timestamptz, tags text[])');
});
afterAll(async () => {
  await pool.end();
  await database.drop();
});

const labelOf = async (id: number) => (await sql.$queryRaw<Array<{ label: string }>>`SELECT label FROM raw_sql_spec WHERE id = ${id}`)[0]?.label;

describe('PgSql', () => {
  it('binds every value as a parameter, dates and arrays included, and reads back rows', async () => {
    const seen = new Date('2026-11-16T05:00:00Z');
    const tricky = "O'Brien; DROP TABLE raw_sql_spec --";
    expect(await sql.$executeRaw`INSERT INTO raw_sql_spec (id, label, seen, tags) VALUES (${1}, ${tricky}, ${seen}, ${['a', 'b']}::text[])`).toBe(1);
    const [row] = await sql.$queryRaw<Array<{ label: string; seen: Date; tags: string[] }>>`SELECT label, seen, tags FROM raw_sql_spec WHERE id = ${1}`;
    expect(row).toEqual({ label: tricky, seen, tags: ['a', 'b'] });
    expect(await sql.$executeRaw`UPDATE raw_sql_spec SET label = ${'none'} WHERE id = ANY(${[404, 405]}::int[])`).toBe(0);
  });

  it('reuses one prepared statement per text: the same call site with new values, and another site with the same SQL', async () => {
    await sql.$executeRaw`INSERT INTO raw_sql_spec (id, label) VALUES (${2}, ${'two'}), (${3}, ${'three'})`;
    expect([await labelOf(2), await labelOf(3)]).toEqual(['two', 'three']);
    // Written again at another place: the same name, no "prepared statement already exists".
    expect((await sql.$queryRaw<Array<{ label: string }>>`SELECT label FROM raw_sql_spec WHERE id = ${3}`)[0].label).toBe('three');
    const prepared = await sql.$queryRaw<Array<{ n: number }>>`SELECT count(*)::int AS n FROM pg_prepared_statements WHERE statement LIKE ${'SELECT label FROM raw_sql_spec WHERE id = $1%'}`;
    expect(prepared[0].n).toBe(1);
  });

  it('commits a transaction whole, and rolls it back whole when the work throws, leaving the connection usable', async () => {
    await sql.transaction(async (tx) => {
      await tx.$executeRaw`INSERT INTO raw_sql_spec (id, label) VALUES (${10}, ${'kept'})`;
      await tx.$executeRaw`UPDATE raw_sql_spec SET label = ${'kept, then changed'} WHERE id = ${10}`;
    });
    expect(await labelOf(10)).toBe('kept, then changed');

    await expect(sql.transaction(async (tx) => {
      await tx.$executeRaw`INSERT INTO raw_sql_spec (id, label) VALUES (${11}, ${'half'})`;
      await tx.$executeRaw`INSERT INTO raw_sql_spec (id, label) VALUES (${10}, ${'a duplicate key'})`;
    })).rejects.toMatchObject({ code: '23505' });
    expect(await labelOf(11)).toBeUndefined();

    await expect(sql.transaction(async () => {
      throw new Error('the work failed');
    })).rejects.toThrow('the work failed');
    expect(await labelOf(10)).toBe('kept, then changed');
  });
});
