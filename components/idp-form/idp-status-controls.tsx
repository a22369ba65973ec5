"use client";

import { useRouter } from "next/navigation";
import { Power, PowerOff, Trash2 } from "lucide-react";
import { toast } from "sonner";
import { activateIdpAction, deactivateIdpAction, deleteIdpAction } from "@/app/(console)/identity-providers/actions";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";

type Status = "draft" | "active" | "inactive";

export function IdpStatusControls({ tenantId, idpId, name, status }: { tenantId: string; idpId: string; name: string; status: Status }) {
  const router = useRouter();

  async function run(action: typeof activateIdpAction) {
    const result = await action(null, { tenantId, idpId });
    if (result.ok) {
      toast.success(result.message ?? "Done");
      router.refresh();
    } else toast.error(result.error ?? "Something went wrong");
    return result.ok;
  }

  return (
    <div className="flex flex-wrap gap-2">
      {status === "active" ? (
        <ConfirmDialog
          trigger={
            <Button variant="outline">
              <PowerOff aria-hidden />
              Deactivate
            </Button>
          }
          title="Deactivate this identity provider?"
          description={<p>People of this tenant can no longer sign in with “{name}” until it is activated again. Break-glass local admins are not affected.</p>}
          confirmLabel="Deactivate"
          destructive
          onConfirm={() => run(deactivateIdpAction)}
        />
      ) : (
        <ConfirmDialog
          trigger={
            <Button>
              <Power aria-hidden />
              Activate
            </Button>
          }
          title="Activate identity provider"
          description={<p>Are you sure you want to activate the selected identity provider? Incorrect configuration may prevent administration console access.</p>}
          confirmLabel="Yes"
          cancelLabel="Cancel"
          onConfirm={() => run(activateIdpAction)}
        />
      )}
      <ConfirmDialog
        trigger={
          <Button variant="ghost" className="text-destructive hover:text-destructive">
            <Trash2 aria-hidden />
            Delete
          </Button>
        }
        title={`Delete “${name}”?`}
        description={<p>Its configuration and stored client secret are removed; people who sign in with it will have to use another method.</p>}
        confirmLabel="Delete"
        destructive
        onConfirm={async () => {
          const result = await deleteIdpAction(null, { tenantId, idpId });
          if (!result.ok) {
            toast.error(result.error ?? "Could not delete");
            return false;
          }
          toast.success(result.message ?? "Deleted");
          router.push("/identity-providers");
        }}
      />
    </div>
  );
}
