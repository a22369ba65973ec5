"use client";

import { Ban } from "lucide-react";
import { toast } from "sonner";
import { revokePlatformApiKeyAction, revokeTenantApiKeyAction } from "@/app/(console)/api-keys/actions";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { ApiKeyOwnerRef } from "./create-api-key-dialog";

export type ApiKeyRow = {
  id: string;
  name: string;
  hint: string;
  scope: "read" | "read-write";
  createdBy: string;
  createdAt: string;
  expiresAt: string;
  lastUsedAt: string | null;
  status: "active" | "expired" | "revoked";
};

const STATUS_VARIANT = { active: "success", expired: "secondary", revoked: "destructive" } as const;
const STATUS_LABEL = { active: "Active", expired: "Expired", revoked: "Revoked" } as const;
const format = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

function When({ iso }: { iso: string | null }) {
  if (!iso) return <span className="text-muted-foreground">Never</span>;
  return <time dateTime={iso}>{format.format(new Date(iso))}</time>;
}

async function revoke(owner: ApiKeyOwnerRef, keyId: string) {
  const result = owner.kind === "tenant" ? await revokeTenantApiKeyAction(null, { tenantId: owner.tenantId, keyId }) : await revokePlatformApiKeyAction(null, { keyId });
  if (result.ok) toast.success(result.message ?? "Revoked");
  else toast.error(result.error ?? "Something went wrong");
  return result.ok;
}

/** A tenant's (or the platform's) keys, newest first: a handful, so no paging. */
export function ApiKeysTable({ owner, keys, canWrite }: { owner: ApiKeyOwnerRef; keys: ApiKeyRow[]; canWrite: boolean }) {
  return (
      <Table label="API keys">
        <TableHeader>
          <TableRow>
            <TableHead>Name</TableHead>
            <TableHead>Scope</TableHead>
            <TableHead>Created</TableHead>
            <TableHead>Expires</TableHead>
            <TableHead>Last used</TableHead>
            <TableHead>Status</TableHead>
            {canWrite ? <TableHead className="text-right">Actions</TableHead> : null}
          </TableRow>
        </TableHeader>
        <TableBody>
          {keys.map((key) => (
            <TableRow key={key.id} data-testid={`api-key-${key.id}`}>
              <TableCell>
                <div className="whitespace-nowrap font-medium">{key.name}</div>
                <div className="font-mono text-xs text-muted-foreground">{key.hint}</div>
              </TableCell>
              <TableCell>
                <Badge variant="secondary">{key.scope}</Badge>
              </TableCell>
              <TableCell className="whitespace-nowrap">
                <When iso={key.createdAt} />
                <div className="max-w-48 truncate text-xs text-muted-foreground">{key.createdBy}</div>
              </TableCell>
              <TableCell className="whitespace-nowrap">
                <When iso={key.expiresAt} />
              </TableCell>
              <TableCell className="whitespace-nowrap">
                <When iso={key.lastUsedAt} />
              </TableCell>
              <TableCell>
                <Badge variant={STATUS_VARIANT[key.status]}>{STATUS_LABEL[key.status]}</Badge>
              </TableCell>
              {canWrite ? (
                <TableCell className="text-right">
                  {key.status === "active" ? (
                    <ConfirmDialog
                      trigger={
                        <Button variant="ghost" size="sm" aria-label={`Revoke ${key.name}`}>
                          <Ban aria-hidden />
                          Revoke
                        </Button>
                      }
                      title="Revoke this API key?"
                      description={<p>Requests with “{key.name}” ({key.hint}) are refused at once (401). The application using it stops working until it has a new key.</p>}
                      confirmLabel="Revoke"
                      destructive
                      onConfirm={() => revoke(owner, key.id)}
                    />
                  ) : null}
                </TableCell>
              ) : null}
            </TableRow>
          ))}
        </TableBody>
      </Table>
  );
}
