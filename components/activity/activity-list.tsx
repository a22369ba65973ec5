import { Activity } from "lucide-react";
import { EmptyState } from "@/components/ui/empty-state";
import { ActivityTable, type ActivityEvent } from "./activity-table";

export type { ActivityEvent };

export function ActivityList({
  events,
  showTenant,
  compact,
  direction,
  sortable,
  filtered,
}: {
  events: ActivityEvent[];
  showTenant?: boolean;
  compact?: boolean;
  direction?: "asc" | "desc";
  sortable?: boolean;
  filtered?: boolean;
}) {
  if (!events.length) {
    return (
      <EmptyState
        icon={Activity}
        title={filtered ? "No activity matches these filters" : "No activity yet"}
        description={
          filtered
            ? "Try a wider date range or clear the filters."
            : compact
              ? "Nothing has happened to this account yet."
              : "SCIM requests from Entra and admin changes appear here."
        }
      />
    );
  }
  return <ActivityTable events={events} showTenant={showTenant} compact={compact} direction={direction} sortable={sortable} />;
}
