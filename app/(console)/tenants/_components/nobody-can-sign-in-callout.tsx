import Link from "next/link";
import { UserX } from "lucide-react";
import { Alert } from "@/components/ui/alert";

/**
 * Single sign-on only finds users SCIM provisioned, unless just-in-time provisioning creates
 * them: a tenant with no users and JIT off lets nobody in (issue 16, item 9).
 */
export function NobodyCanSignInCallout({ tenantId, userCount, jitProvisioning }: { tenantId: string; userCount: number; jitProvisioning: boolean }) {
  if (userCount > 0 || jitProvisioning) return null;
  return (
    <Alert variant="warning" aria-labelledby="nobody-can-sign-in-title">
      <UserX aria-hidden />
      <div className="grid gap-1">
        <p id="nobody-can-sign-in-title" className="font-semibold">
          Nobody can sign in to this tenant yet
        </p>
        <p>
          Single sign-on only lets in users this tenant already has, and it has none. Provision users from Entra with SCIM, or turn on just-in-time
          provisioning to create each user at their first sign-in.
        </p>
        <p className="flex flex-wrap gap-x-4 gap-y-1 font-medium">
          <Link href={`/tenants/${tenantId}#provisioning-tokens`} className="underline underline-offset-2">
            Generate a provisioning token
          </Link>
          <Link href={`/tenants/${tenantId}/settings#jit`} className="underline underline-offset-2">
            Enable just-in-time provisioning
          </Link>
        </p>
      </div>
    </Alert>
  );
}
