"use client";

import Link from "next/link";
import { createColumnHelper, getCoreRowModel, useReactTable } from "@tanstack/react-table";
import { Badge } from "@/components/ui/badge";
import { DataTable } from "@/components/console/data-table";

export type MemberRow = { id: string; userName: string; name: string | null; email: string | null; active: boolean };

const column = createColumnHelper<MemberRow>();

const columns = [
  column.accessor("userName", {
    header: "User",
    cell: ({ row: { original: m } }) => (
      <>
        <Link href={`/users/${m.id}`} className="font-medium text-primary hover:underline">
          {m.userName}
        </Link>
        {m.name ? <div className="text-xs text-muted-foreground">{m.name}</div> : null}
      </>
    ),
  }),
  column.accessor("email", { header: "Email", cell: (c) => c.getValue() ?? <span className="text-muted-foreground">—</span> }),
  column.accessor("active", {
    header: "Status",
    cell: (c) => <Badge variant={c.getValue() ? "success" : "outline"}>{c.getValue() ? "Active" : "Inactive"}</Badge>,
  }),
];

/**
 * One page of a group's members, in the order of the group_members primary key (group, user):
 * the only index a group of 100,000 members can be paged along, so no column offers a sort.
 * The page lives in the URL (`?after=&page=`).
 */
export function MembersTable({ rows }: { rows: MemberRow[] }) {
  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Table v8 is not compiler-safe; one page of rows.
  const table = useReactTable({
    data: rows,
    columns,
    getRowId: (row) => row.id,
    getCoreRowModel: getCoreRowModel(),
    manualPagination: true,
    manualSorting: true,
    enableSorting: false,
  });
  return <DataTable table={table} label="Group members" cellClassName={(id) => (id === "email" ? "max-w-56 truncate" : undefined)} />;
}
