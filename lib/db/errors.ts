type DriverError = { code?: string; constraint?: string; cause?: unknown };

/** The driver error with this SQLSTATE; drizzle wraps the driver's error, so the chain of `cause` is walked. */
function driverErrorOf(error: unknown, code: string): DriverError | undefined {
  for (let e = error as DriverError | undefined; e && typeof e === "object"; e = e.cause as DriverError | undefined) {
    if (e.code === code) return e;
  }
  return undefined;
}

/** PostgreSQL SQLSTATE 23505. */
const uniqueViolationOf = (error: unknown) => driverErrorOf(error, "23505");

/** PostgreSQL SQLSTATE 23503: a row names a parent that is gone (a tenant deleted meanwhile). */
export function isForeignKeyViolation(error: unknown): boolean {
  return driverErrorOf(error, "23503") !== undefined;
}

/** A unique violation, whichever driver raised it; with `constraint`, only that index's. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const violation = uniqueViolationOf(error);
  if (!violation) return false;
  return !constraint || violation.constraint === constraint || String(violation).includes(constraint);
}

/** The violated index's name ("unique" when the driver does not say), or undefined when it is no unique violation. */
export function uniqueViolationConstraint(error: unknown): string | undefined {
  const violation = uniqueViolationOf(error);
  return violation ? (violation.constraint ?? "unique") : undefined;
}
