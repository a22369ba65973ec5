import { Filter } from "lucide-react";
import { requireConsoleViewer } from "@/lib/auth/guards";
import { listAuditEvents } from "@/lib/db/queries/activity";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { PageHeader } from "@/components/ui/page-header";
import { Select } from "@/components/ui/select";
import { ActivityList } from "@/components/activity/activity-list";
import { Pager } from "@/components/console/pager";
import { TenantCombobox } from "@/components/console/tenant-combobox";
import { pageNumber, param, resolveTenantFilter, tenantScope, type SearchParams } from "../_lib/scope";

export const metadata = { title: "Provisioning Activity" };

const ACTION_PREFIXES = ["scim.", "scim.user", "scim.group", "auth.", "tenant.", "token.", "idp.", "user.", "role_mapping."];

function parseDate(value: string | undefined, endOfDay = false) {
  if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
  const date = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return undefined;
  return endOfDay ? new Date(date.getTime() + 86_400_000) : date;
}

export default async function ActivityPage({ searchParams }: { searchParams: SearchParams }) {
  const viewer = await requireConsoleViewer();
  const params = await searchParams;
  const tenant = await resolveTenantFilter(viewer, params);
  const tenantId = tenant?.id;
  const outcome = param(params, "outcome");
  const filters = {
    tenantId,
    action: param(params, "action"),
    outcome: outcome === "success" || outcome === "failure" ? outcome : undefined,
    actor: param(params, "actor"),
    from: parseDate(param(params, "from")),
    to: parseDate(param(params, "to"), true),
    after: param(params, "after"),
    limit: 50,
  } as const;
  const { rows, nextCursor } = await listAuditEvents(tenantScope(viewer), filters);

  const base = new URLSearchParams();
  for (const key of ["tenantId", "action", "outcome", "actor", "from", "to"]) {
    const value = param(params, key);
    if (value) base.set(key, value);
  }
  const page = pageNumber(params);

  return (
    <>
      <PageHeader
        title="Provisioning Activity"
        description="Every SCIM request from your identity provider and every admin change, newest first. Tokens and secrets are never recorded."
      />
      <form aria-label="Filter activity" className="mb-4 grid gap-3 rounded-lg border bg-card p-3 sm:grid-cols-2 lg:grid-cols-6 lg:items-end">
        <TenantCombobox id="activity-tenant" value={tenant ? { id: tenant.id, name: tenant.name } : null} allLabel="All tenants" behavior="submit" />
        <div className="grid gap-1.5">
          <Label htmlFor="activity-action">Action</Label>
          <Input id="activity-action" name="action" list="activity-actions" defaultValue={filters.action} placeholder="e.g. scim.user" spellCheck={false} />
          <datalist id="activity-actions">
            {ACTION_PREFIXES.map((a) => (
              <option key={a} value={a} />
            ))}
          </datalist>
        </div>
        <div className="grid gap-1.5">
          <Label htmlFor="activity-outcome">Outcome</Label>
          <Select id="activity-outcome" name="outcome" defaultValue={filters.outcome ?? ""}>
            <option value="">Any outcome</option>
            <option value="success">Success</option>
            <option value="failure">Failure</option>
          </Select>
        </div>
        <div className="grid gap-1.5">
          <Label htmlFor="activity-actor">Actor</Label>
          <Input id="activity-actor" name="actor" defaultValue={filters.actor} placeholder="Email or token name" />
        </div>
        <div className="grid grid-cols-2 gap-2 lg:col-span-2">
          <div className="grid gap-1.5">
            <Label htmlFor="activity-from">From</Label>
            <Input id="activity-from" name="from" type="date" defaultValue={param(params, "from")} />
          </div>
          <div className="grid gap-1.5">
            <Label htmlFor="activity-to">To</Label>
            <Input id="activity-to" name="to" type="date" defaultValue={param(params, "to")} />
          </div>
        </div>
        <div className="sm:col-span-2 lg:col-span-6">
          <Button type="submit" variant="secondary">
            <Filter aria-hidden />
            Apply filters
          </Button>
        </div>
      </form>
      <div className="grid gap-3">
        <ActivityList events={rows} showTenant={tenantScope(viewer) === "all"} />
        {rows.length ? (
          <Pager
            base={base}
            page={page}
            summary={`Page ${page}${nextCursor ? "" : " (oldest events reached)"}`}
            prevCursor={null}
            nextCursor={nextCursor}
          />
        ) : null}
      </div>
    </>
  );
}
