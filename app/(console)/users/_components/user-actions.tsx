"use client";

import { useRouter } from "next/navigation";
import { LogOut, Trash2, UserCheck, UserX } from "lucide-react";
import { toast } from "sonner";
import { deleteUserAction, setUserActiveAction, signOutEverywhereAction } from "@/app/(console)/users/actions";
import type { ActionState } from "@/lib/actions/action";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";

function report(result: ActionState<unknown>) {
  if (result.ok) toast.success(result.message ?? "Done");
  else toast.error(result.error ?? "Something went wrong");
  return result.ok;
}

export function SignOutEverywhereButton({ tenantId, userId, disabled }: { tenantId: string; userId: string; disabled?: boolean }) {
  const router = useRouter();
  return (
    <ConfirmDialog
      trigger={
        <Button variant="outline" disabled={disabled}>
          <LogOut aria-hidden />
          Sign out everywhere
        </Button>
      }
      title="Sign this user out everywhere?"
      description={<p>Every session of this user ends at once, on every device. They can sign in again.</p>}
      confirmLabel="Sign out everywhere"
      destructive
      onConfirm={async () => {
        const ok = report(await signOutEverywhereAction(null, { tenantId, userId }));
        router.refresh();
        return ok;
      }}
    />
  );
}

export function UserActiveToggle({ tenantId, userId, active }: { tenantId: string; userId: string; active: boolean }) {
  const router = useRouter();
  if (!active) {
    return (
      <Button
        variant="outline"
        onClick={async () => {
          report(await setUserActiveAction(null, { tenantId, userId, active: "true" }));
          router.refresh();
        }}
      >
        <UserCheck aria-hidden />
        Reactivate
      </Button>
    );
  }
  return (
    <ConfirmDialog
      trigger={
        <Button variant="outline">
          <UserX aria-hidden />
          Deactivate
        </Button>
      }
      title="Deactivate this user?"
      description={<p>They are signed out everywhere at once and cannot sign in until reactivated.</p>}
      confirmLabel="Deactivate"
      destructive
      onConfirm={async () => {
        const ok = report(await setUserActiveAction(null, { tenantId, userId, active: "false" }));
        router.refresh();
        return ok;
      }}
    />
  );
}

export function DeleteUserButton({ tenantId, userId, userName }: { tenantId: string; userId: string; userName: string }) {
  const router = useRouter();
  return (
    <ConfirmDialog
      trigger={
        <Button variant="destructive">
          <Trash2 aria-hidden />
          Delete user
        </Button>
      }
      title={`Delete ${userName}?`}
      description={<p>The account, its sessions and group memberships are removed. This cannot be undone.</p>}
      confirmLabel="Delete user"
      destructive
      typedConfirmation={userName}
      onConfirm={async () => {
        const result = await deleteUserAction(null, { tenantId, userId });
        report(result);
        if (!result.ok) return false;
        router.push(`/users?tenantId=${tenantId}`);
      }}
    />
  );
}
