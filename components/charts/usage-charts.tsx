import type { UsageDay } from "@/lib/db/queries/usage";
import { CHART_DAYS } from "@/lib/db/queries/usage";
import { ChartEmpty } from "./chart-empty";
import { TimeSeriesChart } from "./time-series-chart";

const window = `last ${CHART_DAYS} days (UTC)`;

/**
 * SCIM traffic, users and groups, and sign-ins per day from scim_usage: one tenant's
 * (`getTenantUsage`) or summed over the viewer's tenants (`getOverallUsage`).
 */
export function UsageCharts({ data, scope, className = "grid gap-4" }: { data: UsageDay[]; scope: "overall" | "tenant"; className?: string }) {
  const whose = scope === "overall" ? "All your tenants" : "This tenant";
  const traffic = data.some((d) => d.requests || d.errors);
  const directory = data.some((d) => d.users !== null);
  const signIns = data.some((d) => d.signIns || d.signInFailures);
  return (
    <div className={className}>
      {traffic ? (
        <TimeSeriesChart
          title="SCIM requests per day"
          description={`${whose}: requests, writes, errors and rate-limited requests (429), ${window}.`}
          data={data}
          series={[
            { key: "requests", label: "Requests", color: "var(--primary)" },
            { key: "writes", label: "Writes", color: "var(--success)" },
            { key: "errors", label: "Errors", color: "var(--destructive)" },
            { key: "rateLimited", label: "Rate limited (429)", color: "var(--warning-foreground)" },
          ]}
        />
      ) : (
        <ChartEmpty title="SCIM requests per day" description="Appears once an identity provider sends its first provisioning request." />
      )}
      {directory ? (
        <TimeSeriesChart
          title="Users and groups"
          description={`${whose}: users and groups at the end of each day, ${window}.`}
          data={data}
          series={[
            { key: "users", label: "Users", color: "var(--primary)" },
            { key: "groups", label: "Groups", color: "var(--success)" },
          ]}
        />
      ) : (
        <ChartEmpty title="Users and groups" description="Counted each day there is provisioning or sign-in activity." />
      )}
      {signIns ? (
        <TimeSeriesChart
          title="Sign-ins per day"
          description={`${whose}: single sign-on and password sign-ins, and refused ones, ${window}.`}
          kind="bar"
          data={data}
          series={[
            { key: "signIns", label: "Sign-ins", color: "var(--success)" },
            { key: "signInFailures", label: "Failed sign-ins", color: "var(--destructive)" },
          ]}
        />
      ) : (
        <ChartEmpty title="Sign-ins per day" description="Appears after the first sign-in through single sign-on or a password." />
      )}
    </div>
  );
}
