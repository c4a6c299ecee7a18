import { createHash } from 'node:crypto';
import type { Pool, PoolClient, QueryResultRow } from 'pg';

/**
 * Template-tag SQL with the shape of Prisma's `$queryRaw`/`$executeRaw`, so one helper serves a
 * PrismaClient, a transaction of one, or the plain pool below. Values are always parameters.
 */
export interface RawSql {
  $queryRaw<T = unknown>(strings: TemplateStringsArray, ...values: unknown[]): Promise<T>;
  $executeRaw(strings: TemplateStringsArray, ...values: unknown[]): Promise<number>;
}

/** The plain pool's client: also a transaction on one connection. */
export interface PgSql extends RawSql {
  /** `work` on one connection between BEGIN and COMMIT; ROLLBACK when it throws. */
  transaction<T>(work: (tx: RawSql) => Promise<T>): Promise<T>;
}

interface Statement {
  name: string;
  text: string;
}

/**
 * Each call site's template object is the same array on every call, so its statement text and
 * name are worked out once. A named statement is parsed and planned once per connection; through
 * Prisma every call was parsed again (and cost twice the CPU in Node, .local measurement in issue 17).
 */
const statements = new WeakMap<TemplateStringsArray, Statement>();

function statementOf(strings: TemplateStringsArray): Statement {
  let statement = statements.get(strings);
  if (!statement) {
    const text = strings.reduce((sql, part, index) => `${sql}$${index}${part}`);
    // The name is the text's: two call sites with the same SQL share one prepared statement.
    statement = { name: `raw_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`, text };
    statements.set(strings, statement);
  }
  return statement;
}

type Queryable = Pick<Pool | PoolClient, 'query'>;

function rawSqlOn(target: Queryable): RawSql {
  return {
    async $queryRaw<T>(strings: TemplateStringsArray, ...values: unknown[]): Promise<T> {
      const result = await target.query<QueryResultRow>({ ...statementOf(strings), values });
      return result.rows as T;
    },
    async $executeRaw(strings: TemplateStringsArray, ...values: unknown[]): Promise<number> {
      const result = await target.query({ ...statementOf(strings), values });
      return result.rowCount ?? 0;
    },
  };
}

/**
 * The hot statements of the report path on a node-postgres pool (createPgPool). Differences from
 * Prisma a caller must mind: `int8` and `numeric` columns come back as strings (cast to int or
 * float8 in the SQL, or Number() them), and there are no `Prisma.sql` fragments.
 */
export function createPgSql(pool: Pool): PgSql {
  return {
    ...rawSqlOn(pool),
    async transaction<T>(work: (tx: RawSql) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        const result = await work(rawSqlOn(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch((rollback: Error) => {
          broken = rollback; // a connection that cannot roll back is not handed to the next caller
        });
        throw error;
      } finally {
        client.release(broken);
      }
    },
  };
}
