import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { Card, CardContent, CardDescription, CardHeader } from "@/components/ui/card";
import { PasswordSignInForm } from "@/components/auth/password-sign-in-form";
import { getViewer } from "@/lib/auth/guards";
import { safeCallbackPath } from "@/lib/auth/callback-url";
import { AuthShell } from "@/components/auth/auth-shell";

export const metadata: Metadata = { title: "Sign in · Gatehouse" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const callbackUrl = safeCallbackPath(typeof params.callbackUrl === "string" ? params.callbackUrl : undefined, "/");
  if (await getViewer()) redirect(callbackUrl);
  return (
    <AuthShell>
      <Card>
        <CardHeader>
          <h1 className="text-xl font-semibold tracking-tight">Sign in to Gatehouse</h1>
          <CardDescription>Administrators and local accounts sign in with their email and password.</CardDescription>
        </CardHeader>
        <CardContent>
          <PasswordSignInForm callbackUrl={callbackUrl} />
        </CardContent>
      </Card>
    </AuthShell>
  );
}
