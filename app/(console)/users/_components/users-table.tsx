"use client";

import * as React from "react";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { ArrowDown, ArrowUp, ArrowUpDown } from "lucide-react";
import { createColumnHelper, flexRender, getCoreRowModel, useReactTable, type SortingState } from "@tanstack/react-table";
import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";

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

const format = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

function When({ iso, fallback }: { iso: string | null; fallback: string }) {
  return iso ? <time dateTime={iso}>{format.format(new Date(iso))}</time> : <span className="text-muted-foreground">{fallback}</span>;
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
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const sorting: SortingState = [{ id: sort, desc: direction === "desc" }];

  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Table v8 is not compiler-safe; the table is tiny.
  const table = useReactTable({
    data: rows,
    columns,
    getCoreRowModel: getCoreRowModel(),
    manualSorting: true,
    manualPagination: true,
    enableSortingRemoval: false,
    state: { sorting },
    onSortingChange: (updater) => {
      const next = typeof updater === "function" ? updater(sorting) : updater;
      const params = new URLSearchParams(searchParams.toString());
      for (const key of ["after", "before", "page"]) params.delete(key);
      if (next[0]) {
        params.set("sort", next[0].id);
        params.set("dir", next[0].desc ? "desc" : "asc");
      }
      router.push(`${pathname}?${params.toString()}`);
    },
  });

  return (
    <Table label="Users">
      <TableHeader>
        {table.getHeaderGroups().map((group) => (
          <TableRow key={group.id}>
            {group.headers.map((header) => {
              const sorted = header.column.getIsSorted();
              return (
                <TableHead key={header.id} aria-sort={sorted ? (sorted === "asc" ? "ascending" : "descending") : undefined}>
                  {header.column.getCanSort() ? (
                    <button
                      type="button"
                      onClick={header.column.getToggleSortingHandler()}
                      className="-mx-1 inline-flex items-center gap-1 rounded px-1 uppercase hover:text-foreground focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring"
                    >
                      {flexRender(header.column.columnDef.header, header.getContext())}
                      {sorted === "asc" ? <ArrowUp className="size-3.5" aria-hidden /> : sorted === "desc" ? <ArrowDown className="size-3.5" aria-hidden /> : <ArrowUpDown className="size-3.5" aria-hidden />}
                      <span className="sr-only">, sort</span>
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
          <TableRow key={row.id}>
            {row.getVisibleCells().map((cell) => (
              <TableCell key={cell.id} className={cell.column.id === "email" ? "max-w-56 truncate" : "whitespace-nowrap"}>
                {flexRender(cell.column.columnDef.cell, cell.getContext())}
              </TableCell>
            ))}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
