// Reads the parts of prisma/schema.prisma that decide the MySQL layout: models,
// scalar fields (type, optional, native type), enums, @unique / @@index names.
// Good enough for the drift check; not a general Prisma parser.
export interface ExpectedColumn {
  name: string;
  /** MySQL DATA_TYPE as information_schema reports it. */
  dataType: string;
  nullable: boolean;
  /** For VARCHAR columns. */
  length?: number;
  enumValues?: string[];
  /** Full COLUMN_TYPE when a precision is given, e.g. datetime(3). */
  columnType?: string;
}

export interface ExpectedTable {
  name: string;
  columns: ExpectedColumn[];
  /** Index names, Prisma's convention: Model_field1_field2_key / _idx. */
  indexes: string[];
}

const scalarTypes: Record<string, string> = {
  Int: 'int',
  BigInt: 'bigint',
  String: 'varchar',
  Boolean: 'tinyint',
  DateTime: 'datetime',
  Float: 'double',
  Decimal: 'decimal',
  // MariaDB stores JSON as LONGTEXT with a json_valid check.
  Json: 'longtext',
  Bytes: 'longblob',
};

const nativeTypes: Record<string, string> = {
  VarChar: 'varchar',
  Char: 'char',
  Text: 'text',
  Blob: 'blob',
  LongBlob: 'longblob',
  MediumBlob: 'mediumblob',
  DateTime: 'datetime',
  Date: 'date',
};

export function readPrismaSchema(source: string): ExpectedTable[] {
  const enums = new Map<string, string[]>();
  for (const m of source.matchAll(/^enum\s+(\w+)\s*\{([^}]*)\}/gm)) {
    const values = m[2]!
      .split('\n')
      .map((l) => l.replace(/\/\/.*$/, '').trim())
      .filter(Boolean);
    enums.set(m[1]!, values);
  }
  const models = [...source.matchAll(/^model\s+(\w+)\s*\{([^}]*)\}/gm)].map((m) => ({ name: m[1]!, body: m[2]! }));
  const modelNames = new Set(models.map((m) => m.name));

  return models.map(({ name, body }) => {
    const columns: ExpectedColumn[] = [];
    const indexes: string[] = [];
    for (const raw of body.split('\n')) {
      const line = raw.replace(/\/\/.*$/, '').trim();
      if (!line) {
        continue;
      }
      const block = /^@@(index|unique)\(\[([^\]]+)\]/.exec(line);
      if (block) {
        const fields = block[2]!.split(',').map((f) => f.trim());
        indexes.push(`${name}_${fields.join('_')}_${block[1] === 'unique' ? 'key' : 'idx'}`);
        continue;
      }
      const field = /^(\w+)\s+(\w+)(\[\])?(\?)?(.*)$/.exec(line);
      if (!field) {
        continue;
      }
      const fieldName = field[1]!;
      const type = field[2]!;
      const list = field[3];
      const optional = field[4];
      const attrs = field[5] ?? '';
      if (list || modelNames.has(type)) {
        continue; // relation field: no column
      }
      const column: ExpectedColumn = { name: fieldName, dataType: '', nullable: Boolean(optional) };
      const native = /@db\.(\w+)(?:\((\d+)\))?/.exec(attrs);
      if (enums.has(type)) {
        column.dataType = 'enum';
        column.enumValues = enums.get(type)!;
      } else if (native) {
        column.dataType = nativeTypes[native[1]!] ?? native[1]!.toLowerCase();
        if (native[2] && (column.dataType === 'varchar' || column.dataType === 'char')) {
          column.length = Number(native[2]);
        } else if (native[2]) {
          column.columnType = `${column.dataType}(${native[2]})`;
        }
      } else {
        column.dataType = scalarTypes[type] ?? type.toLowerCase();
        if (type === 'String') {
          column.length = 191;
        }
      }
      if (/@unique\b/.test(attrs)) {
        indexes.push(`${name}_${fieldName}_key`);
      }
      columns.push(column);
    }
    return { name, columns, indexes: indexes.sort() };
  });
}
