"use client";

import { useRouter } from "next/navigation";
import { Unlink } from "lucide-react";
import { toast } from "sonner";
import { unbindSsoAccountAction } from "../actions";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";

export function UnbindSsoButton({ tenantId, userId, provider, idpName }: { tenantId: string; userId: string; provider: string; idpName: string }) {
  const router = useRouter();
  return (
    <ConfirmDialog
      trigger={
        <Button variant="outline" size="sm">
          <Unlink aria-hidden />
          Unbind
        </Button>
      }
      title={`Unbind this user from ${idpName}?`}
      description={
        <p>
          Their next sign-in with {idpName} is matched again by the tenant&apos;s &quot;Match signed-in users by&quot; setting and binds whichever
          account signs in. Do this when the person&apos;s account at the identity provider was re-created.
        </p>
      }
      confirmLabel="Unbind"
      destructive
      onConfirm={async () => {
        const result = await unbindSsoAccountAction(null, { tenantId, userId, provider });
        if (result.ok) toast.success(result.message ?? "Unbound");
        else toast.error(result.error ?? "Something went wrong");
        router.refresh();
        return result.ok;
      }}
    />
  );
}
