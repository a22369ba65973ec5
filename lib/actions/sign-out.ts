"use server";

import { redirect } from "next/navigation";
import { signOutCurrentUser } from "@/lib/auth/sign-out";

/** The one sign-out, from the console's account menu and from /me: audited, with the IdP's logout when it has one. */
export async function signOutAction() {
  redirect(await signOutCurrentUser());
}
