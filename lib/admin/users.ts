import "server-only";
import { z } from "zod";
import type { Actor } from "../audit";
import { revokeUserSessions } from "../auth/session";
import { hashPassword } from "../crypto/password";
import { isUniqueViolation } from "../db/errors";
import { listUserBindings, unbindSsoAccount } from "../db/queries/sso";
import { createLocalUser, deleteLocalUser, getUser, setLoginMethod as writeLoginMethod, setUserActive as writeUserActive, updateLocalUser } from "../db/queries/users";
import { optionalText } from "../forms";
import { UUID_SOURCE } from "../uuid";
import { MIN_PASSWORD_LENGTH } from "./admins";
import { recordAdminEvent } from "./audit";
import { AdminError } from "./errors";

const password = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `Use at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(200, "Use at most 200 characters");
const optionalPassword = z.preprocess((v) => (v === "" ? undefined : v), password.optional());

const profileFields = {
  userName: z.string().trim().min(1, "Enter a user name (usually the email address)").max(256, "The user name is too long"),
  givenName: optionalText(100),
  familyName: optionalText(100),
  displayName: optionalText(200),
  email: optionalText(320).pipe(z.email("Enter a valid email address").optional()),
};

const loginMethod = z.enum(["sso", "password"], "Choose how this person signs in");
const userRef = { tenantId: z.uuid(), userId: z.uuid() };

export const userRefSchema = z.object(userRef);

export const createUserSchema = z
  .object({ tenantId: z.uuid(), ...profileFields, loginMethod, password: optionalPassword })
  .refine((input) => input.loginMethod !== "password" || input.password, {
    path: ["password"],
    message: "Set a password for the built-in password login method",
  });

export const updateUserSchema = z.object({ ...userRef, ...profileFields });

export const loginMethodSchema = z.object({ ...userRef, loginMethod: z.enum(["sso", "password"], "Choose SSO or built-in password"), password: optionalPassword });

export const userActiveSchema = z.object({ ...userRef, active: z.enum(["true", "false"]).transform((v) => v === "true") });

export const unbindSchema = z.object({ ...userRef, provider: z.string().regex(new RegExp(`^idp-${UUID_SOURCE}$`, "i"), "Choose an identity provider binding") });

const USERNAME_TAKEN = { userName: "Another user in this tenant already has this user name" };
const GONE = "This user no longer exists.";

function unique<T>(promise: Promise<T>) {
  return promise.catch((error) => {
    if (isUniqueViolation(error)) throw new AdminError("That user name is taken.", USERNAME_TAKEN);
    throw error;
  });
}

const about = (user: { id: string; userName?: string | null }) => ({ targetType: "user", targetId: user.id, targetLabel: user.userName ?? null });

/** Session revocations inside an operation are recorded by the operation's own event (one write, one event). */
const inOwnEvent = (actor: Actor) => ({ ...actor, audit: false });

async function requireUser(tenantId: string, userId: string) {
  const user = await getUser(tenantId, userId);
  if (!user) throw new AdminError(GONE);
  return user;
}

async function requireLocalUser(tenantId: string, userId: string) {
  const user = await requireUser(tenantId, userId);
  // SCIM-sourced fields are owned by the identity provider; a console edit would be overwritten.
  if (user.source !== "local") throw new AdminError("Managed by your identity provider — change it there.");
  return user;
}

export async function createUser(input: z.infer<typeof createUserSchema>, actor: Actor) {
  const passwordHash = input.loginMethod === "password" && input.password ? await hashPassword(input.password) : null;
  const row = await unique(createLocalUser(input.tenantId, { ...input, passwordHash }));
  await recordAdminEvent(actor, { tenantId: input.tenantId, action: "user.created", ...about(row), details: { source: "local", loginMethod: input.loginMethod } });
  return row;
}

export async function updateUser(input: z.infer<typeof updateUserSchema>, actor: Actor) {
  await requireLocalUser(input.tenantId, input.userId);
  const row = await unique(updateLocalUser(input.tenantId, input.userId, input));
  await recordAdminEvent(actor, {
    tenantId: input.tenantId,
    action: "user.updated",
    targetType: "user",
    targetId: input.userId,
    targetLabel: row?.userName,
    details: { userName: input.userName, email: input.email ?? null, displayName: input.displayName ?? null },
  });
}

/** Moving anyone to SSO is safe; only a local user may get a password (review L-1). A new password or method ends the user's sessions. */
export async function setLoginMethod(input: z.infer<typeof loginMethodSchema>, actor: Actor) {
  const user = input.loginMethod === "password" ? await requireLocalUser(input.tenantId, input.userId) : await requireUser(input.tenantId, input.userId);
  if (input.loginMethod === "password" && !input.password && !user.hasPassword) {
    throw new AdminError("Set a password for the built-in password login method.", { password: `Set a password (at least ${MIN_PASSWORD_LENGTH} characters)` });
  }
  const passwordHash = input.loginMethod === "password" && input.password ? await hashPassword(input.password) : null;
  if (!(await writeLoginMethod(input.tenantId, input.userId, input.loginMethod, passwordHash))) throw new AdminError(GONE);
  const sessionsEnded = input.password || input.loginMethod !== user.loginMethod ? await revokeUserSessions(user.id, inOwnEvent(actor)) : 0;
  const action = input.password ? "user.password_set" : "user.login_method_changed";
  await recordAdminEvent(actor, { tenantId: input.tenantId, action, ...about(user), details: { loginMethod: input.loginMethod, sessionsEnded } });
  return { passwordSet: Boolean(input.password) };
}

export async function setUserActive(input: z.infer<typeof userActiveSchema>, actor: Actor) {
  const user = await requireLocalUser(input.tenantId, input.userId);
  await writeUserActive(input.tenantId, user.id, input.active);
  const sessionsEnded = input.active ? 0 : await revokeUserSessions(user.id, inOwnEvent(actor));
  await recordAdminEvent(actor, {
    tenantId: input.tenantId,
    action: input.active ? "user.reactivated" : "user.deactivated",
    ...about(user),
    details: input.active ? null : { sessionsEnded },
  });
}

/** "Sign out everywhere": every session of the user ends at once (database sessions). */
export async function revokeSessions(tenantId: string, userId: string, actor: Actor) {
  const user = await requireUser(tenantId, userId);
  const sessionsEnded = await revokeUserSessions(user.id, inOwnEvent(actor));
  await recordAdminEvent(actor, { tenantId, action: "user.sessions_revoked", ...about(user), details: { sessionsEnded } });
  return sessionsEnded;
}

export async function deleteUser(tenantId: string, userId: string, actor: Actor) {
  const user = await requireLocalUser(tenantId, userId);
  if (!(await deleteLocalUser(tenantId, user.id))) throw new AdminError(GONE);
  await recordAdminEvent(actor, { tenantId, action: "user.deleted", ...about(user), details: { source: "local" } });
}

/** The next SSO sign-in of this user matches afresh (tenant's "Match signed-in users by") and binds again. */
export async function unbindSso(input: z.infer<typeof unbindSchema>, actor: Actor) {
  const user = await requireUser(input.tenantId, input.userId);
  const binding = (await listUserBindings(input.tenantId, user.id)).find((b) => b.provider === input.provider);
  if (!binding || !(await unbindSsoAccount(input.tenantId, user.id, input.provider))) throw new AdminError("This binding no longer exists.");
  await recordAdminEvent(actor, {
    tenantId: input.tenantId,
    action: "user.sso_unbound",
    ...about(user),
    details: { identityProvider: binding.idpName, idpId: binding.idpId, accountId: binding.accountId },
  });
  return binding;
}
