import "server-only";
import { and, eq, gt, lt, sql } from "drizzle-orm";
import { getDb } from "../client";
import { samlAssertions, samlRequests } from "../schema";

// The state SAML sign-in keeps between requests, in the database so that it holds across
// instances. Every row names its tenant and identity provider.

export type SamlRequestRow = typeof samlRequests.$inferSelect;

export async function saveSamlRequest(row: {
  id: string;
  tenantId: string;
  idpId: string;
  browserHash: string;
  callbackUrl: string;
  testAdminUserId?: string | null;
  expiresAt: Date;
}) {
  const db = await getDb();
  // Expired requests are of no use to anyone; each new one sweeps a few.
  await db.delete(samlRequests).where(lt(samlRequests.expiresAt, sql`now()`));
  await db.insert(samlRequests).values({ ...row, testAdminUserId: row.testAdminUserId ?? null });
}

/** The live request `id` that this IdP's flow started in the browser whose cookie hashes to `browserHash`. */
export async function findSamlRequest(tenantId: string, idpId: string, id: string, browserHash: string): Promise<SamlRequestRow | undefined> {
  const db = await getDb();
  const [row] = await db
    .select()
    .from(samlRequests)
    .where(
      and(
        eq(samlRequests.tenantId, tenantId),
        eq(samlRequests.idpId, idpId),
        eq(samlRequests.id, id),
        eq(samlRequests.browserHash, browserHash),
        gt(samlRequests.expiresAt, sql`now()`),
      ),
    )
    .limit(1);
  return row;
}

export async function deleteSamlRequest(tenantId: string, idpId: string, id: string) {
  const db = await getDb();
  await db.delete(samlRequests).where(and(eq(samlRequests.tenantId, tenantId), eq(samlRequests.idpId, idpId), eq(samlRequests.id, id)));
}

/**
 * Remembers an assertion until it expires. false when it was already used: a replay, whichever
 * instance saw it first (the primary key decides, atomically).
 */
export async function rememberSamlAssertion(tenantId: string, idpId: string, assertionId: string, expiresAt: Date): Promise<boolean> {
  const db = await getDb();
  await db.delete(samlAssertions).where(lt(samlAssertions.expiresAt, sql`now()`));
  const inserted = await db
    .insert(samlAssertions)
    .values({ tenantId, idpId, assertionId, expiresAt })
    .onConflictDoNothing()
    .returning({ assertionId: samlAssertions.assertionId });
  return inserted.length === 1;
}
