"use server";

import { redirect } from "next/navigation";
import { signOutCurrentUser } from "@/lib/auth/sign-out";

export async function signOutAction() {
  redirect(await signOutCurrentUser());
}
