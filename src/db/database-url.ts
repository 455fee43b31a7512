// Splits a mysql:// URL into the server part and the database name, so the
// migration runner can create the database before connecting to it.
export interface DatabaseUrlParts {
  serverUrl: string;
  database: string;
}

export function splitDatabaseUrl(url: string): DatabaseUrlParts {
  const parsed = new URL(url.replace(/^mariadb:/, 'mysql:'));
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (!/^[A-Za-z0-9_$-]{1,64}$/.test(database)) {
    throw new Error(`DATABASE_URL must name a database (letters, digits, _ $ -), got "${database}"`);
  }
  parsed.pathname = '/';
  return { serverUrl: parsed.toString(), database };
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
