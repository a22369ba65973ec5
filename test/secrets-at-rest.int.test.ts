import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { decryptSecret, encryptSecret } from "@/lib/crypto/secret-box";
import { identityProviders } from "@/lib/db/schema";
import { createTenant } from "@/lib/db/queries/tenants";
import { createProvisioningToken, verifyProvisioningToken } from "@/lib/db/queries/tokens";
import { recordAudit } from "@/lib/db/queries/audit";
import { verifyApiKey } from "@/lib/db/queries/api-keys";
import { issueApiKey } from "@/lib/admin/api-keys";
import { expiryInDays } from "@/lib/admin/token-lifetime";
import { actors } from "@/lib/audit";
import { drainDeferred } from "@/lib/defer";
import { rowsOf, testDriver, setupTestDatabase } from "./harness";

const database = setupTestDatabase();

describe(`secrets never rest in plaintext (${testDriver()})`, () => {
  it("no table holds a provisioning token, an API key or an IdP client secret in plaintext", async () => {
    const tenant = await createTenant({ name: "Northwind", slug: "northwind", domains: ["northwind.test"] });
    const first = await createProvisioningToken(tenant.id, { expiresAt: new Date(Date.now() + 86_400_000), createdBy: "test" });
    const second = await createProvisioningToken(tenant.id, { name: "rotation", expiresAt: new Date(Date.now() + 86_400_000), createdBy: "test" });
    // Exercise the paths that write after creation (last-used) and audit details.
    expect(await verifyProvisioningToken(`Bearer ${first.token}`, tenant.id)).toMatchObject({ ok: true });
    await recordAudit({ tenantId: tenant.id, actorType: "system", action: "token.created", outcome: "success", details: { token: first.token, secret: "x" } });
    const apiKey = await issueApiKey({ tenantId: tenant.id }, { scope: "read", expiresAt: expiryInDays(30) }, actors.cli());
    const platformKey = await issueApiKey({ tenantId: null, platform: true }, { scope: "read-write", expiresAt: expiryInDays(30) }, actors.cli());
    expect(await verifyApiKey(`Bearer ${apiKey.key}`)).toMatchObject({ ok: true });
    await drainDeferred();

    const clientSecret = "Entra~client.secret_" + Math.random().toString(36).slice(2);
    const [idp] = await database.db
      .insert(identityProviders)
      .values({
        tenantId: tenant.id,
        name: "Microsoft Entra ID",
        clientId: "00000000-0000-0000-0000-000000000001",
        clientSecretEnc: encryptSecret(clientSecret),
        authorizationUrl: "https://login.microsoftonline.com/t/oauth2/v2.0/authorize",
        tokenUrl: "https://login.microsoftonline.com/t/oauth2/v2.0/token",
        jwksUrl: "https://login.microsoftonline.com/t/discovery/v2.0/keys",
      })
      .returning();
    expect(decryptSecret(idp.clientSecretEnc!)).toBe(clientSecret);

    const tables = await database.tables();
    expect(tables).toEqual(expect.arrayContaining(["tenants", "provisioning_tokens", "identity_providers", "audit_events", "users"]));
    let dump = "";
    for (const table of tables) {
      const result = await database.db.execute(sql.raw(`select t::text as row from "${table}" t`));
      dump += rowsOf<{ row: string }>(result).map((r) => r.row).join("\n");
    }
    expect(dump).toContain(idp.clientSecretEnc!); // the dump really covers identity_providers
    expect(dump).toContain(first.row.id);
    expect(dump).toContain(apiKey.row.id);
    for (const secret of [first.token, second.token, apiKey.key, platformKey.key, clientSecret]) {
      expect(dump).not.toContain(secret);
      expect(dump).not.toContain(secret.slice(8, 30)); // nor a recognisable chunk of it
    }
  });
});
