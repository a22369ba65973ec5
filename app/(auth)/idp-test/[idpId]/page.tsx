import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { CircleCheck, CircleX } from "lucide-react";
import { Card, CardContent, CardDescription, CardHeader } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { requireConsoleViewer } from "@/lib/auth/guards";
import { canAccessTenant } from "@/lib/auth/roles";
import { findIdentityProviderForSignIn, type IdpTestResult } from "@/lib/db/queries/sso";
import { AnnounceTestResult } from "./_components/announce-test-result";

export const metadata: Metadata = { title: "Test sign-in · Gatehouse" };

type Params = Promise<{ idpId: string }>;

/** The report of the last "Test sign-in": claims received and the user they map to. */
export default async function IdpTestResultPage({ params }: { params: Params }) {
  const viewer = await requireConsoleViewer();
  const idp = await findIdentityProviderForSignIn((await params).idpId);
  if (!idp || !canAccessTenant(viewer, idp.tenantId, "read")) notFound();
  const result = idp.lastTestResult as IdpTestResult | null;
  const ok = Boolean(idp.lastTestOk);
  return (
    <main className="mx-auto grid max-w-3xl gap-6 px-4 py-10">
      {result ? <AnnounceTestResult idpId={idp.id} testedAt={idp.lastTestedAt?.toISOString() ?? null} /> : null}
      <Card>
        <CardHeader className="gap-2">
          <div className="flex items-center gap-2">
            {ok ? <CircleCheck className="size-6 text-success" aria-hidden /> : <CircleX className="size-6 text-destructive" aria-hidden />}
            <h1 className="text-xl font-semibold tracking-tight">{result ? (ok ? "Test sign-in succeeded" : "Test sign-in failed") : "No test sign-in yet"}</h1>
          </div>
          <CardDescription>
            {idp.name} · {idp.lastTestedAt ? `tested ${idp.lastTestedAt.toISOString().replace("T", " ").slice(0, 19)} UTC` : "never tested"} · no session was created
          </CardDescription>
        </CardHeader>
        {result ? (
          <CardContent className="grid gap-6">
            {ok && result.warning ? (
              <section aria-labelledby="warning-heading" className="grid gap-1 rounded-md border border-warning/50 bg-warning/10 p-3 text-sm">
                <h2 id="warning-heading" className="font-medium">
                  No user matches yet
                </h2>
                <p>{result.warning}</p>
                {result.detail ? <p className="break-words font-mono text-xs text-muted-foreground">{result.detail}</p> : null}
              </section>
            ) : null}
            {!ok ? (
              <section aria-labelledby="failure-heading" className="grid gap-1 text-sm">
                <h2 id="failure-heading" className="font-medium">
                  {result.message ?? "The sign-in failed"}
                </h2>
                <p className="text-muted-foreground">Reason: {result.reason ?? "unknown"}</p>
                {result.detail ? <p className="break-words font-mono text-xs text-muted-foreground">{result.detail}</p> : null}
              </section>
            ) : null}
            <section aria-labelledby="mapped-heading" className="grid gap-2 text-sm">
              <h2 id="mapped-heading" className="font-medium">
                Mapped user
              </h2>
              {result.mappedUser ? (
                <p>
                  {result.mappedUser.userName}
                  {result.mappedUser.name ? ` (${result.mappedUser.name})` : ""} — matched by {result.mappedUser.matchedBy}
                  {result.mappedUser.active ? "" : ", inactive"}, login method {result.mappedUser.loginMethod === "sso" ? "SSO" : "password"}
                </p>
              ) : (
                <p className="text-muted-foreground">No Gatehouse user matches these claims.</p>
              )}
            </section>
            {result.claims ? (
              <section aria-labelledby="claims-heading" className="grid gap-2">
                <h2 id="claims-heading" className="text-sm font-medium">
                  Claims received
                </h2>
                <Table>
                  <TableHeader>
                    <TableRow>
                      <TableHead>Claim</TableHead>
                      <TableHead>Value</TableHead>
                    </TableRow>
                  </TableHeader>
                  <TableBody>
                    {Object.entries(result.claims).map(([claim, value]) => (
                      <TableRow key={claim}>
                        <TableCell className="font-mono text-xs">{claim}</TableCell>
                        <TableCell className="break-all font-mono text-xs">{typeof value === "string" ? value : JSON.stringify(value)}</TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
              </section>
            ) : null}
          </CardContent>
        ) : null}
      </Card>
    </main>
  );
}
