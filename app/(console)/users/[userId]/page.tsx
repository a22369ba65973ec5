import Link from "next/link";
import { notFound } from "next/navigation";
import { Info } from "lucide-react";
import { requireTenantPage } from "@/lib/auth/guards";
import { isUuid } from "@/lib/uuid";
import { findUsersByIds, findUserTenantId, getUser, listUserAuditEvents, listUserGroups, listUserSessions } from "@/lib/db/queries/users";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { Time } from "@/components/ui/time";
import { ActivityList } from "@/components/activity/activity-list";
import { LocalUserForm } from "@/app/(console)/users/_components/local-user-form";
import { LoginMethodForm } from "@/app/(console)/users/_components/login-method-form";
import { Definition, ScimAttributes } from "@/app/(console)/users/_components/scim-attributes";
import { managerIdOf } from "@/lib/scim/resources/user";
import { DeleteUserButton, SignOutEverywhereButton, UserActiveToggle } from "@/app/(console)/users/_components/user-actions";
import { listUserBindings } from "@/lib/db/queries/sso";
import { canWrite } from "../../_lib/scope";
import { UnbindSsoButton } from "../_components/unbind-sso-button";

export const metadata = { title: "User" };

export default async function UserPage({ params }: { params: Promise<{ userId: string }> }) {
  const { userId } = await params;
  if (!isUuid(userId)) notFound();
  const tenantId = await findUserTenantId(userId);
  if (!tenantId) notFound();
  const viewer = await requireTenantPage(tenantId, "read");
  const user = await getUser(tenantId, userId);
  if (!user) notFound();
  const managerId = managerIdOf(user.scim);
  const [groups, sessions, events, managers, bindings] = await Promise.all([
    listUserGroups(tenantId, user.id),
    listUserSessions(tenantId, user.id),
    listUserAuditEvents(tenantId, user.id, 10),
    managerId ? findUsersByIds(tenantId, [managerId]) : Promise.resolve([]),
    listUserBindings(tenantId, user.id),
  ]);
  const writable = canWrite(viewer, tenantId);
  const scim = user.source === "scim";
  const manager = managers[0] ? { id: managers[0].id, label: managers[0].name ?? managers[0].userName } : null;
  const doc = user.scim as Record<string, unknown>;

  return (
    <>
      <PageHeader
        back={{ href: `/users?tenantId=${tenantId}`, label: "Users" }}
        title={user.name ?? user.userName}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <span>{user.userName}</span>
            <Badge variant={scim ? "default" : "secondary"}>Account Source: {scim ? "SCIM" : "Local"}</Badge>
            <Badge variant={user.active ? "success" : "outline"}>{user.active ? "Active" : "Inactive"}</Badge>
          </span>
        }
        actions={writable && !scim ? <UserActiveToggle tenantId={tenantId} userId={user.id} active={user.active} /> : null}
      />
      {scim ? (
        <Alert className="mb-6">
          <Info aria-hidden />
          <p>
            <strong>Managed by your identity provider — change it there.</strong> Entra updates this account on each provisioning cycle; deactivating it
            in Entra deactivates it here and signs the user out.
          </p>
        </Alert>
      ) : null}
      <div className="grid gap-6 lg:grid-cols-[1fr_20rem]">
        <div className="grid content-start gap-6">
          {!scim && writable ? (
            <Card>
              <CardHeader>
                <CardTitle>Profile</CardTitle>
                <CardDescription>A Local account: edit it here.</CardDescription>
              </CardHeader>
              <CardContent>
                <LocalUserForm
                  tenantId={tenantId}
                  userId={user.id}
                  profile={{
                    userName: user.userName,
                    givenName: user.givenName ?? "",
                    familyName: user.familyName ?? "",
                    displayName: typeof doc.displayName === "string" ? doc.displayName : (user.name ?? ""),
                    email: user.email ?? "",
                  }}
                />
              </CardContent>
            </Card>
          ) : null}
          <ScimAttributes doc={{ ...doc, userName: doc.userName ?? user.userName, externalId: doc.externalId ?? user.externalId }} manager={manager} />
        </div>
        <div className="grid content-start gap-6">
          <Card>
            <CardHeader className="pb-3">
              <CardTitle className="text-base">Account</CardTitle>
            </CardHeader>
            <CardContent>
              <dl className="grid gap-3">
                <Definition narrow label="Account Source">{scim ? "SCIM" : "Local"}</Definition>
                <Definition narrow label="Login method">{user.loginMethod === "sso" ? "SSO" : "Built-in password"}</Definition>
                <Definition narrow label="Last sign-in">
                  <Time value={user.lastSignInAt} fallback="Never" />
                </Definition>
                <Definition narrow label="Created">
                  <Time value={user.createdAt} />
                </Definition>
                <Definition narrow label="Updated">
                  <Time value={user.updatedAt} />
                </Definition>
              </dl>
            </CardContent>
          </Card>
          <Card>
            <CardHeader className="pb-3">
              <CardTitle className="text-base">Single sign-on binding</CardTitle>
              <CardDescription>The identity provider account bound at the first sign-in; later sign-ins use only this.</CardDescription>
            </CardHeader>
            <CardContent>
              {bindings.length ? (
                <ul className="grid gap-4">
                  {bindings.map((b) => (
                    <li key={`${b.provider}/${b.accountId}`} className="grid gap-2">
                      <dl className="grid gap-2">
                        <Definition narrow label="Provider">
                          <Link href={`/identity-providers/${b.idpId}`} className="text-primary hover:underline">
                            {b.idpName}
                          </Link>
                        </Definition>
                        <Definition narrow label="oid / sub">
                          <span className="break-all font-mono text-xs">{b.accountId}</span>
                        </Definition>
                        <Definition narrow label="Bound at">
                          <Time value={b.boundAt} />
                        </Definition>
                      </dl>
                      {writable ? <UnbindSsoButton tenantId={tenantId} userId={user.id} provider={b.provider} idpName={b.idpName} /> : null}
                    </li>
                  ))}
                </ul>
              ) : (
                <p className="text-sm text-muted-foreground">Not bound yet: the first SSO sign-in binds the account.</p>
              )}
            </CardContent>
          </Card>
          {/* An IdP-managed user signs in through the IdP (its MFA and Conditional Access); only a
              local user may get a built-in password. One already on a password can be moved back. */}
          {writable && (!scim || user.loginMethod === "password") ? (
            <Card>
              <CardHeader className="pb-3">
                <CardTitle className="text-base">Login method</CardTitle>
                <CardDescription>SSO, or a built-in password for guests who are not in the identity provider.</CardDescription>
              </CardHeader>
              <CardContent>
                <LoginMethodForm tenantId={tenantId} userId={user.id} loginMethod={user.loginMethod} hasPassword={user.hasPassword} stacked />
              </CardContent>
            </Card>
          ) : null}
          <Card>
            <CardHeader className="pb-3">
              <CardTitle className="text-base">Groups</CardTitle>
            </CardHeader>
            <CardContent>
              {groups.length ? (
                <ul className="grid gap-1.5">
                  {groups.map((g) => (
                    <li key={g.id}>
                      <Link href={`/groups/${g.id}`} className="text-sm text-primary hover:underline">
                        {g.displayName}
                      </Link>
                    </li>
                  ))}
                </ul>
              ) : (
                <p className="text-sm text-muted-foreground">Not a member of any group.</p>
              )}
            </CardContent>
          </Card>
          <Card>
            <CardHeader className="pb-3">
              <CardTitle className="text-base">Active sessions</CardTitle>
            </CardHeader>
            <CardContent className="grid gap-3">
              {sessions.length ? (
                <ul className="grid gap-2 text-sm">
                  {sessions.map((s, i) => (
                    <li key={i}>
                      Started <Time value={s.createdAt} />
                      <span className="block text-xs text-muted-foreground">
                        Expires <Time value={s.expires} />
                      </span>
                    </li>
                  ))}
                </ul>
              ) : (
                <p className="text-sm text-muted-foreground">No active sessions.</p>
              )}
              {writable ? <SignOutEverywhereButton tenantId={tenantId} userId={user.id} disabled={!sessions.length} /> : null}
            </CardContent>
          </Card>
        </div>
      </div>
      <section aria-labelledby="user-activity" className="mt-6 grid gap-3">
        <h2 id="user-activity" className="text-lg font-semibold">
          Recent activity
        </h2>
        <ActivityList events={events} compact />
      </section>
      {writable && !scim ? (
        <Card className="mt-6 border-destructive/40">
          <CardHeader>
            <CardTitle>Delete user</CardTitle>
            <CardDescription>Removes this Local account for good.</CardDescription>
          </CardHeader>
          <CardContent>
            <DeleteUserButton tenantId={tenantId} userId={user.id} userName={user.userName} />
          </CardContent>
        </Card>
      ) : null}
    </>
  );
}
