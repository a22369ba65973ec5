"use client";

import * as React from "react";
import { useSearchParams } from "next/navigation";
import { Ban, Trash2 } from "lucide-react";
import { toast } from "sonner";
import { createColumnHelper, getCoreRowModel, getSortedRowModel, useReactTable, type SortingState } from "@tanstack/react-table";
import { deleteTokenAction, revokeTokenAction } from "@/app/(console)/tenants/token-actions";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { DataTable } from "@/components/console/data-table";
import { LocalTime } from "@/components/ui/local-time";
export type TokenRow = {
  id: string;
  name: string;
  prefix: string;
  last4: string;
  createdBy: string;
  createdAt: string;
  expiresAt: string;
  lastUsedAt: string | null;
  status: "active" | "expired" | "revoked";
  expiringSoon: boolean;
};

const STATUS_VARIANT = { active: "success", expired: "secondary", revoked: "destructive" } as const;
const STATUS_LABEL = { active: "Active", expired: "Expired", revoked: "Revoked" } as const;

function When({ iso }: { iso: string | null }) {
  if (!iso) return <span className="text-muted-foreground">Never</span>;
  return <LocalTime iso={iso} />;
}

async function run(action: typeof revokeTokenAction, tenantId: string, tokenId: string) {
  const result = await action(null, { tenantId, tokenId });
  if (result.ok) toast.success(result.message ?? "Done");
  else toast.error(result.error ?? "Something went wrong");
  return result.ok;
}

const STATUS_ORDER = { active: 0, expired: 1, revoked: 2 } as const;

const SORTABLE = ["name", "created", "expires", "lastUsed", "status"] as const;
type TokenSort = (typeof SORTABLE)[number];

const column = createColumnHelper<TokenRow>();

function actionsColumn(tenantId: string) {
  return column.display({
    id: "actions",
    header: "Actions",
    cell: ({ row: { original: token } }) => (
      <div className="flex justify-end gap-1">
        {token.status === "active" ? (
          <ConfirmDialog
            trigger={
              <Button variant="ghost" size="sm" aria-label={`Revoke ${token.name}`}>
                <Ban aria-hidden />
                Revoke
              </Button>
            }
            title="Revoke this token?"
            description={<p>Requests with “{token.name}” are refused at once (401). Make sure Entra already uses another token.</p>}
            confirmLabel="Revoke"
            destructive
            onConfirm={() => run(revokeTokenAction, tenantId, token.id)}
          />
        ) : null}
        <ConfirmDialog
          trigger={
            <Button variant="ghost" size="sm" aria-label={`Delete ${token.name}`}>
              <Trash2 aria-hidden />
              Delete
            </Button>
          }
          title="Delete this token?"
          description={<p>“{token.name}” is removed from the list{token.status === "active" ? " and stops working at once" : ""}. This cannot be undone.</p>}
          confirmLabel="Delete"
          destructive
          onConfirm={() => run(deleteTokenAction, tenantId, token.id)}
        />
      </div>
    ),
  });
}

const columns = [
  column.accessor("name", {
    id: "name",
    header: "Name",
    sortingFn: (a, b) => a.original.name.localeCompare(b.original.name),
    cell: ({ row: { original: token } }) => (
      <>
        <div className="whitespace-nowrap font-medium">{token.name}</div>
        <div className="font-mono text-xs text-muted-foreground">
          {token.prefix}…{token.last4}
        </div>
      </>
    ),
  }),
  column.accessor("createdAt", { id: "created", header: "Created", sortingFn: "datetime", cell: (c) => <When iso={c.getValue()} /> }),
  column.accessor("createdBy", { header: "Created by", enableSorting: false }),
  column.accessor("expiresAt", {
    id: "expires",
    header: "Expires",
    cell: ({ row: { original: token } }) => (
      <>
        <When iso={token.expiresAt} />
        {token.expiringSoon ? (
          <Badge variant="warning" className="ml-2">
            Expires soon
          </Badge>
        ) : null}
      </>
    ),
  }),
  column.accessor((row) => row.lastUsedAt ?? "", { id: "lastUsed", header: "Last used", cell: ({ row }) => <When iso={row.original.lastUsedAt} /> }),
  column.accessor((row) => STATUS_ORDER[row.status], {
    id: "status",
    header: "Status",
    cell: ({ row: { original: token } }) => <Badge variant={STATUS_VARIANT[token.status]}>{STATUS_LABEL[token.status]}</Badge>,
  }),
];

/**
 * A tenant's tokens, all of them (a tenant holds a handful), so sorting the loaded rows is
 * exact; the order lives in the URL (`?tokenSort=&tokenDir=`), shareable and restored by Back.
 */
function sortingFrom(params: URLSearchParams): SortingState {
  const requested = params.get("tokenSort");
  const sort: TokenSort = SORTABLE.includes(requested as TokenSort) ? (requested as TokenSort) : "created";
  const dir = params.get("tokenDir");
  const desc = dir === "asc" ? false : dir === "desc" ? true : sort === "created" || sort === "expires" || sort === "lastUsed";
  return [{ id: sort, desc }];
}

export function TokensTable({ tenantId, tokens, canWrite }: { tenantId: string; tokens: TokenRow[]; canWrite: boolean }) {
  const searchParams = useSearchParams();
  const [sorting, setSorting] = React.useState<SortingState>(() => sortingFrom(new URLSearchParams(searchParams.toString())));
  // Back and Forward move between the orders this table pushed.
  React.useEffect(() => {
    const restore = () => setSorting(sortingFrom(new URLSearchParams(window.location.search)));
    window.addEventListener("popstate", restore);
    return () => window.removeEventListener("popstate", restore);
  }, []);
  const allColumns = React.useMemo(() => (canWrite ? [...columns, actionsColumn(tenantId)] : columns), [canWrite, tenantId]);

  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Table v8 is not compiler-safe; the table is tiny.
  const table = useReactTable({
    data: tokens,
    columns: allColumns,
    getRowId: (row) => row.id,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
    enableSortingRemoval: false,
    state: { sorting },
    onSortingChange: (updater) => {
      const next = typeof updater === "function" ? updater(sorting) : updater;
      setSorting(next);
      const params = new URLSearchParams(window.location.search);
      if (next[0]) {
        params.set("tokenSort", next[0].id);
        params.set("tokenDir", next[0].desc ? "desc" : "asc");
      }
      // The rows are all here: a history entry (Next syncs useSearchParams with it) and no server round trip.
      window.history.pushState(null, "", `${window.location.pathname}?${params.toString()}${window.location.hash}`);
    },
  });

  return (
    <DataTable
      table={table}
      label="Token list"
      cellClassName={(id) => (id === "actions" ? "text-right" : id === "createdBy" ? "max-w-48 truncate" : id === "name" ? undefined : "whitespace-nowrap")}
    />
  );
}
