import { getActivityByDay, CHART_DAYS } from "@/lib/db/queries/usage";
import { ChartEmpty } from "./chart-empty";
import { TimeSeriesChart } from "./time-series-chart";

const title = "Events per day";

/**
 * Audit events per UTC day over the last 30 days, successes and failures stacked, for the
 * tenants given (the viewer's scope: `tenantScope(viewer)`, or one tenant's id in a list).
 */
export async function ActivityChart({ tenantIds }: { tenantIds: string[] | "all" }) {
  const data = await getActivityByDay(tenantIds);
  if (!data.some((d) => d.success || d.failure)) {
    return <ChartEmpty title={title} description={`Nothing was recorded in the last ${CHART_DAYS} days.`} />;
  }
  return (
    <TimeSeriesChart
      title={title}
      description={`Audit events by outcome, last ${CHART_DAYS} days (UTC).`}
      kind="bar"
      stacked
      data={data}
      series={[
        { key: "success", label: "Succeeded", color: "var(--success)" },
        { key: "failure", label: "Failed", color: "var(--destructive)" },
      ]}
    />
  );
}
