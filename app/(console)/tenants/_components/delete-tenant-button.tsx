"use client";

import { Trash2 } from "lucide-react";
import { toast } from "sonner";
import { deleteTenantAction } from "@/app/(console)/tenants/actions";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";

export function DeleteTenantButton({ tenantId, name, slug }: { tenantId: string; name: string; slug: string }) {
  return (
    <ConfirmDialog
      trigger={
        <Button variant="destructive">
          <Trash2 aria-hidden />
          Delete tenant
        </Button>
      }
      title={`Delete ${name}?`}
      description={
        <>
          <p>
            This permanently deletes the tenant with its identity providers, provisioning tokens, users, groups and role mappings.
            Entra’s provisioning job for it will start failing.
          </p>
          <p>This cannot be undone.</p>
        </>
      }
      typedConfirmation={slug}
      confirmLabel="Delete tenant"
      destructive
      onConfirm={async () => {
        const result = await deleteTenantAction(null, { tenantId });
        if (!result.ok) {
          toast.error(result.error ?? "Could not delete the tenant");
          return false;
        }
      }}
    />
  );
}
