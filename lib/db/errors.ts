type DriverError = { code?: string; constraint?: string; cause?: unknown };

/** PostgreSQL SQLSTATE 23505; drizzle wraps the driver's error, so the chain of `cause` is walked. */
function uniqueViolationOf(error: unknown): DriverError | undefined {
  for (let e = error as DriverError | undefined; e && typeof e === "object"; e = e.cause as DriverError | undefined) {
    if (e.code === "23505") return e;
  }
  return undefined;
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
