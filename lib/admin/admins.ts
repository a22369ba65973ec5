import "server-only";
import type { Actor } from "../audit";
import { upsertPlatformAdmin } from "../db/queries/admins";
import type { ConsoleRole } from "../db/schema";
import { recordAdminEvent } from "./audit";
import { AdminError } from "./errors";

/** The shortest password a person may set, for a tenant's user or a platform admin. */
export const MIN_PASSWORD_LENGTH = 12;

export const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Platform-level console roles: full access, or read-only across every tenant. */
export const PLATFORM_ROLES = ["platform_admin", "read_only"] as const satisfies readonly ConsoleRole[];

/**
 * A break-glass platform admin who signs in with a password (the CLI's `admin create`); run
 * again, it resets the password and ends the admin's sessions.
 */
export async function createPlatformAdmin(input: { email: string; password: string; name?: string; role: (typeof PLATFORM_ROLES)[number] }, actor: Actor) {
  if (input.password.length < MIN_PASSWORD_LENGTH) throw new AdminError(`The password must be at least ${MIN_PASSWORD_LENGTH} characters`);
  const admin = await upsertPlatformAdmin(input);
  await recordAdminEvent(actor, {
    tenantId: null,
    action: admin.created ? "admin.created" : "admin.password_reset",
    targetType: "user",
    targetId: admin.id,
    targetLabel: admin.email,
    details: admin.created ? undefined : { sessionsEnded: admin.sessionsEnded },
  });
  return admin;
}
