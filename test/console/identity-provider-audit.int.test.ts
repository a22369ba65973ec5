import { desc } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { setupTestDatabase, testDriver } from "@/test/harness";
import { auditEvents } from "@/lib/db/schema";
import { createTenant } from "@/lib/db/queries/tenants";
import { signInPlatformAdmin } from "@/test/security/signed-in-admin";
import { idpForm } from "@/test/fixtures/idp";

vi.mock("next/headers", async () => (await import("@/test/security/console-session")).nextHeaders);
vi.mock("next/cache", async () => (await import("@/test/security/console-session")).nextCache);

const { saveIdpAction } = await import("@/app/(console)/identity-providers/actions");

const database = setupTestDatabase();
const FIRST_SECRET = "first-client-secret-value";
const SECOND_SECRET = "second-client-secret-value";

const form = (tenantId: string) => idpForm({ tenantId, newIdpId: crypto.randomUUID(), clientSecret: FIRST_SECRET });

const lastEvent = async () => (await database.db.select().from(auditEvents).orderBy(desc(auditEvents.id)).limit(1))[0];

describe(`identity provider save: the audit row says what changed, never the secret (${testDriver()})`, () => {
  let tenantId: string;

  beforeAll(async () => {
    tenantId = (await createTenant({ name: "Contoso", slug: "contoso" })).id;
    await signInPlatformAdmin(database.db);
  });

  it("keeps secretReplaced and tokenUrl on create, on an endpoint change with a new secret, and on a save without one", async () => {
    const created = await saveIdpAction(null, form(tenantId));
    expect(created).toMatchObject({ ok: true });
    const idpId = (created.data as { id: string }).id;
    const onCreate = await lastEvent();
    expect(onCreate).toMatchObject({ action: "idp.created", details: { secretReplaced: true, tokenUrl: "https://login.example.test/token", clientId: "client-id" } });

    const moved = { ...form(tenantId), idpId, tokenUrl: "https://login2.example.test/token", clientSecret: SECOND_SECRET };
    expect(await saveIdpAction(null, moved)).toMatchObject({ ok: true });
    const onMove = await lastEvent();
    expect(onMove).toMatchObject({
      action: "idp.updated",
      details: {
        secretReplaced: true,
        tokenUrl: "https://login2.example.test/token",
        endpointChanges: [{ field: "tokenUrl", from: "https://login.example.test", to: "https://login2.example.test" }],
      },
    });

    expect(await saveIdpAction(null, { ...moved, name: "Entra (prod)", clientSecret: "" })).toMatchObject({ ok: true });
    const onRename = await lastEvent();
    expect(onRename).toMatchObject({ action: "idp.updated", details: { secretReplaced: false, name: "Entra (prod)", tokenUrl: "https://login2.example.test/token" } });

    for (const event of [onCreate, onMove, onRename]) {
      const stored = JSON.stringify(event);
      expect(stored).not.toContain(FIRST_SECRET);
      expect(stored).not.toContain(SECOND_SECRET);
      expect(Object.keys(event.details ?? {})).not.toContain("clientSecret");
    }
  });
});
