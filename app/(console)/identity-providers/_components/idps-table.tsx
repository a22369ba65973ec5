"use client";

import Link from "next/link";
import { createColumnHelper, getCoreRowModel, useReactTable } from "@tanstack/react-table";
import { Time } from "@/components/ui/time";
import { DataTable, useUrlSorting } from "@/components/console/data-table";
import { IdpStatusBadge } from "./idp-status-badge";

export type IdpRow = {
  id: string;
  name: string;
  tenantName: string;
  type: "oidc" | "oauth2" | "saml";
  clientId: string;
  status: "draft" | "active" | "inactive";
  lastSuccessfulSignInAt: string | null;
};

/** The orders the database pages along (lib/db/queries/identity-providers.ts listIdentityProviders). */
export const IDP_SORTS = ["tenant", "name"] as const;
export type IdpSort = (typeof IDP_SORTS)[number];

const column = createColumnHelper<IdpRow>();

const columns = [
  column.accessor("name", {
    id: "name",
    header: "Name",
    cell: ({ row }) => (
      <Link href={`/identity-providers/${row.original.id}`} className="font-medium text-primary hover:underline">
        {row.original.name}
      </Link>
    ),
  }),
  column.accessor("tenantName", { id: "tenant", header: "Tenant" }),
  column.accessor("type", { header: "Type", enableSorting: false, cell: (c) => ({ oidc: "OIDC", oauth2: "OAuth2", saml: "SAML 2.0" })[c.getValue()] }),
  column.accessor("clientId", { header: "Client ID", enableSorting: false }),
  column.accessor("status", { header: "Status", enableSorting: false, cell: ({ row }) => <IdpStatusBadge status={row.original.status} /> }),
  column.accessor((row) => row.lastSuccessfulSignInAt ?? "", {
    id: "lastSignIn",
    header: "Last sign-in",
    enableSorting: false,
    cell: ({ row }) => <Time value={row.original.lastSuccessfulSignInAt} fallback="Never" />,
  }),
];

/**
 * One page of identity providers, in the order the database paged them (`?sort=&dir=` in the
 * URL: by tenant or by name); a new order starts again at the first page.
 */
export function IdpsTable({ rows, sort, direction }: { rows: IdpRow[]; sort: IdpSort; direction: "asc" | "desc" }) {
  const { sorting, onSortingChange } = useUrlSorting(sort, direction);
  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Table v8 is not compiler-safe; the table is small.
  const table = useReactTable({
    data: rows,
    columns,
    getRowId: (row) => row.id,
    getCoreRowModel: getCoreRowModel(),
    manualSorting: true,
    enableSortingRemoval: false,
    state: { sorting },
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
