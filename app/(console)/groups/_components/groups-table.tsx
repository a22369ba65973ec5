"use client";

import Link from "next/link";
import { createColumnHelper, getCoreRowModel, useReactTable } from "@tanstack/react-table";
import { Badge } from "@/components/ui/badge";
import { Time } from "@/components/ui/time";
import { DataTable, useUrlSorting } from "@/components/console/data-table";
import { RoleBadge } from "@/app/(console)/groups/_components/role-badge";

export type GroupRow = {
  id: string;
  displayName: string;
  source: "scim" | "local";
  memberCount: number;
  role: "tenant_admin" | "read_only" | null;
  createdAt: string;
};

export type GroupSortKey = "displayName" | "created";

const number = new Intl.NumberFormat("en");
const column = createColumnHelper<GroupRow>();

// Only columns with an index behind them sort server-side (see listGroups).
const columns = [
  column.accessor("displayName", {
    id: "displayName",
    header: "Name",
    enableSorting: true,
    cell: ({ row }) => (
      <Link href={`/groups/${row.original.id}`} className="font-medium text-primary hover:underline">
        {row.original.displayName}
      </Link>
    ),
  }),
  column.accessor("source", {
    header: "Source",
    enableSorting: false,
    cell: (c) => <Badge variant={c.getValue() === "scim" ? "default" : "secondary"}>{c.getValue() === "scim" ? "SCIM" : "Local"}</Badge>,
  }),
  column.accessor("memberCount", { header: "Members", enableSorting: false, cell: (c) => number.format(c.getValue()) }),
  column.accessor("role", { header: "Console role", enableSorting: false, cell: (c) => <RoleBadge role={c.getValue()} /> }),
  column.accessor("createdAt", { id: "created", header: "Created", enableSorting: true, sortDescFirst: true, cell: (c) => <Time value={c.getValue()} dateOnly /> }),
];

const cellClass: Record<string, string> = { memberCount: "text-right tabular-nums", created: "whitespace-nowrap" };

export function GroupsTable({ rows, sort, direction }: { rows: GroupRow[]; sort: GroupSortKey; direction: "asc" | "desc" }) {
  const { sorting, onSortingChange } = useUrlSorting(sort, direction);
  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Table v8 is not compiler-safe; the table is one page.
  const table = useReactTable({
    data: rows,
    columns,
    getRowId: (row) => row.id,
    getCoreRowModel: getCoreRowModel(),
    manualSorting: true,
    manualPagination: true,
    enableSortingRemoval: false,
    state: { sorting },
    onSortingChange,
  });
  return <DataTable table={table} label="Security groups" cellClassName={(id) => cellClass[id]} />;
}
