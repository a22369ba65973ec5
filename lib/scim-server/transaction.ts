import "server-only";
import { getDb, type Db } from "../db/client";
import { uniqueViolationConstraint } from "../db/errors";
import { uniqueness } from "../scim/errors";

/**
 * Runs a SCIM write in one transaction: a multi-operation PATCH is all or nothing, and a
 * unique-index violation (two parallel creates of one userName) becomes a 409 uniqueness.
 */
export async function inTransaction<T>(work: (tx: Db) => Promise<T>, conflictMessage: (constraint: string) => string): Promise<T> {
  const db = await getDb();
  try {
    return await db.transaction(async (tx) => work(tx as unknown as Db));
  } catch (error) {
    const constraint = uniqueViolationConstraint(error);
    if (constraint) throw uniqueness(conflictMessage(constraint));
    throw error;
  }
}
