import { desc, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { setupTestDatabase, testDriver } from "@/test/harness";
import { createScimTenant } from "@/test/scim/client";
import { auditEvents, tenants } from "@/lib/db/schema";
import { actors } from "@/lib/audit";
import { AdminError } from "@/lib/admin/errors";
import { SCIM_RATE_LIMIT, updateTenant, updateTenantSchema, updateTenantSettings } from "@/lib/admin/tenants";
import { DEFAULT_TENANT_SETTINGS } from "@/lib/db/queries/tenants";

// The one home of the tenant settings rule (lib/admin/tenants.ts), as the console's save and the
// CLI's `tenant settings` reach it.
const database = setupTestDatabase();

const lastEvent = async (tenantId: string) =>
  (await database.db.select().from(auditEvents).where(eq(auditEvents.tenantId, tenantId)).orderBy(desc(auditEvents.id)).limit(1))[0];
/** SCIM limits count in fixed windows on the minute: a run crossing one starts again. Begin with 10 s left. */
async function insideOneWindow() {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < 10_000) await new Promise((resolve) => setTimeout(resolve, left + 50));
}
const settingsOf = async (tenantId: string) => (await database.db.select().from(tenants).where(eq(tenants.id, tenantId)))[0].settings;

describe(`tenant settings (${testDriver()})`, () => {
  let fixture: Awaited<ReturnType<typeof createScimTenant>>;
  beforeEach(async () => {
    fixture = await createScimTenant();
  });

  describe("the SCIM rate limit's bounds", () => {
    const form = (scimRateLimitPerMinute: unknown) => ({
      tenantId: fixture.tenant.id,
      name: "Contoso",
      slug: "contoso",
      userLinking: "conflict",
      defaultTokenDays: "30",
      scimRateLimitPerMinute,
    });

    it.each([
      ["9", "At least 10 requests per minute"],
      ["0", "At least 10 requests per minute"],
      ["-5", "At least 10 requests per minute"],
      ["1000001", "At most 1,000,000 requests per minute"],
      ["12.5", "Enter a whole number of requests per minute"],
      ["lots", "Enter a number of requests per minute"],
      ["", "At least 10 requests per minute"],
    ])("refuses %j in the console's form, on the field", (value, message) => {
      const parsed = updateTenantSchema.safeParse(form(value));
      expect(parsed.success).toBe(false);
      expect(parsed.error!.issues).toEqual([expect.objectContaining({ path: ["scimRateLimitPerMinute"], message })]);
    });

    it("accepts both ends, and a form without the field keeps the current limit", () => {
      expect(updateTenantSchema.parse(form(String(SCIM_RATE_LIMIT.min))).scimRateLimitPerMinute).toBe(10);
      expect(updateTenantSchema.parse(form(String(SCIM_RATE_LIMIT.max))).scimRateLimitPerMinute).toBe(1_000_000);
      expect(updateTenantSchema.parse(form(undefined)).scimRateLimitPerMinute).toBeUndefined();
    });

    it("refuses out-of-bounds values from the CLI's door too, and changes nothing", async () => {
      for (const patch of [{ scimRateLimitPerMinute: 9 }, { scimRateLimitPerMinute: 2_000_000 }, { defaultTokenDays: 0 }, { defaultTokenDays: 731 }]) {
        await expect(updateTenantSettings(fixture.tenant.id, patch, actors.cli())).rejects.toBeInstanceOf(AdminError);
      }
      expect(await settingsOf(fixture.tenant.id)).toEqual({});
      expect(await lastEvent(fixture.tenant.id)).toBeUndefined();
    });
  });

  describe("audit", () => {
    it("records who changed which setting from what to what, keeping the others", async () => {
      const result = await updateTenantSettings(fixture.tenant.id, { scimRateLimitPerMinute: 1200, jitProvisioning: true }, actors.cli());
      expect(result.settings).toEqual({ ...DEFAULT_TENANT_SETTINGS, scimRateLimitPerMinute: 1200, jitProvisioning: true });
      expect(await settingsOf(fixture.tenant.id)).toEqual({ scimRateLimitPerMinute: 1200, jitProvisioning: true });
      expect(await lastEvent(fixture.tenant.id)).toMatchObject({
        action: "tenant.updated",
        actorType: "system",
        actorLabel: "cli",
        outcome: "success",
        targetType: "tenant",
        targetId: fixture.tenant.id,
        details: {
          settings: { scimRateLimitPerMinute: 1200, jitProvisioning: true },
          changes: { scimRateLimitPerMinute: { from: 6000, to: 1200 }, jitProvisioning: { from: false, to: true } },
        },
      });

      await updateTenantSettings(fixture.tenant.id, { userLinking: "link" }, actors.cli());
      expect(await settingsOf(fixture.tenant.id)).toEqual({ scimRateLimitPerMinute: 1200, jitProvisioning: true, userLinking: "link" });
    });

    it("writes and records nothing when nothing changes", async () => {
      await updateTenantSettings(fixture.tenant.id, { scimRateLimitPerMinute: 1200 }, actors.cli());
      const before = await lastEvent(fixture.tenant.id);
      const again = await updateTenantSettings(fixture.tenant.id, { scimRateLimitPerMinute: 1200, ssoMatchBy: "automatic" }, actors.cli());
      expect(again.changes).toEqual({});
      expect((await lastEvent(fixture.tenant.id)).id).toBe(before.id);
    });

    it("the console's save records the same event with the setting's change", async () => {
      await updateTenant(
        { tenantId: fixture.tenant.id, name: fixture.tenant.name, slug: fixture.tenant.slug, userLinking: "conflict", defaultTokenDays: 30, jitProvisioning: false, ssoMatchBy: "automatic", scimRateLimitPerMinute: 600 },
        actors.cli(),
      );
      expect(await lastEvent(fixture.tenant.id)).toMatchObject({
        action: "tenant.updated",
        details: { settings: expect.objectContaining({ scimRateLimitPerMinute: 600 }), changes: { scimRateLimitPerMinute: { from: 6000, to: 600 } } },
      });
    });

    it("refuses a tenant that is gone", async () => {
      await expect(updateTenantSettings("00000000-0000-4000-8000-000000000000", { jitProvisioning: true }, actors.cli())).rejects.toThrow("This tenant no longer exists.");
    });
  });

  describe("a changed limit counts on this instance's next request", () => {
    it("a lowered limit refuses the very next request, with Retry-After", async () => {
      await insideOneWindow();
      await updateTenantSettings(fixture.tenant.id, { scimRateLimitPerMinute: 1000 }, actors.cli());
      // Enough requests that the instance holds slots reserved ahead under the old limit.
      for (let i = 0; i < 40; i++) expect((await fixture.scim.get("/ServiceProviderConfig")).status).toBe(200);

      await updateTenantSettings(fixture.tenant.id, { scimRateLimitPerMinute: 10 }, actors.cli());
      const refused = await fixture.scim.get("/ServiceProviderConfig");
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    });

    it("a raised limit lets the very next request through", async () => {
      await insideOneWindow();
      await updateTenantSettings(fixture.tenant.id, { scimRateLimitPerMinute: 10 }, actors.cli());
      const statuses = [];
      for (let i = 0; i < 11; i++) statuses.push((await fixture.scim.get("/ServiceProviderConfig")).status);
      expect(statuses.at(-1)).toBe(429);

      await updateTenantSettings(fixture.tenant.id, { scimRateLimitPerMinute: 100 }, actors.cli());
      expect((await fixture.scim.get("/ServiceProviderConfig")).status).toBe(200);
    });
  });
});
