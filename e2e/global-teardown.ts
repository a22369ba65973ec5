import fs from "node:fs";
import pg from "pg";

/** Removes the throwaway database (PGlite folder, or PostgreSQL database) this run created. */
export default async function globalTeardown() {
  const dir = process.env.E2E_DATA_DIR;
  if (dir && dir.includes("gatehouse-e2e-")) fs.rmSync(dir, { recursive: true, force: true });
  const databaseUrl = process.env.E2E_DATABASE_URL;
  if (databaseUrl && process.env.TEST_DATABASE_URL) {
    const name = new URL(databaseUrl).pathname.slice(1);
    if (!/^gatehouse_e2e_[0-9a-f]+$/.test(name)) return;
    const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await client.connect();
    try {
      await client.query(`drop database if exists ${name} with (force)`);
    } finally {
      await client.end();
    }
  }
}
