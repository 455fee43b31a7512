// `npm run db:migrate`: creates the database named in DATABASE_URL if needed and applies pending migrations.
import { loadEnvFile } from 'node:process';
import { existsSync } from 'node:fs';
import { migrate } from '../src/db/migrate.js';

if (existsSync('.env')) {
  loadEnvFile('.env');
}
const url = process.env.DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/face_attendance';
try {
  const result = await migrate(url, { log: (line) => console.log(line) });
  console.log(
    `database ready: ${result.applied.length} migration(s) applied, ${result.alreadyApplied.length} already applied`,
  );
} catch (err) {
  console.error(`migration failed: ${(err as Error).message}`);
  process.exit(1);
}
