"use client";

import { useActionState } from "react";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { grantRoleAction, removeRoleAction } from "@/app/(console)/groups/actions";
import type { ActionState } from "@/lib/actions/action";
import { useActionFeedback } from "@/lib/actions/use-action-feedback";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Field } from "@/components/ui/field";
import { Select } from "@/components/ui/select";
import { ActionForm } from "@/components/ui/action-form";
import { SubmitButton } from "@/components/ui/submit-button";

export function RoleMappingForm({ tenantId, groupId, groupName, role }: { tenantId: string; groupId: string; groupName: string; role: "tenant_admin" | "read_only" | null }) {
  const router = useRouter();
  const [state, action, pending] = useActionState<ActionState<undefined>, FormData>(grantRoleAction, { ok: false });
  useActionFeedback(state);
  return (
    <div className="grid gap-4">
      <ActionForm action={action} className="flex flex-col gap-3 sm:flex-row sm:items-end">
        <input type="hidden" name="tenantId" value={tenantId} />
        <input type="hidden" name="groupId" value={groupId} />
        <Field id="group-role" label="Console role" error={state.fieldErrors?.role} className="flex-1">
          <Select name="role" defaultValue={role ?? "read_only"}>
            <option value="tenant_admin">Tenant admin</option>
            <option value="read_only">Read-only</option>
          </Select>
        </Field>
        <SubmitButton pending={pending}>{role ? "Change role" : "Grant role"}</SubmitButton>
      </ActionForm>
      {role ? (
        <ConfirmDialog
          trigger={
            <Button variant="outline" className="justify-self-start">
              Remove console role
            </Button>
          }
          title="Remove console access?"
          description={<p>Members of {groupName} lose the console access this group gave them at their next request.</p>}
          confirmLabel="Remove"
          destructive
          onConfirm={async () => {
            const result = await removeRoleAction(null, { tenantId, groupId });
            if (result.ok) toast.success(result.message ?? "Removed");
            else toast.error(result.error ?? "Could not remove");
            router.refresh();
            return result.ok;
          }}
        />
      ) : null}
    </div>
  );
}
