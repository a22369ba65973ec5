"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { checkSsoStartLimit } from "@/lib/auth/sign-in-limits";
import { clientAddress } from "@/lib/net/client-address";
import { z } from "zod";
import { verifyPasswordSignIn } from "@/lib/auth/password-sign-in";
import { startDatabaseSession } from "@/lib/auth/session";
import { safeCallbackPath } from "@/lib/auth/callback-url";
import { discoverHomeRealm, startSsoSignIn } from "@/lib/auth/sso-start";

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
  const result = await verifyPasswordSignIn({ ...parsed.data, source: clientAddress(await headers()) });
  if (!result.ok && result.reason === "too_many_attempts") {
    return { error: `Too many sign-in attempts. Try again in ${result.retryAfterSeconds} seconds.`, email };
  }
  if (!result.ok) return { error: MESSAGES[result.reason], email };
  await startDatabaseSession(result.userId);
  redirect(safeCallbackPath(parsed.data.callbackUrl, "/"));
}

const homeRealmSchema = z.object({
  email: z.email("Enter your work email address"),
  callbackUrl: z.string().optional(),
});

export type HomeRealmState = {
  email?: string;
  error?: string;
  /** No organisation signs this domain in with SSO: ask for the password instead. */
  passwordStep?: boolean;
  /** Several organisations claim the domain: the person picks theirs. */
  choices?: { slug: string; name: string }[];
};

export async function continueWithEmail(_prev: HomeRealmState, formData: FormData): Promise<HomeRealmState> {
  const parsed = homeRealmSchema.safeParse({ email: formData.get("email"), callbackUrl: formData.get("callbackUrl") || undefined });
  const email = String(formData.get("email") ?? "").trim();
  if (!parsed.success) return { email, error: parsed.error.issues[0]?.message };
  const callbackUrl = safeCallbackPath(parsed.data.callbackUrl, "/");
  const realm = await discoverHomeRealm(parsed.data.email);
  if (realm.kind === "none") return { email, passwordStep: true };
  if (realm.kind === "choices") return { email, choices: realm.tenants };
  if (realm.kind === "provider") await startSsoSignIn(realm.idpId, { callbackUrl, loginHint: parsed.data.email });
  const query = new URLSearchParams({ login_hint: parsed.data.email });
  if (callbackUrl !== "/") query.set("callbackUrl", callbackUrl);
  redirect(`/t/${realm.tenant.slug}/login?${query}`);
}

const ssoSchema = z.object({ idpId: z.uuid(), callbackUrl: z.string().optional(), loginHint: z.string().max(320).optional() });

export async function signInWithProvider(formData: FormData) {
  const parsed = ssoSchema.safeParse({
    idpId: formData.get("idpId"),
    callbackUrl: formData.get("callbackUrl") || undefined,
    loginHint: formData.get("loginHint") || undefined,
  });
  if (!parsed.success) redirect("/login/error?reason=provider_unavailable");
  const limit = await checkSsoStartLimit(clientAddress(await headers()));
  if (!limit.ok) redirect("/login/error?reason=too_many_attempts");
  await startSsoSignIn(parsed.data.idpId, { callbackUrl: safeCallbackPath(parsed.data.callbackUrl, "/"), loginHint: parsed.data.loginHint });
}
