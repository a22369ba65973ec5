"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { verifyPasswordSignIn } from "@/lib/auth/password-sign-in";
import { startDatabaseSession } from "@/lib/auth/session";
import { safeCallbackPath } from "@/lib/auth/callback-url";

const passwordSignInSchema = z.object({
  email: z.email("Enter a valid email address"),
  password: z.string().min(1, "Enter your password"),
  tenantId: z.uuid().optional(),
  callbackUrl: z.string().optional(),
});

export type PasswordSignInState = {
  error?: string;
  fieldErrors?: Partial<Record<"email" | "password", string>>;
  email?: string;
};

const MESSAGES = {
  invalid_credentials: "Incorrect email or password.",
  inactive: "This account has been deactivated. Contact your administrator.",
  sso_only: "This account signs in with single sign-on. Use your organisation's sign-in button instead.",
} as const;

export async function signInWithPassword(_prev: PasswordSignInState, formData: FormData): Promise<PasswordSignInState> {
  const parsed = passwordSignInSchema.safeParse({
    email: formData.get("email"),
    password: formData.get("password"),
    tenantId: formData.get("tenantId") || undefined,
    callbackUrl: formData.get("callbackUrl") || undefined,
  });
  const email = String(formData.get("email") ?? "");
  if (!parsed.success) {
    const fieldErrors: PasswordSignInState["fieldErrors"] = {};
    for (const issue of parsed.error.issues) {
      const key = issue.path[0];
      if (key === "email" || key === "password") fieldErrors[key] ??= issue.message;
    }
    return { fieldErrors, email };
  }
  const result = await verifyPasswordSignIn(parsed.data);
  if (!result.ok) return { error: MESSAGES[result.reason], email };
  await startDatabaseSession(result.userId);
  redirect(safeCallbackPath(parsed.data.callbackUrl, "/"));
}
