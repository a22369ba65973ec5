"use client";

import * as React from "react";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { ArrowDown, ArrowUp, ArrowUpDown } from "lucide-react";
import { flexRender, type SortingState, type Table as TanStackTable, type Updater } from "@tanstack/react-table";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";

/**
 * Server-side sorting kept in the URL (`?sort=&dir=`), so a sorted list is shareable and the
 * back button returns to the previous order. A new order starts again at the first page.
 */
export function useUrlSorting(sort: string, direction: "asc" | "desc") {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const sorting: SortingState = [{ id: sort, desc: direction === "desc" }];
  const onSortingChange = (updater: Updater<SortingState>) => {
    const next = typeof updater === "function" ? updater(sorting) : updater;
    const params = new URLSearchParams(searchParams.toString());
    for (const key of ["after", "before", "page"]) params.delete(key);
    if (next[0]) {
      params.set("sort", next[0].id);
      params.set("dir", next[0].desc ? "desc" : "asc");
    }
    router.push(`${pathname}?${params.toString()}`);
  };
  return { sorting, onSortingChange };
}

/** A TanStack table's header (sort buttons with aria-sort) and rows, in the console's table styles. */
export function DataTable<T>({ table, label, cellClassName }: { table: TanStackTable<T>; label: string; cellClassName?: (columnId: string) => string | undefined }) {
  return (
    <Table label={label}>
      <TableHeader>
        {table.getHeaderGroups().map((group) => (
          <TableRow key={group.id}>
            {group.headers.map((header) => {
              const sorted = header.column.getIsSorted();
              return (
                <TableHead
                  key={header.id}
                  aria-sort={header.column.getCanSort() ? (sorted ? (sorted === "asc" ? "ascending" : "descending") : "none") : undefined}
                  className={cellClassName?.(header.column.id)}
                >
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
              <TableCell key={cell.id} className={cellClassName?.(cell.column.id)}>
                {flexRender(cell.column.columnDef.cell, cell.getContext())}
              </TableCell>
            ))}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
