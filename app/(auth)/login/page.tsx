import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { Card, CardContent, CardDescription, CardFooter, CardHeader } from "@/components/ui/card";
import { Alert } from "@/components/ui/alert";
import { PasswordSignInForm } from "@/app/(auth)/login/_components/password-sign-in-form";
import { HomeRealmForm } from "@/app/(auth)/login/_components/home-realm-form";
import { AuthShell } from "@/app/(auth)/login/_components/auth-shell";
import { getViewer } from "@/lib/auth/guards";
import { safeCallbackPath } from "@/lib/auth/callback-url";

export const metadata: Metadata = { title: "Sign in · Gatehouse" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function LoginPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const callbackUrl = safeCallbackPath(typeof params.callbackUrl === "string" ? params.callbackUrl : undefined, "/");
  if (await getViewer()) redirect(callbackUrl);
  // Break-glass: local accounts (platform admins) sign in with a password even when every
  // identity provider is misconfigured.
  const local = params.local === "1";
  return (
    <AuthShell>
      {params.signedOut === "1" ? <Alert variant="success">You have been signed out.</Alert> : null}
      <Card>
        <CardHeader>
          <h1 className="text-xl font-semibold tracking-tight">Sign in to Gatehouse</h1>
          <CardDescription>
            {local
              ? "Administrators and local accounts sign in with their email and password."
              : "Enter your work email. We will send you to your organisation's sign-in page."}
          </CardDescription>
        </CardHeader>
        <CardContent>{local ? <PasswordSignInForm callbackUrl={callbackUrl} /> : <HomeRealmForm callbackUrl={callbackUrl} />}</CardContent>
        <CardFooter className="justify-center text-sm">
          {local ? (
            <Link className="text-primary underline-offset-4 hover:underline" href="/login">
              Use single sign-on instead
            </Link>
          ) : (
            <Link className="text-primary underline-offset-4 hover:underline" href={`/login?local=1${callbackUrl !== "/" ? `&callbackUrl=${encodeURIComponent(callbackUrl)}` : ""}`}>
              Sign in with a password
            </Link>
          )}
        </CardFooter>
      </Card>
    </AuthShell>
  );
}
