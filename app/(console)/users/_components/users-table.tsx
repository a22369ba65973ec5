"use client";

import Link from "next/link";
import { createColumnHelper, getCoreRowModel, useReactTable } from "@tanstack/react-table";
import { Badge } from "@/components/ui/badge";
import { DataTable, useUrlSorting } from "@/components/console/data-table";
import { LocalTime } from "@/components/ui/local-time";

export type UserRow = {
  id: string;
  userName: string;
  name: string | null;
  email: string | null;
  active: boolean;
  source: "scim" | "local";
  loginMethod: "sso" | "password";
  lastSignInAt: string | null;
  createdAt: string;
};

function When({ iso, fallback }: { iso: string | null; fallback: string }) {
  return iso ? <LocalTime iso={iso} /> : <span className="text-muted-foreground">{fallback}</span>;
}

const column = createColumnHelper<UserRow>();

// Only columns with an index behind them sort server-side (see lib/db/queries/users.ts).
const columns = [
  column.accessor("userName", {
    id: "userName",
    header: "User",
    enableSorting: true,
    cell: ({ row }) => (
      <div className="min-w-0">
        <Link href={`/users/${row.original.id}`} className="font-medium text-primary hover:underline">
          {row.original.userName}
        </Link>
        {row.original.name ? <div className="truncate text-xs text-muted-foreground">{row.original.name}</div> : null}
      </div>
    ),
  }),
  column.accessor("email", { header: "Email", enableSorting: false, cell: (c) => c.getValue() ?? <span className="text-muted-foreground">—</span> }),
  column.accessor("source", {
    header: "Account Source",
    enableSorting: false,
    cell: (c) => <Badge variant={c.getValue() === "scim" ? "default" : "secondary"}>{c.getValue() === "scim" ? "SCIM" : "Local"}</Badge>,
  }),
  column.accessor("active", {
    header: "Status",
    enableSorting: false,
    cell: (c) => <Badge variant={c.getValue() ? "success" : "outline"}>{c.getValue() ? "Active" : "Inactive"}</Badge>,
  }),
  column.accessor("loginMethod", { header: "Login method", enableSorting: false, cell: (c) => (c.getValue() === "sso" ? "SSO" : "Password") }),
  column.accessor("lastSignInAt", { header: "Last sign-in", enableSorting: false, cell: (c) => <When iso={c.getValue()} fallback="Never" /> }),
  column.accessor("createdAt", { id: "created", header: "Created", enableSorting: true, cell: (c) => <When iso={c.getValue()} fallback="—" /> }),
];

export function UsersTable({ rows, sort, direction }: { rows: UserRow[]; sort: "created" | "userName"; direction: "asc" | "desc" }) {
  const { sorting, onSortingChange } = useUrlSorting(sort, direction);
  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Table v8 is not compiler-safe; the table is tiny.
  const table = useReactTable({
    data: rows,
    columns,
    getCoreRowModel: getCoreRowModel(),
    manualSorting: true,
    manualPagination: true,
    enableSortingRemoval: false,
    state: { sorting },
    onSortingChange,
  });
  return (
    <DataTable
      table={table}
      label="Users"
      cellClassName={(id) => (id === "email" ? "max-w-56 truncate" : "whitespace-nowrap")}
    />
  );
}
