import "server-only";
import { redirect } from "next/navigation";
import { findTenantByVerifiedDomain } from "../db/queries/tenant-domains";
import { findIdentityProviderForSignIn, listActiveIdentityProviders } from "../db/queries/sso";
import type { Tenant } from "../db/schema";
import { signIn } from "./config";
import { runWithAuthContext } from "./request-context";
import { providerIdFor } from "./idp-provider";

export type HomeRealm =
  | { kind: "none" }
  | { kind: "choices"; tenants: { slug: string; name: string }[] }
  | { kind: "provider"; tenant: Tenant; idpId: string }
  | { kind: "tenant"; tenant: Tenant };

/**
 * Home-realm discovery: the email's domain names the tenant, the tenant its providers. Only
 * a verified domain routes (security review M-3), and a domain has one tenant at most, so
 * `choices` no longer occurs; it stays in the type for the login form's chooser.
 */
export async function discoverHomeRealm(email: string): Promise<HomeRealm> {
  const domain = email.trim().toLowerCase().split("@").pop() ?? "";
  if (!domain) return { kind: "none" };
  const tenant = await findTenantByVerifiedDomain(domain);
  if (!tenant) return { kind: "none" };
  const providers = await listActiveIdentityProviders(tenant.id);
  if (providers.length === 1) return { kind: "provider", tenant, idpId: providers[0].id };
  return { kind: "tenant", tenant };
}

/**
 * Sends the browser to the identity provider through Auth.js (state, nonce and PKCE cookies
 * are set here). The provider must be active; the draft path is the Test sign-in route's.
 */
export async function startSsoSignIn(idpId: string, options: { callbackUrl: string; loginHint?: string }): Promise<never> {
  const idp = await findIdentityProviderForSignIn(idpId);
  if (!idp || idp.status !== "active") redirect("/login/error?reason=provider_unavailable");
  if (idp.type === "saml") {
    const query = new URLSearchParams({ callbackUrl: options.callbackUrl });
    if (options.loginHint) query.set("login_hint", options.loginHint);
    redirect(`/api/auth/saml/${idp.id}/login?${query}`);
  }
  const params: Record<string, string> = options.loginHint ? { login_hint: options.loginHint } : {};
  await runWithAuthContext({ idpId }, () => signIn(providerIdFor(idpId), { redirectTo: options.callbackUrl }, params));
  // signIn redirects (throws); reaching here means Auth.js could not start the flow.
  redirect("/login/error?reason=configuration");
}
