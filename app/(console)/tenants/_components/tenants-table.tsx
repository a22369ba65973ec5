"use client";

import Link from "next/link";
import { createColumnHelper, getCoreRowModel, useReactTable } from "@tanstack/react-table";
import { DataTable, useUrlSorting } from "@/components/console/data-table";
import { Time } from "@/components/ui/time";

export type TenantRow = {
  id: string;
  name: string;
  slug: string;
  domains: string;
  userCount: number;
  groupCount: number;
  createdAt: string;
};

export type TenantSortKey = "name" | "created";

const number = new Intl.NumberFormat("en");
const column = createColumnHelper<TenantRow>();

// Only columns with a keyset behind them sort server-side (see listTenants).
const columns = [
  column.accessor("name", {
    id: "name",
    header: "Name",
    enableSorting: true,
    cell: ({ row }) => (
      <>
        <Link href={`/tenants/${row.original.id}`} className="font-medium text-primary hover:underline">
          {row.original.name}
        </Link>
        <div className="font-mono text-xs text-muted-foreground">{row.original.slug}</div>
      </>
    ),
  }),
  column.accessor("domains", { header: "Email domains", enableSorting: false, cell: (c) => <span className="text-muted-foreground">{c.getValue()}</span> }),
  column.accessor("userCount", { header: "Users", enableSorting: false, cell: (c) => number.format(c.getValue()) }),
  column.accessor("groupCount", { header: "Groups", enableSorting: false, cell: (c) => number.format(c.getValue()) }),
  column.accessor("createdAt", { id: "created", header: "Created", enableSorting: true, sortDescFirst: true, cell: (c) => <Time value={c.getValue()} dateOnly /> }),
];

const cellClass: Record<string, string> = {
  domains: "max-w-64 truncate",
  userCount: "text-right tabular-nums",
  groupCount: "text-right tabular-nums",
  created: "whitespace-nowrap",
};

export function TenantsTable({ rows, sort, direction }: { rows: TenantRow[]; sort: TenantSortKey; direction: "asc" | "desc" }) {
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
  return <DataTable table={table} label="Tenants" cellClassName={(id) => cellClass[id]} />;
}
