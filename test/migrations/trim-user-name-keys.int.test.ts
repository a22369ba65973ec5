import fs from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { setupTestDatabase } from "../harness";

// Migration 0008 re-keys users whose userName key was stored with surrounding white space
// before keys were trimmed. It runs once at deploy time, on whatever rows exist; here it is
// run again by hand on rows that reproduce the old state.
const migration = fs.readFileSync(path.join(process.cwd(), "drizzle/0008_trim_user_name_keys.sql"), "utf8");

describe("migration 0008: padded userName keys are trimmed without merging two people", () => {
  const database = setupTestDatabase();

  async function tenant() {
    const id = randomUUID();
    await database.db.execute(sql`insert into tenants (id, name, slug) values (${id}, ${`T ${id}`}, ${`t-${id.slice(0, 8)}`})`);
    return id;
  }
  async function user(tenantId: string, key: string) {
    const id = randomUUID();
    await database.db.execute(sql`insert into users (id, tenant_id, user_name, user_name_normalized) values (${id}, ${tenantId}, ${key}, ${key})`);
    return id;
  }
  async function keyOf(id: string) {
    const result = await database.db.execute(sql`select user_name_normalized as key from users where id = ${id}`);
    return ((result as { rows: { key: string }[] }).rows[0]).key;
  }

  it("trims a padded key, leaves a clean one, and keeps a colliding pair apart", async () => {
    const a = await tenant();
    const b = await tenant();
    const padded = await user(a, "  alice@x.example\t");
    const clean = await user(a, "bob@x.example");
    const owner = await user(a, "carol@x.example");
    const twin = await user(a, " carol@x.example");
    const [first, second] = [randomUUID(), randomUUID()].sort();
    await database.db.execute(sql`insert into users (id, tenant_id, user_name, user_name_normalized) values
      (${first}, ${a}, 'dave', ' dave@x.example'), (${second}, ${a}, 'dave', 'dave@x.example ')`);
    const otherTenant = await user(b, " alice@x.example");

    await database.db.execute(sql.raw(migration));

    expect(await keyOf(padded)).toBe("alice@x.example");
    expect(await keyOf(clean)).toBe("bob@x.example");
    expect(await keyOf(owner)).toBe("carol@x.example");
    expect(await keyOf(twin)).toBe(" carol@x.example");
    expect(await keyOf(first)).toBe("dave@x.example");
    expect(await keyOf(second)).toBe("dave@x.example ");
    expect(await keyOf(otherTenant)).toBe("alice@x.example");
  });
});
