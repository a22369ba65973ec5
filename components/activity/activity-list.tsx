import { Activity } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { Time } from "@/components/ui/time";

type Event = {
  id: number;
  tenantName?: string | null;
  actorType: string;
  actorLabel: string | null;
  actorId: string | null;
  action: string;
  targetType: string | null;
  targetLabel: string | null;
  targetId: string | null;
  outcome: "success" | "failure";
  statusCode: number | null;
  requestId: string | null;
  details: Record<string, unknown> | null;
  createdAt: Date;
};

// Defence in depth: details are scrubbed when stored; never render a secret-looking key anyway.
const SECRET_KEY = /secret|token|password|authorization|credential/i;

function DetailValue({ value }: { value: unknown }) {
  if (value === null || value === undefined) return <span className="text-muted-foreground">null</span>;
  if (typeof value === "object") return <span className="font-mono">{JSON.stringify(value).slice(0, 300)}</span>;
  return <span className="font-mono">{String(value).slice(0, 300)}</span>;
}

function Details({ details, requestId }: { details: Record<string, unknown> | null; requestId: string | null }) {
  const entries = Object.entries(details ?? {}).filter(([key]) => !SECRET_KEY.test(key));
  if (!entries.length && !requestId) return <span className="text-muted-foreground">—</span>;
  return (
    <dl className="grid gap-0.5 text-xs">
      {entries.map(([key, value]) => (
        <div key={key} className="flex gap-1.5">
          <dt className="shrink-0 text-muted-foreground">{key}:</dt>
          <dd className="min-w-0 break-all">
            <DetailValue value={value} />
          </dd>
        </div>
      ))}
      {requestId ? (
        <div className="flex gap-1.5">
          <dt className="shrink-0 text-muted-foreground">request:</dt>
          <dd className="break-all font-mono">{requestId}</dd>
        </div>
      ) : null}
    </dl>
  );
}

const ACTOR_LABEL: Record<string, string> = { admin: "Admin", token: "Provisioning token", user: "User", system: "System" };

export function ActivityList({ events, showTenant, compact }: { events: Event[]; showTenant?: boolean; compact?: boolean }) {
  if (!events.length) {
    return (
      <EmptyState
        icon={Activity}
        title="No activity yet"
        description={compact ? "Nothing has happened to this account yet." : "SCIM requests from Entra and admin changes appear here."}
      />
    );
  }
  return (
    <Table label="Activity">
      <TableHeader>
        <TableRow>
          <TableHead>Time</TableHead>
          {showTenant ? <TableHead>Tenant</TableHead> : null}
          <TableHead>Action</TableHead>
          <TableHead>Actor</TableHead>
          <TableHead>Target</TableHead>
          <TableHead>Outcome</TableHead>
          {compact ? null : <TableHead>Request summary</TableHead>}
        </TableRow>
      </TableHeader>
      <TableBody>
        {events.map((event) => (
          <TableRow key={event.id} className="align-top">
            <TableCell className="whitespace-nowrap text-xs">
              <Time value={event.createdAt} />
            </TableCell>
            {showTenant ? <TableCell className="text-sm">{event.tenantName ?? <span className="text-muted-foreground">Platform</span>}</TableCell> : null}
            <TableCell className="font-mono text-xs">{event.action}</TableCell>
            <TableCell className="text-sm">
              <div className="max-w-48 truncate">{event.actorLabel ?? event.actorId ?? "—"}</div>
              <div className="text-xs text-muted-foreground">{ACTOR_LABEL[event.actorType] ?? event.actorType}</div>
            </TableCell>
            <TableCell className="text-sm">
              <div className="max-w-48 truncate">{event.targetLabel ?? event.targetId ?? "—"}</div>
              {event.targetType ? <div className="text-xs text-muted-foreground">{event.targetType}</div> : null}
            </TableCell>
            <TableCell className="whitespace-nowrap">
              <Badge variant={event.outcome === "success" ? "success" : "destructive"}>
                {event.outcome === "success" ? "Success" : "Failure"}
                {event.statusCode ? ` · ${event.statusCode}` : ""}
              </Badge>
            </TableCell>
            {compact ? null : (
              <TableCell className="min-w-80 max-w-lg">
                <Details details={event.details} requestId={event.requestId} />
              </TableCell>
            )}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
