import fs from 'node:fs';

export interface SchemaColumn {
  table: string;
  column: string;
  /** Postgres type as information_schema spells it (numeric with precision, e.g. numeric(3,2)). */
  type: string;
  nullable: boolean;
}

/**
 * The scalar columns of every model in a Prisma schema, with the Postgres type each maps to.
 * Covers the constructs this project's schema uses (@map, @@map, @db.* native types, `?`);
 * relation fields (a model type) are skipped since they are not columns; scalar lists are arrays.
 */
export function readPrismaSchemaColumns(schemaPath: string): SchemaColumn[] {
  const text = fs.readFileSync(schemaPath, 'utf8').replace(/\/\/.*$/gm, '');
  const models = [...text.matchAll(/model\s+(\w+)\s*\{([\s\S]*?)\n\}/g)];
  const modelNames = new Set(models.map((m) => m[1]));
  const columns: SchemaColumn[] = [];
  for (const [, name, body] of models) {
    const table = /@@map\("([^"]+)"\)/.exec(body)?.[1] ?? name;
    for (const line of body.split('\n').map((l) => l.trim())) {
      const field = /^(\w+)\s+(\w+)(\?|\[\])?\s*(.*)$/.exec(line);
      if (!field || line.startsWith('@@')) continue;
      const [, fieldName, prismaType, modifier, attributes] = field;
      if (modelNames.has(prismaType)) continue;
      columns.push({
        table,
        column: /@map\("([^"]+)"\)/.exec(attributes)?.[1] ?? fieldName,
        // A scalar list (String[]) is a Postgres array, never NULL in Prisma's mapping.
        type: modifier === '[]' ? 'ARRAY' : postgresType(prismaType, attributes),
        nullable: modifier === '?',
      });
    }
  }
  return columns;
}

function postgresType(prismaType: string, attributes: string): string {
  const native = /@db\.(\w+)(?:\(([^)]*)\))?/.exec(attributes);
  if (native) {
    const [, kind, args] = native;
    const byNative: Record<string, string> = {
      Uuid: 'uuid', Timestamptz: 'timestamp with time zone', SmallInt: 'smallint', Text: 'text', Json: 'json',
      Decimal: `numeric(${(args ?? '').replace(/\s/g, '')})`,
    };
    if (byNative[kind]) return byNative[kind];
    throw new Error(`unmapped native type @db.${kind}`);
  }
  const byScalar: Record<string, string> = {
    String: 'text', Boolean: 'boolean', Int: 'integer', BigInt: 'bigint', DateTime: 'timestamp without time zone',
    Json: 'jsonb', Float: 'double precision', Decimal: 'numeric(65,30)',
  };
  const mapped = byScalar[prismaType];
  if (!mapped) throw new Error(`unmapped Prisma type ${prismaType}`);
  return mapped;
}
