import type { Metadata } from "next";
import Link from "next/link";
import { CircleAlert } from "lucide-react";
import { Card, CardContent, CardFooter, CardHeader } from "@/components/ui/card";
import { Button } from "@/components/ui/button";
import { AuthShell } from "@/app/(auth)/login/_components/auth-shell";
import { isSsoFailureReason, isSsoMatchRefusalCode, SSO_FAILURE_MESSAGES } from "@/lib/auth/sso-errors";

export const metadata: Metadata = { title: "Sign-in failed · Gatehouse" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** What went wrong, in an end user's words; the details for admins are in the audit log. */
export default async function SignInErrorPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const reason = isSsoFailureReason(params.reason) ? params.reason : params.error === "AccessDenied" ? "not_provisioned" : "configuration";
  const { title, message } = SSO_FAILURE_MESSAGES[reason];
  const code = isSsoMatchRefusalCode(params.code) ? params.code : undefined;
  const tenant = typeof params.tenant === "string" && /^[a-z0-9-]{1,64}$/.test(params.tenant) ? params.tenant : undefined;
  return (
    <AuthShell>
      <Card>
        <CardHeader className="gap-3">
          <CircleAlert className="size-8 text-destructive" aria-hidden />
          <h1 className="text-xl font-semibold tracking-tight">{title}</h1>
        </CardHeader>
        <CardContent>
          <p className="text-sm text-muted-foreground">{message}</p>
          <p className="mt-3 text-xs text-muted-foreground">Reference: {code ? `${reason}/${code}` : reason}</p>
        </CardContent>
        <CardFooter>
          <Button asChild className="w-full">
            <Link href={tenant ? `/t/${tenant}/login` : "/login"}>Back to sign-in</Link>
          </Button>
        </CardFooter>
      </Card>
    </AuthShell>
  );
}
