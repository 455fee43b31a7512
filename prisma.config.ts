// Prisma CLI config. The CLI checks that a schema engine binary exists before
// `generate` even though generate does not use it; none can be downloaded here
// and MySQL migrations are applied by scripts/db-migrate.ts, so any existing
// file satisfies the check.
import { defineConfig } from 'prisma/config';

process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= process.execPath;

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/face_attendance' },
});
