"use client";

import * as React from "react";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { ArrowDown, ArrowUp, ChevronDown, ChevronRight } from "lucide-react";
import { createColumnHelper, flexRender, getCoreRowModel, useReactTable, type SortingState } from "@tanstack/react-table";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { Time } from "@/components/ui/time";

export type ActivityEvent = {
  id: number;
  tenantId?: string | null;
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
  createdAt: Date | string;
};

const ACTOR_LABEL: Record<string, string> = { admin: "Admin", token: "Provisioning token", api_key: "API key", user: "User", system: "System" };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The console page of an event's target, when the target is something the console shows. */
function targetHref(event: ActivityEvent): string | null {
  if (!event.targetId || !UUID.test(event.targetId)) return null;
  switch (event.targetType) {
    case "user":
      return `/users/${event.targetId}`;
    case "group":
      return `/groups/${event.targetId}`;
    case "identity_provider":
      return `/identity-providers/${event.targetId}`;
    case "tenant":
      return `/tenants/${event.targetId}`;
    default:
      return null;
  }
}

const SUMMARY_LENGTH = 120;

function summary(details: Record<string, unknown> | null) {
  const entries = Object.entries(details ?? {});
  if (!entries.length) return null;
  const text = entries.map(([key, value]) => `${key}: ${typeof value === "object" && value !== null ? JSON.stringify(value) : String(value)}`).join(" · ");
  return text.length > SUMMARY_LENGTH ? `${text.slice(0, SUMMARY_LENGTH)}…` : text;
}

function Target({ event }: { event: ActivityEvent }) {
  const href = targetHref(event);
  const label = event.targetLabel ?? event.targetId;
  if (!label) return <span className="text-muted-foreground">—</span>;
  return (
    <div className="min-w-0">
      <div className="flex items-center gap-1">
        {href ? (
          <Link href={href} className="max-w-48 truncate font-medium text-primary hover:underline">
            {label}
          </Link>
        ) : (
          <span className="max-w-48 truncate">{label}</span>
        )}
        {event.targetId ? <CopyButton value={event.targetId} label={`Copy target id ${event.targetId}`} successMessage="Target id copied" className="size-6 shrink-0" /> : null}
      </div>
      {event.targetType ? <div className="text-xs text-muted-foreground">{event.targetType.replaceAll("_", " ")}</div> : null}
    </div>
  );
}

function Details({ event, expanded, onToggle, panelId }: { event: ActivityEvent; expanded: boolean; onToggle: () => void; panelId: string }) {
  const text = summary(event.details);
  if (!text && !event.requestId) return <span className="text-muted-foreground">—</span>;
  return (
    <div className="flex min-w-0 items-start gap-1">
      <Button
        type="button"
        variant="ghost"
        size="icon"
        className="size-6 shrink-0"
        aria-expanded={expanded}
        aria-controls={panelId}
        aria-label={expanded ? "Hide details" : "Show details"}
        onClick={onToggle}
      >
        {expanded ? <ChevronDown aria-hidden /> : <ChevronRight aria-hidden />}
      </Button>
      <span className="min-w-0 break-all font-mono text-xs text-muted-foreground">{text ?? `request ${event.requestId}`}</span>
    </div>
  );
}

function DetailPanel({ event, id }: { event: ActivityEvent; id: string }) {
  return (
    <div id={id} className="grid gap-2 text-xs">
      <dl className="grid gap-1 sm:grid-cols-[auto_1fr] sm:gap-x-3">
        <dt className="text-muted-foreground">Event</dt>
        <dd className="font-mono">#{event.id}</dd>
        {event.requestId ? (
          <>
            <dt className="text-muted-foreground">Request id</dt>
            <dd className="flex items-center gap-1 font-mono">
              <span className="break-all">{event.requestId}</span>
              <CopyButton value={event.requestId} label="Copy request id" successMessage="Request id copied" className="size-6 shrink-0" />
            </dd>
          </>
        ) : null}
        {event.targetId ? (
          <>
            <dt className="text-muted-foreground">Target id</dt>
            <dd className="break-all font-mono">{event.targetId}</dd>
          </>
        ) : null}
        {event.actorId ? (
          <>
            <dt className="text-muted-foreground">Actor id</dt>
            <dd className="break-all font-mono">{event.actorId}</dd>
          </>
        ) : null}
      </dl>
      {event.details && Object.keys(event.details).length ? (
        <pre aria-label="Details as JSON" className="max-h-96 overflow-auto whitespace-pre-wrap break-all rounded-md border bg-muted/50 p-2 font-mono">
          {JSON.stringify(event.details, null, 2)}
        </pre>
      ) : null}
    </div>
  );
}

const column = createColumnHelper<ActivityEvent>();

/**
 * The activity log. Only the time sorts (server-side, along the created_at indexes); the
 * sort, the filter and the page live in the URL, so a view can be shared and Back restores it.
 */
export function ActivityTable({
  events,
  showTenant,
  compact,
  direction = "desc",
  sortable = false,
}: {
  events: ActivityEvent[];
  showTenant?: boolean;
  compact?: boolean;
  direction?: "asc" | "desc";
  sortable?: boolean;
}) {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const [expanded, setExpanded] = React.useState<Set<number>>(() => new Set());
  const sorting: SortingState = [{ id: "created", desc: direction === "desc" }];

  const toggle = React.useCallback((id: number) => {
    setExpanded((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  }, []);

  const columns = React.useMemo(
    () => [
      column.accessor("createdAt", {
        id: "created",
        header: "Time",
        enableSorting: sortable,
        cell: (c) => <Time value={c.getValue()} />,
      }),
      ...(showTenant
        ? [
            column.accessor("tenantName", {
              header: "Tenant",
              enableSorting: false,
              cell: (c) => c.getValue() ?? <span className="text-muted-foreground">Platform</span>,
            }),
          ]
        : []),
      column.accessor("action", { header: "Action", enableSorting: false, cell: (c) => <span className="font-mono text-xs">{c.getValue()}</span> }),
      column.display({
        id: "actor",
        header: "Actor",
        cell: ({ row }) => (
          <>
            <div className="max-w-48 truncate">{row.original.actorLabel ?? row.original.actorId ?? "—"}</div>
            <div className="text-xs text-muted-foreground">{ACTOR_LABEL[row.original.actorType] ?? row.original.actorType}</div>
          </>
        ),
      }),
      column.display({ id: "target", header: "Target", cell: ({ row }) => <Target event={row.original} /> }),
      column.accessor("outcome", {
        header: "Outcome",
        enableSorting: false,
        cell: ({ row }) => (
          <Badge variant={row.original.outcome === "success" ? "success" : "destructive"}>
            {row.original.outcome === "success" ? "Success" : "Failure"}
            {row.original.statusCode ? ` · ${row.original.statusCode}` : ""}
          </Badge>
        ),
      }),
      ...(compact
        ? []
        : [
            column.display({
              id: "details",
              header: "Request summary",
              cell: ({ row }) => (
                <Details event={row.original} expanded={expanded.has(row.original.id)} onToggle={() => toggle(row.original.id)} panelId={`activity-event-${row.original.id}`} />
              ),
            }),
          ]),
    ],
    [compact, expanded, showTenant, sortable, toggle],
  );

  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Table v8 is not compiler-safe; one page of rows.
  const table = useReactTable({
    data: events,
    columns,
    getRowId: (row) => String(row.id),
    getCoreRowModel: getCoreRowModel(),
    manualSorting: true,
    manualPagination: true,
    manualFiltering: true,
    enableSortingRemoval: false,
    state: { sorting },
    onSortingChange: (updater) => {
      const next = typeof updater === "function" ? updater(sorting) : updater;
      const params = new URLSearchParams(searchParams.toString());
      for (const key of ["after", "before", "page"]) params.delete(key);
      if (next[0]?.desc === false) params.set("dir", "asc");
      else params.delete("dir");
      router.push(`${pathname}?${params.toString()}`);
    },
  });

  const columnCount = table.getVisibleLeafColumns().length;

  return (
    <Table label="Activity">
      <TableHeader>
        {table.getHeaderGroups().map((group) => (
          <TableRow key={group.id}>
            {group.headers.map((header) => {
              const sorted = header.column.getIsSorted();
              return (
                <TableHead key={header.id} aria-sort={header.column.getCanSort() && sorted ? (sorted === "asc" ? "ascending" : "descending") : undefined}>
                  {header.column.getCanSort() ? (
                    <button
                      type="button"
                      onClick={header.column.getToggleSortingHandler()}
                      className="-mx-1 inline-flex items-center gap-1 rounded px-1 uppercase hover:text-foreground focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring"
                    >
                      {flexRender(header.column.columnDef.header, header.getContext())}
                      {sorted === "asc" ? <ArrowUp className="size-3.5" aria-hidden /> : <ArrowDown className="size-3.5" aria-hidden />}
                      <span className="sr-only">{sorted === "asc" ? ", oldest first; sort newest first" : ", newest first; sort oldest first"}</span>
                    </button>
                  ) : (
                    flexRender(header.column.columnDef.header, header.getContext())
                  )}
                </TableHead>
              );
            })}
          </TableRow>
        ))}
      </TableHeader>
      <TableBody>
        {table.getRowModel().rows.map((row) => (
          <React.Fragment key={row.id}>
            <TableRow className="align-top">
              {row.getVisibleCells().map((cell) => (
                <TableCell
                  key={cell.id}
                  className={cell.column.id === "details" ? "min-w-72 max-w-lg" : cell.column.id === "created" || cell.column.id === "outcome" ? "whitespace-nowrap text-xs" : "text-sm"}
                >
                  {flexRender(cell.column.columnDef.cell, cell.getContext())}
                </TableCell>
              ))}
            </TableRow>
            {!compact && expanded.has(row.original.id) ? (
              <TableRow className="bg-muted/20 hover:bg-muted/20">
                <TableCell colSpan={columnCount}>
                  <DetailPanel event={row.original} id={`activity-event-${row.original.id}`} />
                </TableCell>
              </TableRow>
            ) : null}
          </React.Fragment>
        ))}
      </TableBody>
    </Table>
  );
}
