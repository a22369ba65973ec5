"use client";

import { useRouter } from "next/navigation";
import { Power, PowerOff, Trash2 } from "lucide-react";
import { toast } from "sonner";
import { activateIdpAction, deactivateIdpAction, deleteIdpAction } from "@/app/(console)/identity-providers/actions";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";

type Status = "draft" | "active" | "inactive";

export const ACTIVATE_CONFIRMATION =
  "Are you sure you want to activate the selected identity provider? Incorrect configuration may prevent administration console access.";

type Props = {
  tenantId: string;
  idpId: string;
  name: string;
  status: Status;
  /** A Test sign-in passed within the last 24 hours. */
  recentlyTested: boolean;
};

export function IdpStatusControls({ tenantId, idpId, name, status, recentlyTested }: Props) {
  const router = useRouter();

  async function run(action: typeof activateIdpAction, extra: { force?: boolean } = {}) {
    const result = await action(null, { tenantId, idpId, ...extra });
    if (result.ok) {
      toast.success(result.message ?? "Done");
      router.refresh();
    } else toast.error(result.error ?? "Something went wrong");
    return result.ok;
  }

  const activateTrigger = (
    <Button>
      <Power aria-hidden />
      Activate
    </Button>
  );

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
      ) : recentlyTested ? (
        <ConfirmDialog
          trigger={activateTrigger}
          title="Activate identity provider"
          description={<p>{ACTIVATE_CONFIRMATION}</p>}
          confirmLabel="Yes"
          cancelLabel="Cancel"
          onConfirm={() => run(activateIdpAction)}
        />
      ) : (
        <ConfirmDialog
          trigger={activateTrigger}
          title="Activate without a successful test?"
          description={
            <>
              <p>No Test sign-in has succeeded with “{name}” in the last 24 hours. If its configuration is wrong, nobody of this tenant can sign in with it, and admins who sign in only through it are locked out of the administration console.</p>
              <p>Run Test sign-in first, or activate anyway. Break-glass local admins can still sign in with their password.</p>
            </>
          }
          confirmLabel="Activate anyway"
          cancelLabel="Cancel"
          destructive
          onConfirm={() => run(activateIdpAction, { force: true })}
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
