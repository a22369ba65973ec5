import { Suspense } from "react";
import { Download, Filter } from "lucide-react";
import { requireConsoleViewer } from "@/lib/auth/guards";
import { lenientActivityFilter, listAuditEvents, toActivityFilters } from "@/lib/db/queries/activity";
import { ActivityChart } from "@/components/charts/activity-chart";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { PageHeader } from "@/components/ui/page-header";
import { Select } from "@/components/ui/select";
import { Skeleton } from "@/components/ui/skeleton";
import { ActivityList } from "@/components/activity/activity-list";
import { Pager } from "@/components/console/pager";
import { TenantCombobox } from "@/components/console/tenant-combobox";
import { pageNumber, param, resolveTenantFilter, tenantScope, type SearchParams } from "../_lib/scope";

export const metadata = { title: "Provisioning Activity" };

const ACTION_PREFIXES = ["scim.", "scim.user", "scim.group", "auth.", "tenant.", "token.", "idp.", "user.", "role_mapping.", "activity."];

const PAGE_SIZE = 50;

function ChartSkeleton() {
  return (
    <div role="status" aria-label="Loading the activity chart" className="grid gap-3 rounded-lg border bg-card p-4">
      <Skeleton className="h-5 w-40" />
      <Skeleton className="h-48 w-full" />
    </div>
  );
}

export default async function ActivityPage({ searchParams }: { searchParams: SearchParams }) {
  const viewer = await requireConsoleViewer();
  const params = await searchParams;
  const tenant = await resolveTenantFilter(viewer, params);
  const tenantId = tenant?.id;
  // What the list shows is what the export links carry: a malformed value is dropped from both.
  const filter = lenientActivityFilter((key) => (key === "tenantId" ? tenantId : param(params, key)));
  const direction = filter.dir ?? "desc";
  const { rows, nextCursor, prevCursor } = await listAuditEvents(tenantScope(viewer), {
    ...toActivityFilters(filter),
    after: param(params, "after"),
    before: param(params, "before"),
    limit: PAGE_SIZE,
  });
  const filtered = Boolean(filter.tenantId || filter.action || filter.outcome || filter.actor || filter.from || filter.to);

  const base = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) if (value) base.set(key, value);
  const exportHref = (format: "csv" | "ndjson") => `/api/console/activity/export?${new URLSearchParams([["format", format], ...base])}`;
  const page = pageNumber(params);
  const oldestEnd = direction === "desc" ? "oldest" : "newest";

  return (
    <>
      <PageHeader
        title="Provisioning Activity"
        description="Every SCIM request from your identity provider and every admin change. Tokens and secrets are never recorded."
        actions={
          <div className="flex flex-wrap gap-2">
            <Button asChild variant="outline">
              <a href={exportHref("csv")} download>
                <Download aria-hidden />
                Export CSV
              </a>
            </Button>
            <Button asChild variant="outline">
              <a href={exportHref("ndjson")} download>
                <Download aria-hidden />
                Export NDJSON
              </a>
            </Button>
          </div>
        }
      />
      <div className="mb-4">
        <Suspense fallback={<ChartSkeleton />}>
          <ActivityChart tenantIds={tenantId ? [tenantId] : tenantScope(viewer)} />
        </Suspense>
      </div>
      <form aria-label="Filter activity" className="mb-4 grid gap-3 rounded-lg border bg-card p-3 sm:grid-cols-2 lg:grid-cols-6 lg:items-end">
        <TenantCombobox id="activity-tenant" value={tenant ? { id: tenant.id, name: tenant.name } : null} allLabel="All tenants" behavior="submit" />
        <div className="grid gap-1.5">
          <Label htmlFor="activity-action">Action</Label>
          <Input id="activity-action" name="action" list="activity-actions" defaultValue={filter.action} placeholder="e.g. scim.user" spellCheck={false} />
          <datalist id="activity-actions">
            {ACTION_PREFIXES.map((a) => (
              <option key={a} value={a} />
            ))}
          </datalist>
        </div>
        <div className="grid gap-1.5">
          <Label htmlFor="activity-outcome">Outcome</Label>
          <Select id="activity-outcome" name="outcome" defaultValue={filter.outcome ?? ""}>
            <option value="">Any outcome</option>
            <option value="success">Success</option>
            <option value="failure">Failure</option>
          </Select>
        </div>
        <div className="grid gap-1.5">
          <Label htmlFor="activity-actor">Actor</Label>
          <Input id="activity-actor" name="actor" defaultValue={filter.actor} placeholder="Email or token name" />
        </div>
        <div className="grid grid-cols-2 gap-2 lg:col-span-2">
          <div className="grid gap-1.5">
            <Label htmlFor="activity-from">From</Label>
            <Input id="activity-from" name="from" type="date" defaultValue={filter.from} />
          </div>
          <div className="grid gap-1.5">
            <Label htmlFor="activity-to">To</Label>
            <Input id="activity-to" name="to" type="date" defaultValue={filter.to} />
          </div>
        </div>
        {filter.dir ? <input type="hidden" name="dir" value={filter.dir} /> : null}
        <div className="sm:col-span-2 lg:col-span-6">
          <Button type="submit" variant="secondary">
            <Filter aria-hidden />
            Apply filters
          </Button>
        </div>
      </form>
      <div className="grid gap-3">
        <ActivityList events={rows} showTenant={tenantScope(viewer) === "all"} direction={direction} sortable filtered={filtered} />
        {rows.length ? (
          <Pager
            base={base}
            page={page}
            summary={`Page ${page}, ${direction === "desc" ? "newest" : "oldest"} first${nextCursor ? "" : ` (${oldestEnd} events reached)`}`}
            prevCursor={prevCursor}
            nextCursor={nextCursor}
          />
        ) : null}
      </div>
    </>
  );
}
