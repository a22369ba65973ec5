import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader } from "@/components/ui/card";
import { relativeTime } from "@/components/ui/time";
import type { TenantHealth } from "@/lib/db/queries/dashboard";
import { SetupChecklist, tenantSetupSteps } from "./setup-checklist";

function Stat({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="grid gap-1">
      <dt className="text-xs text-muted-foreground">{label}</dt>
      <dd className="text-sm font-medium">{children}</dd>
    </div>
  );
}

function IdpStatus({ idps }: { idps: TenantHealth["idps"] }) {
  if (idps.active) return <Badge variant="success">{idps.active} active</Badge>;
  if (idps.draft || idps.inactive) return <Badge variant="warning">None active</Badge>;
  return <Badge variant="secondary">Not configured</Badge>;
}

export function TenantHealthCard({ tenant, expiringTokens }: { tenant: TenantHealth; expiringTokens: number }) {
  const steps = tenantSetupSteps({
    id: tenant.id,
    idpCount: tenant.idps.active + tenant.idps.draft + tenant.idps.inactive,
    activeTokens: tenant.activeTokens,
    lastScimRequestAt: tenant.lastScimRequestAt,
  });
  const complete = steps.every((s) => s.done);
  const number = new Intl.NumberFormat("en");
  return (
    <Card>
      <CardHeader className="flex-row items-start justify-between gap-2 pb-4">
        <div className="min-w-0">
          <h2 className="truncate text-base font-semibold">
            <Link href={`/tenants/${tenant.id}`} className="rounded-sm hover:underline focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring">
              {tenant.name}
            </Link>
          </h2>
          <p className="font-mono text-xs text-muted-foreground">{tenant.slug}</p>
        </div>
        {tenant.errors24h > 0 ? <Badge variant="destructive">{tenant.errors24h} errors (24 h)</Badge> : <Badge variant="success">Healthy</Badge>}
      </CardHeader>
      <CardContent className="grid gap-4">
        <dl className="grid grid-cols-2 gap-4 sm:grid-cols-3">
          <Stat label="Users">
            <Link href={`/users?tenantId=${tenant.id}`} className="hover:underline">
              {number.format(tenant.userCount)}
            </Link>
          </Stat>
          <Stat label="Groups">
            <Link href={`/groups?tenantId=${tenant.id}`} className="hover:underline">
              {number.format(tenant.groupCount)}
            </Link>
          </Stat>
          <Stat label="Last provisioning request">{relativeTime(tenant.lastScimRequestAt)}</Stat>
          <Stat label="Errors in the last 24 h">
            <Link href={`/activity?tenantId=${tenant.id}&outcome=failure`} className="hover:underline">
              {tenant.errors24h}
            </Link>
          </Stat>
          <Stat label="Identity provider">
            <IdpStatus idps={tenant.idps} />
          </Stat>
          <Stat label="Provisioning tokens">
            {tenant.activeTokens} active
            {expiringTokens ? <span className="block text-xs font-normal text-warning-foreground dark:text-warning-foreground">{expiringTokens} expiring soon</span> : null}
          </Stat>
        </dl>
        {complete ? null : <SetupChecklist steps={steps} />}
      </CardContent>
    </Card>
  );
}
