"use client";

import Link from "next/link";
import { createColumnHelper, getCoreRowModel, getSortedRowModel, useReactTable } from "@tanstack/react-table";
import { Time } from "@/components/ui/time";
import { DataTable, useUrlSorting } from "@/components/console/data-table";
import { IdpStatusBadge } from "./idp-status-badge";

export type IdpRow = {
  id: string;
  name: string;
  tenantName: string;
  type: "oidc" | "oauth2";
  clientId: string;
  status: "draft" | "active" | "inactive";
  lastSuccessfulSignInAt: string | null;
};

export const IDP_SORTS = ["name", "tenant", "status", "lastSignIn"] as const;
export type IdpSort = (typeof IDP_SORTS)[number];

const STATUS_ORDER = { active: 0, draft: 1, inactive: 2 } as const;
const byText = (a: string, b: string) => a.localeCompare(b, "en", { sensitivity: "base" });

const column = createColumnHelper<IdpRow>();

const columns = [
  column.accessor("name", {
    id: "name",
    header: "Name",
    sortingFn: (a, b) => byText(a.original.name, b.original.name),
    cell: ({ row }) => (
      <Link href={`/identity-providers/${row.original.id}`} className="font-medium text-primary hover:underline">
        {row.original.name}
      </Link>
    ),
  }),
  column.accessor("tenantName", { id: "tenant", header: "Tenant", sortingFn: (a, b) => byText(a.original.tenantName, b.original.tenantName) || byText(a.original.name, b.original.name) }),
  column.accessor("type", { header: "Type", enableSorting: false, cell: (c) => (c.getValue() === "oidc" ? "OIDC" : "OAuth2") }),
  column.accessor("clientId", { header: "Client ID", enableSorting: false }),
  column.accessor((row) => STATUS_ORDER[row.status], { id: "status", header: "Status", cell: ({ row }) => <IdpStatusBadge status={row.original.status} /> }),
  column.accessor((row) => row.lastSuccessfulSignInAt ?? "", {
    id: "lastSignIn",
    header: "Last sign-in",
    cell: ({ row }) => <Time value={row.original.lastSuccessfulSignInAt} fallback="Never" />,
  }),
];

/**
 * The identity providers the page loaded. When that is every provider in the view, the rows
 * sort here (the order in the URL, `?sort=&dir=`); when the list is cut at its cap, sorting
 * a part would mislead, so the columns do not offer it.
 */
export function IdpsTable({ rows, sort, direction, complete }: { rows: IdpRow[]; sort: IdpSort; direction: "asc" | "desc"; complete: boolean }) {
  const { sorting, onSortingChange } = useUrlSorting(sort, direction);
  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Table v8 is not compiler-safe; the table is small.
  const table = useReactTable({
    data: rows,
    columns,
    getRowId: (row) => row.id,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
    enableSorting: complete,
    enableSortingRemoval: false,
    state: complete ? { sorting } : {},
    onSortingChange,
  });
  return (
    <DataTable
      table={table}
      label="Identity providers"
      cellClassName={(id) => (id === "clientId" ? "max-w-48 truncate font-mono text-xs" : id === "lastSignIn" ? "whitespace-nowrap" : undefined)}
    />
  );
}
