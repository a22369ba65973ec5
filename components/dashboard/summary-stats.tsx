import Link from "next/link";
import { AlertTriangle, Building2, KeyRound, ShieldAlert, Users, UsersRound } from "lucide-react";
import type { LucideIcon } from "lucide-react";
import type { DashboardSummary } from "@/lib/db/queries/dashboard";
import { EXPIRY_WARNING_DAYS } from "@/lib/db/queries/dashboard";
import { cn } from "@/lib/utils";

const number = new Intl.NumberFormat("en");

function Stat({ label, value, icon: Icon, href, alert }: { label: string; value: number; icon: LucideIcon; href?: string; alert?: boolean }) {
  const flagged = alert && value > 0;
  const figure = <span className={cn("text-2xl font-semibold tabular-nums", flagged && "text-destructive dark:text-[color-mix(in_oklch,var(--destructive),white_35%)]")}>{number.format(value)}</span>;
  return (
    <div className="grid content-start gap-1 rounded-xl border bg-card p-4 text-card-foreground shadow-sm">
      <dt className="flex items-center gap-2 text-xs text-muted-foreground">
        <Icon className={cn("size-4 shrink-0", flagged && "text-destructive dark:text-[color-mix(in_oklch,var(--destructive),white_35%)]")} aria-hidden />
        {label}
      </dt>
      <dd>
        {href ? (
          <Link href={href} className="rounded-sm hover:underline focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring">
            {figure}
          </Link>
        ) : (
          figure
        )}
      </dd>
    </div>
  );
}

/** The dashboard's one-line summary of every tenant the viewer may see. */
export function SummaryStats({ summary }: { summary: DashboardSummary }) {
  return (
    <section aria-labelledby="summary-title">
      <h2 id="summary-title" className="sr-only">
        Summary
      </h2>
      <dl className="grid grid-cols-2 gap-3 md:grid-cols-3 xl:grid-cols-6">
        <Stat label="Tenants" value={summary.tenants} icon={Building2} href="/tenants" />
        <Stat label="Users" value={summary.users} icon={Users} />
        <Stat label="Groups" value={summary.groups} icon={UsersRound} />
        <Stat label="Tenants with errors (24 h)" value={summary.tenantsWithErrors} icon={AlertTriangle} href="/activity?outcome=failure" alert />
        <Stat label={`Tokens expiring within ${EXPIRY_WARNING_DAYS} days`} value={summary.tokensExpiring} icon={KeyRound} alert />
        <Stat label="Identity providers failing their test" value={summary.failingIdps} icon={ShieldAlert} alert />
      </dl>
    </section>
  );
}
