import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { generatePassword } from "../crypto/password";
import { getDb } from "./client";
import { groupMembers, groups, roleMappings, tenantCounters, users } from "./schema";
import { upsertPlatformAdmin } from "./queries/admins";
import { foldName, normalizeUserName } from "../identity/normalize";
import { actors, type Actor } from "../audit";
import { recordAudit } from "./queries/audit";
import { createTenant, findTenantBySlug } from "./queries/tenants";

// Demo data for `gatehouse db seed`, `npm run dev` on first start, and preview deploys.
// Idempotent: re-running adds whatever is missing and never resets the admin's password.

export const DEMO_TENANT = { name: "Acme Corp", slug: "acme", domains: ["acme.test"], domainsVerifiedBy: "manual" as const };
export const DEFAULT_SEED_ADMIN_EMAIL = "admin@gatehouse.local";

const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

type DemoUser = {
  externalId: string;
  givenName: string;
  familyName: string;
  login: string;
  title: string;
  department: string;
  employeeNumber: string;
  userType: "Standard" | "Premium";
  active?: boolean;
};

const DEMO_USERS: DemoUser[] = [
  { externalId: "5e3b5a4c-1f0e-4a57-9c1b-7f3f2d6a0b11", givenName: "Adele", familyName: "Vance", login: "adele.vance", title: "Retail Manager", department: "Retail", employeeNumber: "1001", userType: "Premium" },
  { externalId: "a4c1d2f0-6b8e-4f3a-8d2c-3e9b7a1c5d22", givenName: "Alex", familyName: "Wilber", login: "alex.wilber", title: "Marketing Assistant", department: "Marketing", employeeNumber: "1002", userType: "Standard" },
  { externalId: "c7e2b9d4-3a1f-4c8e-9b6d-2f4a8e1c7b33", givenName: "Megan", familyName: "Bowen", login: "megan.bowen", title: "Marketing Manager", department: "Marketing", employeeNumber: "1003", userType: "Premium" },
  { externalId: "e1f4a7c2-9d3b-4e6a-8c5f-1b7d3a9e2c44", givenName: "Diego", familyName: "Siciliani", login: "diego.siciliani", title: "HR Manager", department: "Human Resources", employeeNumber: "1004", userType: "Standard" },
  { externalId: "f2a8c5e1-7b4d-4a9c-8e3f-6d1b9c4a7e55", givenName: "Lynne", familyName: "Robbins", login: "lynne.robbins", title: "Planner", department: "Retail", employeeNumber: "1005", userType: "Standard", active: false },
];

const DEMO_GROUPS = [
  { displayName: "Marketing", externalId: "0b6f3c1e-2d4a-4f8b-9a7c-5e1d3b8f6a01", members: ["alex.wilber", "megan.bowen"] },
  { displayName: "Gatehouse Admins", externalId: "3d9a7e2c-8f1b-4c6d-a5e9-7b2c4f1d8e02", members: ["adele.vance"], role: "tenant_admin" as const },
];

/** The SCIM resource as Entra would have provisioned it (RFC 7643 §4.1 + enterprise extension). */
export function demoScimUser(user: DemoUser, domain: string) {
  const email = `${user.login}@${domain}`;
  return {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE],
    externalId: user.externalId,
    userName: email,
    name: { givenName: user.givenName, familyName: user.familyName, formatted: `${user.givenName} ${user.familyName}` },
    displayName: `${user.givenName} ${user.familyName}`,
    title: user.title,
    userType: user.userType,
    active: user.active ?? true,
    emails: [{ value: email, type: "work", primary: true }],
    [ENTERPRISE]: { department: user.department, employeeNumber: user.employeeNumber },
  };
}

export type SeedOptions = { adminEmail?: string; adminPassword?: string; actorLabel?: string };

export type SeedResult = {
  tenant: { id: string; slug: string; name: string; created: boolean };
  admin: { email: string; created: boolean; password?: string; passwordFrom?: "generated" | "environment" };
  usersCreated: number;
  groupsCreated: number;
};

export async function seedDatabase(options: SeedOptions = {}): Promise<SeedResult> {
  const actor = { ...actors.system(options.actorLabel ?? "cli"), outcome: "success" as const };
  const admin = await seedAdmin(options, actor);
  let tenant: { id: string; slug: string; name: string } | undefined = await findTenantBySlug(DEMO_TENANT.slug);
  const tenantCreated = !tenant;
  if (!tenant) {
    tenant = await createTenant(DEMO_TENANT);
    await recordAudit({ ...actor, tenantId: tenant.id, action: "tenant.created", targetType: "tenant", targetId: tenant.id, targetLabel: tenant.name, details: { seed: true } });
  }
  const usersCreated = await seedUsers(tenant.id, DEMO_TENANT.domains[0]);
  const groupsCreated = await seedGroups(tenant.id);
  await refreshCounters(tenant.id);
  if (tenantCreated || usersCreated || groupsCreated || admin.created) {
    await recordAudit({ ...actor, tenantId: tenant.id, action: "db.seeded", targetType: "tenant", targetId: tenant.id, targetLabel: tenant.name, details: { usersCreated, groupsCreated } });
  }
  return { tenant: { id: tenant.id, slug: tenant.slug, name: tenant.name, created: tenantCreated }, admin, usersCreated, groupsCreated };
}

async function seedAdmin(options: SeedOptions, actor: Actor & { outcome: "success" }) {
  const db = await getDb();
  const email = normalizeUserName(options.adminEmail ?? DEFAULT_SEED_ADMIN_EMAIL);
  const [existing] = await db
    .select({ id: users.id })
    .from(users)
    .where(and(isNull(users.tenantId), eq(users.userNameNormalized, email)))
    .limit(1);
  if (existing) return { email, created: false };
  const password = options.adminPassword ?? generatePassword();
  const created = await upsertPlatformAdmin({ email, password, name: "Gatehouse Admin" });
  await recordAudit({ ...actor, action: "admin.created", targetType: "user", targetId: created.id, targetLabel: email, details: { seed: true } });
  // A password from the environment is never echoed back; a generated one is shown this once.
  if (options.adminPassword) return { email, created: true, passwordFrom: "environment" as const };
  return { email, created: true, password, passwordFrom: "generated" as const };
}

async function seedUsers(tenantId: string, domain: string) {
  const db = await getDb();
  const rows = DEMO_USERS.map((user) => {
    const scim = demoScimUser(user, domain);
    return {
      tenantId,
      userName: scim.userName,
      userNameNormalized: normalizeUserName(scim.userName),
      externalId: user.externalId,
      name: scim.displayName,
      givenName: user.givenName,
      familyName: user.familyName,
      email: scim.userName,
      workEmails: [scim.userName.toLowerCase()],
      active: scim.active,
      source: "scim" as const,
      loginMethod: "sso" as const,
      userType: user.userType,
      scim,
    };
  });
  const inserted = await db.insert(users).values(rows).onConflictDoNothing().returning({ id: users.id });
  return inserted.length;
}

async function seedGroups(tenantId: string) {
  const db = await getDb();
  const inserted = await db
    .insert(groups)
    .values(
      DEMO_GROUPS.map((g) => ({
        tenantId,
        displayName: g.displayName,
        displayNameNormalized: foldName(g.displayName),
        externalId: g.externalId,
        source: "scim" as const,
        scim: { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: g.displayName, externalId: g.externalId },
      })),
    )
    .onConflictDoNothing()
    .returning({ id: groups.id });
  const groupRows = await db
    .select({ id: groups.id, externalId: groups.externalId })
    .from(groups)
    .where(and(eq(groups.tenantId, tenantId), inArray(groups.externalId, DEMO_GROUPS.map((g) => g.externalId))));
  const userRows = await db
    .select({ id: users.id, userName: users.userNameNormalized })
    .from(users)
    .where(eq(users.tenantId, tenantId));
  const userIdByLogin = new Map(userRows.map((u) => [u.userName.split("@")[0], u.id]));
  for (const demo of DEMO_GROUPS) {
    const group = groupRows.find((g) => g.externalId === demo.externalId);
    if (!group) continue;
    const members = demo.members.flatMap((login) => {
      const userId = userIdByLogin.get(login);
      return userId ? [{ groupId: group.id, userId, tenantId }] : [];
    });
    if (members.length) await db.insert(groupMembers).values(members).onConflictDoNothing();
    if (demo.role) await db.insert(roleMappings).values({ tenantId, groupId: group.id, role: demo.role }).onConflictDoNothing();
  }
  return inserted.length;
}

/** Recomputes the maintained counters for the demo tenant (small; seed-only). */
async function refreshCounters(tenantId: string) {
  const db = await getDb();
  await db
    .update(groups)
    .set({ memberCount: sql`(select count(*)::int from ${groupMembers} where ${groupMembers.groupId} = ${groups.id})` })
    .where(eq(groups.tenantId, tenantId));
  await db.transaction(async (tx) => {
    await tx.delete(tenantCounters).where(eq(tenantCounters.tenantId, tenantId));
    await tx.insert(tenantCounters).values({
      tenantId,
      shard: 0,
      users: sql`(select count(*)::int from ${users} where ${users.tenantId} = ${tenantId})`,
      groups: sql`(select count(*)::int from ${groups} where ${groups.tenantId} = ${tenantId})`,
    });
  });
}
