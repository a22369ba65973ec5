import { desc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { setupTestDatabase, testDriver } from "@/test/harness";
import { auditEvents } from "@/lib/db/schema";
import { createTenant } from "@/lib/db/queries/tenants";
import { MAX_TOKEN_DAYS } from "@/lib/admin/token-lifetime";
import { TOKEN_PREFIX } from "@/lib/crypto/tokens";
import { tokenCommands } from "@/cli/commands/token";
import type { Output } from "@/cli/output";
import { signInPlatformAdmin } from "@/test/security/signed-in-admin";

vi.mock("next/headers", async () => (await import("@/test/security/console-session")).nextHeaders);
vi.mock("next/cache", async () => (await import("@/test/security/console-session")).nextCache);

const { generateTokenAction } = await import("@/app/(console)/tenants/token-actions");

const database = setupTestDatabase();
const DAY = 86_400_000;
const isoDateIn = (days: number) => new Date(Date.now() + days * DAY).toISOString().slice(0, 10);

function cliOutput(): Output & { results: Record<string, unknown>[] } {
  const results: Record<string, unknown>[] = [];
  return { json: true, results, result: (data) => void results.push(data as Record<string, unknown>), note: () => {} };
}

const cliCreate = (values: Record<string, string>) => tokenCommands.create.run({ values: { tenant: "contoso", ...values }, positionals: [], out: cliOutput() });
const consoleCreate = (tenantId: string, expiresOn: string) => generateTokenAction(null, { tenantId, name: "Entra provisioning", expiresOn });
const lastTokenEvent = async () =>
  (await database.db.select().from(auditEvents).where(eq(auditEvents.action, "token.created")).orderBy(desc(auditEvents.id)).limit(1))[0];

describe(`one SCIM token lifetime cap, from the console and the CLI (${testDriver()})`, () => {
  let tenantId: string;

  beforeAll(async () => {
    tenantId = (await createTenant({ name: "Contoso", slug: "contoso" })).id;
    await signInPlatformAdmin(database.db);
  });

  it(`is ${MAX_TOKEN_DAYS} days (two years)`, () => {
    expect(MAX_TOKEN_DAYS).toBe(730);
  });

  it(`both accept ${MAX_TOKEN_DAYS} days ahead`, async () => {
    expect(await consoleCreate(tenantId, isoDateIn(MAX_TOKEN_DAYS))).toMatchObject({ ok: true });
    await expect(cliCreate({ days: String(MAX_TOKEN_DAYS) })).resolves.toBeUndefined();
    await expect(cliCreate({ expires: isoDateIn(MAX_TOKEN_DAYS) })).resolves.toBeUndefined();
  });

  it(`both refuse ${MAX_TOKEN_DAYS + 1} days ahead, as they did 3,650 days`, async () => {
    expect(await consoleCreate(tenantId, isoDateIn(MAX_TOKEN_DAYS + 1))).toMatchObject({ ok: false, fieldErrors: { expiresOn: expect.any(String) } });
    await expect(cliCreate({ days: String(MAX_TOKEN_DAYS + 1) })).rejects.toThrow(`--days must be a whole number from 1 to ${MAX_TOKEN_DAYS}`);
    await expect(cliCreate({ expires: isoDateIn(MAX_TOKEN_DAYS + 1) })).rejects.toThrow(`--expires must be within ${MAX_TOKEN_DAYS} days`);
    await expect(cliCreate({ days: "3650" })).rejects.toThrow(/--days/);
  });

  it("both record token.created with the same details: the expiry and the prefix…last4 hint, never the token", async () => {
    const fromConsole = await consoleCreate(tenantId, isoDateIn(30));
    const consoleEvent = await lastTokenEvent();
    const out = cliOutput();
    await tokenCommands.create.run({ values: { tenant: "contoso", days: "30" }, positionals: [], out });
    const cliEvent = await lastTokenEvent();
    for (const [event, token] of [
      [consoleEvent, (fromConsole.data as { token: string }).token],
      [cliEvent, (out.results[0] as { token: string }).token],
    ] as const) {
      expect(Object.keys(event.details ?? {}).sort()).toEqual(["expiresAt", "hint"]);
      expect(event.details).toMatchObject({ hint: `${TOKEN_PREFIX}…${token.slice(-4)}` });
      expect(JSON.stringify(event)).not.toContain(token);
    }
    expect([consoleEvent.actorType, cliEvent.actorType]).toEqual(["admin", "system"]);
  });
});
