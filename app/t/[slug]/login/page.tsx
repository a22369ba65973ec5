import type { Metadata } from "next";
import { notFound, redirect } from "next/navigation";
import { Card, CardContent, CardDescription, CardHeader } from "@/components/ui/card";
import { AuthShell } from "@/app/(auth)/login/_components/auth-shell";
import { ProviderButtons } from "@/app/(auth)/login/_components/provider-buttons";
import { PasswordSignInForm } from "@/app/(auth)/login/_components/password-sign-in-form";
import { getViewer } from "@/lib/auth/guards";
import { safeCallbackPath } from "@/lib/auth/callback-url";
import { findTenantBySlug } from "@/lib/db/queries/tenants";
import { listActiveIdentityProviders } from "@/lib/db/queries/sso";
import { providerLabel } from "@/lib/auth/idp-provider";

type Params = Promise<{ slug: string }>;
type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const tenant = await findTenantBySlug((await params).slug);
  return { title: tenant ? `Sign in to ${tenant.name} · Gatehouse` : "Sign in · Gatehouse" };
}

export default async function TenantLoginPage({ params, searchParams }: { params: Params; searchParams: SearchParams }) {
  const [{ slug }, query] = await Promise.all([params, searchParams]);
  const tenant = await findTenantBySlug(slug);
  if (!tenant) notFound();
  const callbackUrl = safeCallbackPath(typeof query.callbackUrl === "string" ? query.callbackUrl : undefined, "/");
  if (await getViewer()) redirect(callbackUrl);
  const providers = await listActiveIdentityProviders(tenant.id);
  const loginHint = typeof query.login_hint === "string" ? query.login_hint.slice(0, 320) : undefined;
  return (
    <AuthShell>
      <Card>
        <CardHeader>
          <h1 className="text-xl font-semibold tracking-tight">Sign in to {tenant.name}</h1>
          <CardDescription>
            {providers.length ? "Use your organisation account." : "Sign in with your email and password."}
          </CardDescription>
        </CardHeader>
        <CardContent className="grid gap-6">
          {providers.length ? (
            <ProviderButtons providers={providers.map((p) => ({ id: p.id, label: providerLabel(p) }))} callbackUrl={callbackUrl} loginHint={loginHint} />
          ) : null}
          <section aria-labelledby="password-heading" className="grid gap-4">
            {providers.length ? (
              <div className="flex items-center gap-3 text-xs text-muted-foreground">
                <span className="h-px flex-1 bg-border" />
                <h2 id="password-heading">Guests and local accounts</h2>
                <span className="h-px flex-1 bg-border" />
              </div>
            ) : (
              <h2 id="password-heading" className="sr-only">
                Password sign-in
              </h2>
            )}
            <PasswordSignInForm tenantId={tenant.id} callbackUrl={callbackUrl} defaultEmail={loginHint} />
          </section>
        </CardContent>
      </Card>
    </AuthShell>
  );
}
