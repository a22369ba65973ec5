"use client";

import { Ban, Trash2 } from "lucide-react";
import { toast } from "sonner";
import { deleteTokenAction, revokeTokenAction } from "@/app/(console)/tenants/token-actions";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";

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

const format = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

function When({ iso }: { iso: string | null }) {
  if (!iso) return <span className="text-muted-foreground">Never</span>;
  return <time dateTime={iso}>{format.format(new Date(iso))}</time>;
}

async function run(action: typeof revokeTokenAction, tenantId: string, tokenId: string) {
  const result = await action(null, { tenantId, tokenId });
  if (result.ok) toast.success(result.message ?? "Done");
  else toast.error(result.error ?? "Something went wrong");
  return result.ok;
}

export function TokensTable({ tenantId, tokens, canWrite }: { tenantId: string; tokens: TokenRow[]; canWrite: boolean }) {
  return (
    <Table label="Token list">
      <TableHeader>
        <TableRow>
          <TableHead>Name</TableHead>
          <TableHead>Created</TableHead>
          <TableHead>Created by</TableHead>
          <TableHead>Expires</TableHead>
          <TableHead>Last used</TableHead>
          <TableHead>Status</TableHead>
          {canWrite ? <TableHead className="text-right">Actions</TableHead> : null}
        </TableRow>
      </TableHeader>
      <TableBody>
        {tokens.map((token) => (
          <TableRow key={token.id}>
            <TableCell>
              <div className="whitespace-nowrap font-medium">{token.name}</div>
              <div className="font-mono text-xs text-muted-foreground">
                {token.prefix}…{token.last4}
              </div>
            </TableCell>
            <TableCell className="whitespace-nowrap">
              <When iso={token.createdAt} />
            </TableCell>
            <TableCell className="max-w-48 truncate">{token.createdBy}</TableCell>
            <TableCell className="whitespace-nowrap">
              <When iso={token.expiresAt} />
              {token.expiringSoon ? (
                <Badge variant="warning" className="ml-2">
                  Expires soon
                </Badge>
              ) : null}
            </TableCell>
            <TableCell className="whitespace-nowrap">
              <When iso={token.lastUsedAt} />
            </TableCell>
            <TableCell>
              <Badge variant={STATUS_VARIANT[token.status]}>{STATUS_LABEL[token.status]}</Badge>
            </TableCell>
            {canWrite ? (
              <TableCell className="text-right">
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
              </TableCell>
            ) : null}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
