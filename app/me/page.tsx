import type { Metadata } from "next";
import Link from "next/link";
import { Card, CardContent, CardFooter, CardHeader } from "@/components/ui/card";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { AuthShell } from "@/app/(auth)/login/_components/auth-shell";
import { SignOutButton } from "@/app/me/_components/sign-out-button";
import { requireViewer } from "@/lib/auth/guards";
import { hasConsoleAccess } from "@/lib/auth/roles";
import { findTenantById } from "@/lib/db/queries/tenants";
import { listUserGroupNames } from "@/lib/db/queries/sso";

export const metadata: Metadata = { title: "Your profile · Gatehouse" };

const ROLE_LABELS = { platform_admin: "Platform admin", tenant_admin: "Tenant admin", read_only: "Read-only" } as const;

export default async function ProfilePage() {
  const viewer = await requireViewer();
  const [tenant, groups] = viewer.tenantId
    ? await Promise.all([findTenantById(viewer.tenantId), listUserGroupNames(viewer.tenantId, viewer.userId)])
    : [undefined, [] as string[]];
  const role = viewer.platformRole ?? viewer.tenantRole;
  return (
    <AuthShell>
      <Card>
        <CardHeader>
          <p className="text-sm text-muted-foreground">Signed in as</p>
          <h1 className="text-xl font-semibold tracking-tight">{viewer.name || viewer.userName}</h1>
        </CardHeader>
        <CardContent>
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-3 text-sm">
            <dt className="text-muted-foreground">Email</dt>
            <dd>{viewer.email || viewer.userName}</dd>
            <dt className="text-muted-foreground">Username</dt>
            <dd>{viewer.userName}</dd>
            <dt className="text-muted-foreground">Organisation</dt>
            <dd>{tenant?.name ?? "Gatehouse platform"}</dd>
            <dt className="text-muted-foreground">Groups</dt>
            <dd>
              {groups.length ? (
                <ul aria-label="Groups" className="flex flex-wrap gap-1.5">
                  {groups.map((name) => (
                    <li key={name}>
                      <Badge variant="secondary">{name}</Badge>
                    </li>
                  ))}
                </ul>
              ) : (
                <span className="text-muted-foreground">None</span>
              )}
            </dd>
            <dt className="text-muted-foreground">Role</dt>
            <dd>{role ? ROLE_LABELS[role] : "Member"}</dd>
          </dl>
        </CardContent>
        <CardFooter className="flex justify-between gap-2">
          {hasConsoleAccess(viewer) ? (
            <Button asChild variant="link" className="px-0">
              <Link href="/dashboard">Open the console</Link>
            </Button>
          ) : (
            <span />
          )}
          <SignOutButton />
        </CardFooter>
      </Card>
    </AuthShell>
  );
}
