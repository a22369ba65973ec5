"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { ActionError, isUniqueViolation, optionalText, tenantAction } from "@/lib/actions/action";
import { revokeUserSessions } from "@/lib/auth/session";
import { hashPassword } from "@/lib/crypto/password";
import { createLocalUser, deleteLocalUser, getUser, setLoginMethod, setUserActive, updateLocalUser } from "@/lib/db/queries/users";
import { listUserBindings, unbindSsoAccount } from "@/lib/db/queries/sso";
import { UUID_SOURCE } from "@/lib/uuid";

const password = z
  .string()
  .min(12, "Use at least 12 characters")
  .max(200, "Use at most 200 characters");

const profileFields = {
  userName: z.string().trim().min(1, "Enter a user name (usually the email address)").max(256, "The user name is too long"),
  givenName: optionalText(100),
  familyName: optionalText(100),
  displayName: optionalText(200),
  email: optionalText(320).pipe(z.email("Enter a valid email address").optional()),
};

const USERNAME_TAKEN = { userName: "Another user in this tenant already has this user name" };

function unique<T>(promise: Promise<T>) {
  return promise.catch((error) => {
    if (isUniqueViolation(error)) throw new ActionError("That user name is taken.", USERNAME_TAKEN);
    throw error;
  });
}

const createUserSchema = z
  .object({
    tenantId: z.uuid(),
    ...profileFields,
    loginMethod: z.enum(["sso", "password"], "Choose how this person signs in"),
    password: z.preprocess((v) => (v === "" ? undefined : v), password.optional()),
  })
  .refine((input) => input.loginMethod !== "password" || input.password, {
    path: ["password"],
    message: "Set a password for the built-in password login method",
  });

export const createUserAction = tenantAction(
  createUserSchema,
  async (input, ctx) => {
    const passwordHash = input.loginMethod === "password" && input.password ? await hashPassword(input.password) : null;
    const row = await unique(createLocalUser(input.tenantId, { ...input, passwordHash }));
    await ctx.audit({
      action: "user.created",
      targetType: "user",
      targetId: row.id,
      targetLabel: row.userName,
      details: { source: "local", loginMethod: input.loginMethod },
    });
    revalidatePath("/users");
    return { data: { id: row.id }, message: "User created" };
  },
  { action: "user.created" },
);

/** Session revocations inside an action are recorded by the action's own event (one write, one event). */
function auditedHere(ctx: { viewer: { userId: string } }) {
  return { actorType: "admin" as const, actorId: ctx.viewer.userId, audit: false };
}

const userRef = { tenantId: z.uuid(), userId: z.uuid() };

async function requireUser(tenantId: string, userId: string) {
  const user = await getUser(tenantId, userId);
  if (!user) throw new ActionError("This user no longer exists.");
  return user;
}

async function requireLocalUser(tenantId: string, userId: string) {
  const user = await requireUser(tenantId, userId);
  // SCIM-sourced fields are owned by the identity provider; a console edit would be overwritten.
  if (user.source !== "local") throw new ActionError("Managed by your identity provider — change it there.");
  return user;
}

export const updateUserAction = tenantAction(
  z.object({ ...userRef, ...profileFields }),
  async (input, ctx) => {
    await requireLocalUser(input.tenantId, input.userId);
    const row = await unique(updateLocalUser(input.tenantId, input.userId, input));
    await ctx.audit({
      action: "user.updated",
      targetType: "user",
      targetId: input.userId,
      targetLabel: row?.userName,
      details: { userName: input.userName, email: input.email ?? null, displayName: input.displayName ?? null },
    });
    revalidatePath(`/users/${input.userId}`);
    return { message: "User saved" };
  },
  { action: "user.updated" },
);

export const setLoginMethodAction = tenantAction(
  z.object({
    ...userRef,
    loginMethod: z.enum(["sso", "password"], "Choose SSO or built-in password"),
    password: z.preprocess((v) => (v === "" ? undefined : v), password.optional()),
  }),
  async (input, ctx) => {
    // Moving anyone to SSO is safe; only a local user may get a password (review L-1).
    const user = input.loginMethod === "password" ? await requireLocalUser(input.tenantId, input.userId) : await requireUser(input.tenantId, input.userId);
    if (input.loginMethod === "password" && !input.password && !user.hasPassword) {
      throw new ActionError("Set a password for the built-in password login method.", { password: "Set a password (at least 12 characters)" });
    }
    const passwordHash = input.loginMethod === "password" && input.password ? await hashPassword(input.password) : null;
    if (!(await setLoginMethod(input.tenantId, input.userId, input.loginMethod, passwordHash))) throw new ActionError("This user no longer exists.");
    // A new password ends the sessions that were opened with the old one.
    const sessionsEnded = input.password || input.loginMethod !== user.loginMethod ? await revokeUserSessions(user.id, auditedHere(ctx)) : 0;
    const action = input.password ? "user.password_set" : "user.login_method_changed";
    await ctx.audit({ action, targetType: "user", targetId: user.id, targetLabel: user.userName, details: { loginMethod: input.loginMethod, sessionsEnded } });
    revalidatePath(`/users/${input.userId}`);
    return { message: input.password ? "Password set" : "Login method saved" };
  },
  { action: "user.login_method_changed" },
);

export const setUserActiveAction = tenantAction(
  z.object({ ...userRef, active: z.enum(["true", "false"]).transform((v) => v === "true") }),
  async (input, ctx) => {
    const user = await requireLocalUser(input.tenantId, input.userId);
    await setUserActive(input.tenantId, user.id, input.active);
    let sessionsEnded = 0;
    if (!input.active) sessionsEnded = await revokeUserSessions(user.id, auditedHere(ctx));
    await ctx.audit({
      action: input.active ? "user.reactivated" : "user.deactivated",
      targetType: "user",
      targetId: user.id,
      targetLabel: user.userName,
      details: input.active ? null : { sessionsEnded },
    });
    revalidatePath(`/users/${input.userId}`);
    revalidatePath("/users");
    return { message: input.active ? "User reactivated" : "User deactivated and signed out everywhere" };
  },
  { action: "user.active_changed" },
);

export const signOutEverywhereAction = tenantAction(
  z.object(userRef),
  async (input, ctx) => {
    const user = await requireUser(input.tenantId, input.userId);
    const sessionsEnded = await revokeUserSessions(user.id, auditedHere(ctx));
    await ctx.audit({ action: "user.sessions_revoked", targetType: "user", targetId: user.id, targetLabel: user.userName, details: { sessionsEnded } });
    revalidatePath(`/users/${input.userId}`);
    return { message: sessionsEnded === 1 ? "1 session ended" : `${sessionsEnded} sessions ended` };
  },
  { action: "user.sessions_revoked" },
);

export const deleteUserAction = tenantAction(
  z.object(userRef),
  async (input, ctx) => {
    const user = await requireLocalUser(input.tenantId, input.userId);
    const deleted = await deleteLocalUser(input.tenantId, user.id);
    if (!deleted) throw new ActionError("This user no longer exists.");
    await ctx.audit({ action: "user.deleted", targetType: "user", targetId: user.id, targetLabel: user.userName, details: { source: "local" } });
    revalidatePath("/users");
    return { message: "User deleted" };
  },
  { action: "user.deleted" },
);

/** The next SSO sign-in of this user matches afresh (tenant's "Match signed-in users by") and binds again. */
export const unbindSsoAccountAction = tenantAction(
  z.object({ ...userRef, provider: z.string().regex(new RegExp(`^idp-${UUID_SOURCE}$`, "i"), "Choose an identity provider binding") }),
  async (input, ctx) => {
    const user = await requireUser(input.tenantId, input.userId);
    const binding = (await listUserBindings(input.tenantId, user.id)).find((b) => b.provider === input.provider);
    if (!binding || !(await unbindSsoAccount(input.tenantId, user.id, input.provider))) throw new ActionError("This binding no longer exists.");
    await ctx.audit({
      action: "user.sso_unbound",
      targetType: "user",
      targetId: user.id,
      targetLabel: user.userName,
      details: { identityProvider: binding.idpName, idpId: binding.idpId, accountId: binding.accountId },
    });
    revalidatePath(`/users/${input.userId}`);
    return { message: `Unbound from ${binding.idpName}` };
  },
  { action: "user.sso_unbound" },
);
