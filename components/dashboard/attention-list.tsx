import Link from "next/link";
import { CheckCircle2 } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { Pager } from "@/components/console/pager";
import { relativeTime } from "@/components/ui/time";
import type { AttentionReason, TenantNeedingAttention } from "@/lib/db/queries/dashboard";
import { EXPIRY_WARNING_DAYS } from "@/lib/db/queries/dashboard";

const number = new Intl.NumberFormat("en");

function ReasonBadge({ reason, tenant }: { reason: AttentionReason; tenant: TenantNeedingAttention }) {
  switch (reason) {
    case "errors":
      return (
        <Link href={`/activity?tenantId=${tenant.id}&outcome=failure`} className="rounded-full focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring">
          <Badge variant="destructive">
            {number.format(tenant.errors24h)} {tenant.errors24h === 1 ? "error" : "errors"} (24 h)
          </Badge>
        </Link>
      );
    case "idp_test_failed":
      return <Badge variant="destructive">IdP test failed</Badge>;
    case "no_active_token":
      return <Badge variant="secondary">No active token</Badge>;
    case "tokens_expiring":
      return (
        <Badge variant="warning">
          {tenant.tokensExpiring} {tenant.tokensExpiring === 1 ? "token expires" : "tokens expire"} within {EXPIRY_WARNING_DAYS} days
        </Badge>
      );
    case "no_scim_traffic":
      return <Badge variant="warning">No SCIM request in 24 h</Badge>;
  }
}

/** Tenants that need a look, by name, one keyset page at a time. */
export function AttentionList({ rows, nextCursor, page }: { rows: TenantNeedingAttention[]; nextCursor: string | null; page: number }) {
  return (
    <section aria-labelledby="attention-title" className="grid content-start gap-3">
      <div>
        <h2 id="attention-title" className="text-lg font-semibold">
          Needs attention
        </h2>
        <p className="text-sm text-muted-foreground">Failures in the last 24 h, tokens expiring or missing, failing identity providers and silent provisioning.</p>
      </div>
      {rows.length === 0 ? (
        <div className="flex items-center gap-3 rounded-xl border border-dashed p-6">
          <CheckCircle2 className="size-5 shrink-0 text-success" aria-hidden />
          <p className="text-sm">{page > 1 ? "No more tenants need attention." : "Every tenant looks healthy."}</p>
        </div>
      ) : (
        <ul className="grid divide-y rounded-xl border bg-card text-card-foreground shadow-sm">
          {rows.map((tenant) => (
            <li key={tenant.id} className="grid gap-2 p-4">
              <div className="flex flex-wrap items-baseline justify-between gap-x-3 gap-y-1">
                <h3 className="min-w-0 truncate text-sm font-semibold">
                  <Link href={`/tenants/${tenant.id}`} className="rounded-sm hover:underline focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring">
                    {tenant.name}
                  </Link>
                  <span className="ml-2 font-mono text-xs font-normal text-muted-foreground">{tenant.slug}</span>
                </h3>
                <p className="text-xs text-muted-foreground">
                  {number.format(tenant.userCount)} users · {number.format(tenant.groupCount)} groups · last SCIM request {relativeTime(tenant.lastScimRequestAt)}
                </p>
              </div>
              <ul aria-label={`Why ${tenant.name} needs attention`} className="flex flex-wrap gap-1.5">
                {tenant.reasons.map((reason) => (
                  <li key={reason}>
                    <ReasonBadge reason={reason} tenant={tenant} />
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      )}
      {page > 1 || nextCursor ? <Pager base={new URLSearchParams()} page={page} nextCursor={nextCursor} summary={`Page ${page}`} /> : null}
    </section>
  );
}
