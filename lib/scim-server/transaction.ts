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
  return conflictsAsUniqueness(() => db.transaction(async (tx) => work(tx as unknown as Db)), conflictMessage);
}

/** A SCIM write that is one statement (atomic by itself, no transaction), with the same 409 mapping. */
export async function inOneStatement<T>(work: (db: Db) => Promise<T>, conflictMessage: (constraint: string) => string): Promise<T> {
  const db = await getDb();
  return conflictsAsUniqueness(() => work(db), conflictMessage);
}

async function conflictsAsUniqueness<T>(work: () => Promise<T>, conflictMessage: (constraint: string) => string): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const constraint = uniqueViolationConstraint(error);
    if (constraint) throw uniqueness(conflictMessage(constraint));
    throw error;
  }
}
