"use server";

import { revalidatePath } from "next/cache";
import { tenantAction } from "@/lib/actions/action";
import {
  createUser,
  createUserSchema,
  deleteUser,
  loginMethodSchema,
  revokeSessions,
  setLoginMethod,
  setUserActive,
  unbindSchema,
  unbindSso,
  updateUser,
  updateUserSchema,
  userActiveSchema,
  userRefSchema,
} from "@/lib/admin/users";

export const createUserAction = tenantAction(
  createUserSchema,
  async (input, ctx) => {
    const row = await createUser(input, ctx.actor);
    revalidatePath("/users");
    return { data: { id: row.id }, message: "User created" };
  },
  { action: "user.created" },
);

export const updateUserAction = tenantAction(
  updateUserSchema,
  async (input, ctx) => {
    await updateUser(input, ctx.actor);
    revalidatePath(`/users/${input.userId}`);
    return { message: "User saved" };
  },
  { action: "user.updated" },
);

export const setLoginMethodAction = tenantAction(
  loginMethodSchema,
  async (input, ctx) => {
    const { passwordSet } = await setLoginMethod(input, ctx.actor);
    revalidatePath(`/users/${input.userId}`);
    return { message: passwordSet ? "Password set" : "Login method saved" };
  },
  { action: "user.login_method_changed" },
);

export const setUserActiveAction = tenantAction(
  userActiveSchema,
  async (input, ctx) => {
    await setUserActive(input, ctx.actor);
    revalidatePath(`/users/${input.userId}`);
    revalidatePath("/users");
    return { message: input.active ? "User reactivated" : "User deactivated and signed out everywhere" };
  },
  { action: "user.active_changed" },
);

export const signOutEverywhereAction = tenantAction(
  userRefSchema,
  async (input, ctx) => {
    const sessionsEnded = await revokeSessions(input.tenantId, input.userId, ctx.actor);
    revalidatePath(`/users/${input.userId}`);
    return { message: sessionsEnded === 1 ? "1 session ended" : `${sessionsEnded} sessions ended` };
  },
  { action: "user.sessions_revoked" },
);

export const deleteUserAction = tenantAction(
  userRefSchema,
  async (input, ctx) => {
    await deleteUser(input.tenantId, input.userId, ctx.actor);
    revalidatePath("/users");
    return { message: "User deleted" };
  },
  { action: "user.deleted" },
);

export const unbindSsoAccountAction = tenantAction(
  unbindSchema,
  async (input, ctx) => {
    const binding = await unbindSso(input, ctx.actor);
    revalidatePath(`/users/${input.userId}`);
    return { message: `Unbound from ${binding.idpName}` };
  },
  { action: "user.sso_unbound" },
);
