import { and, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { setupTestDatabase, testDriver } from "@/test/harness";
import { auditEvents, tenantDomains } from "@/lib/db/schema";
import { createTenant } from "@/lib/db/queries/tenants";
import type { Viewer } from "@/lib/auth/roles";
import { current } from "@/test/console/viewer-guards";
import { nextOutcome } from "@/test/security/console-session";

// Security review M-3: one tenant per email domain, routed by home-realm discovery only once
// verified by DNS TXT or by a platform admin. The guards read the Auth.js session; here each
// test sets the viewer.
vi.mock("@/lib/auth/guards", async () => (await import("@/test/console/viewer-guards")).viewerGuards);
vi.mock("next/headers", async () => (await import("@/test/security/console-session")).nextHeaders);
vi.mock("next/cache", async () => (await import("@/test/security/console-session")).nextCache);

// The tests stay offline: the DNS lookup goes to this fake resolver (a map of TXT records by
// name) instead of node:dns/promises, injected through checkDnsChallenge's resolver argument.
const dns = vi.hoisted(() => ({ records: new Map<string, string[][]>(), lookups: [] as string[] }));
vi.mock("@/lib/domains/dns-challenge", async (importOriginal) => {
  const real = await importOriginal<typeof import("@/lib/domains/dns-challenge")>();
  const fakeResolveTxt = async (name: string) => {
    dns.lookups.push(name);
    const found = dns.records.get(name);
    if (!found) throw Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: "ENOTFOUND" });
    return found;
  };
  return { ...real, checkDnsChallenge: (domain: string, token: string) => real.checkDnsChallenge(domain, token, fakeResolveTxt) };
});

const { createTenantAction } = await import("@/app/(console)/tenants/actions");
const { claimDomainAction, verifyDomainAction, markDomainVerifiedAction, removeDomainAction } = await import("@/app/(console)/tenants/domain-actions");
const { discoverHomeRealm } = await import("@/lib/auth/sso-start");
const { challengeRecordName, challengeRecordValue } = await import("@/lib/domains/dns-challenge");

const database = setupTestDatabase();

const viewer = (overrides: Partial<Viewer>): Viewer => ({
  userId: "00000000-0000-0000-0000-0000000000a1",
  name: null,
  email: "someone@example.test",
  userName: "someone@example.test",
  tenantId: null,
  platformRole: null,
  tenantRole: null,
  ...overrides,
});
const tenantAdmin = (tenantId: string) => viewer({ tenantId, tenantRole: "tenant_admin" });
const platformAdmin = viewer({ platformRole: "platform_admin" });

async function act<T>(action: (prev: unknown, input: Record<string, unknown>) => Promise<T>, input: Record<string, unknown>) {
  try {
    return await action(null, input);
  } catch (error) {
    const outcome = nextOutcome(error);
    if (outcome) return outcome;
    throw error;
  }
}

const domainRow = async (domain: string) => (await database.db.select().from(tenantDomains).where(eq(tenantDomains.domain, domain)))[0];
const auditOf = async (tenantId: string, action: string) =>
  database.db.select().from(auditEvents).where(and(eq(auditEvents.tenantId, tenantId), eq(auditEvents.action, action))).orderBy(auditEvents.id);

describe(`email domains: one tenant per domain, verified before home-realm discovery routes it (${testDriver()})`, () => {
  let victim: string;
  let attacker: string;

  beforeEach(async () => {
    await database.reset();
    dns.records.clear();
    dns.lookups.length = 0;
    victim = (await createTenant({ name: "Victim Corp", slug: "victim" })).id;
    attacker = (await createTenant({ name: "Attacker", slug: "attacker" })).id;
  });

  it("does not route an unverified claim: bob@victim.example gets the password step, not the claimant's IdP", async () => {
    await createTenant({ name: "Victim Corp ", slug: "victim-corp", domains: ["victim.example"] });
    expect(await discoverHomeRealm("bob@victim.example")).toEqual({ kind: "none" });
  });

  it("refuses a second tenant's claim of a domain with a form error (create dialog and domain list), never a 500", async () => {
    current.viewer = platformAdmin;
    expect(await act(createTenantAction, { name: "First", slug: "first", domains: "shared.example" })).toMatchObject({ redirect: expect.stringContaining("/tenants/") });
    const second = await act(createTenantAction, { name: "Second", slug: "second", domains: "other.example, shared.example" });
    expect(second).toMatchObject({ ok: false, fieldErrors: { domains: expect.stringContaining("already claimed") } });
    expect(await domainRow("other.example")).toBeUndefined();

    current.viewer = tenantAdmin(attacker);
    const claim = await act(claimDomainAction, { tenantId: attacker, domain: "Shared.Example" });
    expect(claim).toMatchObject({ ok: false, fieldErrors: { domain: expect.stringContaining("already claimed") } });
  });

  it("verifies by the TXT record _gatehouse-challenge.<domain> carrying this tenant's value, then routes; audits claim, failed check and verification", async () => {
    current.viewer = tenantAdmin(victim);
    expect(await act(claimDomainAction, { tenantId: victim, domain: "victim.example" })).toMatchObject({ ok: true });
    const claimed = await domainRow("victim.example");
    expect(claimed).toMatchObject({ tenantId: victim, verifiedAt: null, verifiedBy: null });

    const verify = () => act(verifyDomainAction, { tenantId: victim, domainId: claimed.id });
    const missing = await verify();
    expect(missing).toMatchObject({ ok: false, error: expect.stringContaining("_gatehouse-challenge.victim.example has no TXT record") });
    expect(dns.lookups).toEqual(["_gatehouse-challenge.victim.example"]);
    expect((await domainRow("victim.example")).lastCheckedAt).toBeInstanceOf(Date);

    // Another tenant's value (or any other text) does not prove the claim.
    dns.records.set(challengeRecordName("victim.example"), [["v=spf1 -all"], [challengeRecordValue("someone-elses-token")]]);
    expect(await verify()).toMatchObject({ ok: false, error: expect.stringContaining("no TXT record with this tenant's value") });
    expect(await discoverHomeRealm("bob@victim.example")).toEqual({ kind: "none" });

    // DNS splits long TXT values into 255-byte strings; they are joined before comparing.
    const value = challengeRecordValue(claimed.verificationToken);
    dns.records.set(challengeRecordName("victim.example"), [["v=spf1 -all"], [value.slice(0, 10), value.slice(10)]]);
    expect(await verify()).toMatchObject({ ok: true, message: "victim.example verified" });
    expect(await domainRow("victim.example")).toMatchObject({ verifiedBy: "dns", verifiedAt: expect.any(Date) });
    expect(await discoverHomeRealm("Bob@VICTIM.example")).toMatchObject({ kind: "tenant", tenant: { id: victim } });

    expect((await auditOf(victim, "tenant.domain_claimed")).map((e) => e.targetLabel)).toEqual(["victim.example"]);
    expect((await auditOf(victim, "tenant.domain_verified")).map((e) => [e.outcome, e.details])).toEqual([
      ["failure", { method: "dns", reason: "not_found" }],
      ["failure", { method: "dns", reason: "mismatch" }],
      ["success", { method: "dns" }],
    ]);
  });

  it("lets a platform admin mark a domain verified by hand, but not a tenant admin", async () => {
    current.viewer = tenantAdmin(victim);
    await act(claimDomainAction, { tenantId: victim, domain: "victim.example" });
    const { id } = await domainRow("victim.example");
    expect(await act(markDomainVerifiedAction, { tenantId: victim, domainId: id })).toMatchObject({ ok: false, error: "You do not have permission to do that." });
    expect(await domainRow("victim.example")).toMatchObject({ verifiedAt: null });

    current.viewer = platformAdmin;
    expect(await act(markDomainVerifiedAction, { tenantId: victim, domainId: id })).toMatchObject({ ok: true });
    expect(await domainRow("victim.example")).toMatchObject({ verifiedBy: "manual" });
    expect((await auditOf(victim, "tenant.domain_verified")).map((e) => [e.outcome, e.details])).toEqual([
      ["failure", expect.objectContaining({ reason: "forbidden" })],
      ["success", { method: "manual" }],
    ]);
    expect(dns.lookups).toEqual([]);
  });

  it("keeps tenants to their own domains: another tenant's admin can neither verify nor remove it; removing frees it, audited", async () => {
    current.viewer = tenantAdmin(victim);
    await act(claimDomainAction, { tenantId: victim, domain: "victim.example" });
    const { id } = await domainRow("victim.example");

    current.viewer = tenantAdmin(attacker);
    expect(await act(removeDomainAction, { tenantId: victim, domainId: id })).toMatchObject({ ok: false, error: "You do not have permission to do that." });
    expect(await act(removeDomainAction, { tenantId: attacker, domainId: id })).toMatchObject({ ok: false, error: expect.stringContaining("no longer in the tenant's list") });
    expect(await act(verifyDomainAction, { tenantId: attacker, domainId: id })).toMatchObject({ ok: false });
    expect(await domainRow("victim.example")).toBeDefined();

    current.viewer = tenantAdmin(victim);
    expect(await act(removeDomainAction, { tenantId: victim, domainId: id })).toMatchObject({ ok: true });
    expect(await domainRow("victim.example")).toBeUndefined();
    const removals = (await auditOf(victim, "tenant.domain_removed")).filter((e) => e.outcome === "success");
    expect(removals.map((e) => e.targetLabel)).toEqual(["victim.example"]);
  });
});
