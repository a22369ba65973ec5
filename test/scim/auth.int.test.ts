import { describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { setupTestDatabase } from "../harness";
import { createScimTenant, scimClient, type ScimBody } from "./client";
import { createProvisioningToken, revokeProvisioningToken, VERIFIED_TTL_MS } from "@/lib/db/queries/tokens";

const database = setupTestDatabase();

async function expect401(res: { status: number; headers: Headers; body: ScimBody }, label: string) {
  expect(res.status, label).toBe(401);
  expect(res.headers.get("content-type"), label).toContain("application/scim+json");
  expect(res.headers.get("www-authenticate"), label).toContain("Bearer");
  expect(res.body, label).toEqual({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "401", detail: expect.any(String) });
}

describe("RFC 7644 §2 bearer-token authentication", () => {
  it("accepts the tenant's own token and refuses every bad one with 401 and no data", async () => {
    const { tenant, token, scim } = await createScimTenant();
    const other = await createScimTenant();
    expect((await scim.get("/ServiceProviderConfig")).status).toBe(200);

    await expect401(await scimClient(tenant.id, "").get("/ServiceProviderConfig"), "missing");
    await expect401(await scimClient(tenant.id, "not-a-token").get("/Users"), "malformed");
    const typo = token.slice(0, 12) + (token[12] === "A" ? "B" : "A") + token.slice(13);
    await expect401(await scimClient(tenant.id, typo).get("/Users"), "one character off");
    await expect401(await scimClient(tenant.id, other.token).get("/Users"), "other tenant's token");
    await expect401(await scimClient("not-a-uuid", token).get("/Users"), "unknown tenant id");

    const expiring = await createProvisioningToken(tenant.id, { expiresAt: new Date(Date.now() + 60_000), createdBy: "test" });
    expect((await scimClient(tenant.id, expiring.token).get("/Users")).status).toBe(200);
    await database.db.execute(sql`update provisioning_tokens set expires_at = now() - interval '1 second' where id = ${expiring.row.id}`);
    // A change written by another process is seen once this instance's kept row is a second old.
    await new Promise((resolve) => setTimeout(resolve, VERIFIED_TTL_MS));
    await expect401(await scimClient(tenant.id, expiring.token).get("/Users"), "expired");

    const revoked = await createProvisioningToken(tenant.id, { expiresAt: new Date(Date.now() + 86_400_000), createdBy: "test" });
    expect((await scimClient(tenant.id, revoked.token).get("/Users")).status).toBe(200);
    await revokeProvisioningToken(tenant.id, revoked.row.id);
    await expect401(await scimClient(tenant.id, revoked.token).get("/Users"), "revoked");

    // Rotation: the original token keeps working while the others come and go.
    expect((await scim.get("/Users")).status).toBe(200);
  });
});
