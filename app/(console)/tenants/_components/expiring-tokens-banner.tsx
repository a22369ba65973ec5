import Link from "next/link";
import { AlertTriangle } from "lucide-react";
import { Alert } from "@/components/ui/alert";
import { Time } from "@/components/ui/time";

type ExpiringToken = { id: string; name: string; expiresAt: Date; tenantId: string; tenantName?: string };

/** Entra quarantines a provisioning job whose token expires: warn a week ahead. */
export function ExpiringTokensBanner({ tokens, showTenant }: { tokens: ExpiringToken[]; showTenant?: boolean }) {
  if (!tokens.length) return null;
  return (
    <Alert variant="warning" className="mb-6">
      <AlertTriangle aria-hidden />
      <div className="grid gap-1">
        <p className="font-medium">
          {tokens.length === 1 ? "A provisioning token expires" : `${tokens.length} provisioning tokens expire`} within 7 days
        </p>
        <p>Generate a new token and update it in Entra before the old one expires — both stay valid meanwhile.</p>
        <ul className="mt-1 grid gap-0.5">
          {tokens.map((token) => (
            <li key={token.id}>
              <Link href={`/tenants/${token.tenantId}#provisioning-tokens`} className="font-medium underline underline-offset-4">
                {token.name}
                {showTenant && token.tenantName ? ` (${token.tenantName})` : ""}
              </Link>{" "}
              expires <Time value={token.expiresAt} />
            </li>
          ))}
        </ul>
      </div>
    </Alert>
  );
}
