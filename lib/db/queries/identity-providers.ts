import "server-only";
import { and, asc, eq, getTableColumns, sql } from "drizzle-orm";
import { getDb } from "../client";
import { identityProviders, tenants, type IdentityProvider } from "../schema";

export type IdpStatus = IdentityProvider["status"];

/** Every column the console may show: the encrypted secret stays on the server. */
const publicColumns = (() => {
  const { clientSecretEnc: _secret, ...rest } = getTableColumns(identityProviders);
  return { ...rest, hasClientSecret: sql<boolean>`${identityProviders.clientSecretEnc} is not null` };
})();

export type PublicIdentityProvider = Omit<IdentityProvider, "clientSecretEnc"> & { hasClientSecret: boolean };

export type IdentityProviderValues = Omit<
  typeof identityProviders.$inferInsert,
  "id" | "tenantId" | "status" | "createdAt" | "updatedAt" | "clientSecretEnc" | "lastTestedAt" | "lastTestOk" | "lastTestResult" | "lastSuccessfulSignInAt"
>;

export async function listIdentityProviders(tenantIds: string[] | "all") {
  const db = await getDb();
  return db
    .select({
      id: identityProviders.id,
      tenantId: identityProviders.tenantId,
      tenantName: tenants.name,
      name: identityProviders.name,
      type: identityProviders.type,
      status: identityProviders.status,
      clientId: identityProviders.clientId,
      issuer: identityProviders.issuer,
      updatedAt: identityProviders.updatedAt,
      lastSuccessfulSignInAt: identityProviders.lastSuccessfulSignInAt,
    })
    .from(identityProviders)
    .innerJoin(tenants, eq(tenants.id, identityProviders.tenantId))
    .where(tenantIds === "all" ? undefined : tenantIds.length ? sql`${identityProviders.tenantId} in ${tenantIds}` : sql`false`)
    .orderBy(asc(tenants.name), asc(identityProviders.name))
    .limit(500);
}

export async function findIdentityProviderTenantId(idpId: string) {
  const db = await getDb();
  const [row] = await db
    .select({ tenantId: identityProviders.tenantId })
    .from(identityProviders)
    .where(eq(identityProviders.id, idpId))
    .limit(1);
  return row?.tenantId ?? null;
}

export async function getIdentityProvider(tenantId: string, idpId: string): Promise<PublicIdentityProvider | undefined> {
  const db = await getDb();
  const [row] = await db
    .select(publicColumns)
    .from(identityProviders)
    .where(and(eq(identityProviders.tenantId, tenantId), eq(identityProviders.id, idpId)))
    .limit(1);
  return row as PublicIdentityProvider | undefined;
}

export async function createIdentityProvider(tenantId: string, values: IdentityProviderValues & { clientSecretEnc?: string | null }) {
  const db = await getDb();
  const [row] = await db
    .insert(identityProviders)
    .values({ ...values, tenantId, status: "draft" })
    .returning({ id: identityProviders.id, name: identityProviders.name });
  return row;
}

/** `clientSecretEnc` undefined keeps the stored secret (the form leaves it blank). */
export async function updateIdentityProvider(
  tenantId: string,
  idpId: string,
  values: IdentityProviderValues & { clientSecretEnc?: string | null },
) {
  const db = await getDb();
  const { clientSecretEnc, ...rest } = values;
  const [row] = await db
    .update(identityProviders)
    .set({ ...rest, ...(clientSecretEnc ? { clientSecretEnc } : {}), updatedAt: new Date() })
    .where(and(eq(identityProviders.tenantId, tenantId), eq(identityProviders.id, idpId)))
    .returning({ id: identityProviders.id, name: identityProviders.name, status: identityProviders.status });
  return row;
}

export async function setIdentityProviderStatus(tenantId: string, idpId: string, status: IdpStatus) {
  const db = await getDb();
  const [row] = await db
    .update(identityProviders)
    .set({ status, updatedAt: new Date() })
    .where(and(eq(identityProviders.tenantId, tenantId), eq(identityProviders.id, idpId)))
    .returning({ id: identityProviders.id, name: identityProviders.name, status: identityProviders.status });
  return row;
}

export async function deleteIdentityProvider(tenantId: string, idpId: string) {
  const db = await getDb();
  const rows = await db
    .delete(identityProviders)
    .where(and(eq(identityProviders.tenantId, tenantId), eq(identityProviders.id, idpId)))
    .returning({ id: identityProviders.id, name: identityProviders.name });
  return rows[0];
}
