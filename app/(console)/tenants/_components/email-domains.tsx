"use client";

import * as React from "react";
import { useActionState } from "react";
import { BadgeCheck, ShieldCheck, Trash2 } from "lucide-react";
import { toast } from "sonner";
import { claimDomainAction, markDomainVerifiedAction, removeDomainAction, verifyDomainAction } from "../domain-actions";
import type { ActionState } from "@/lib/actions/action";
import { useActionFeedback } from "@/lib/actions/use-action-feedback";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { CopyField } from "@/components/ui/copy-button";
import { ActionForm } from "@/components/ui/action-form";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { SubmitButton } from "@/components/ui/submit-button";
import { LocalTime } from "@/components/ui/local-time";

export type DomainRow = {
  id: string;
  domain: string;
  verifiedBy: "dns" | "manual" | null;
  verifiedAt: string | null;
  lastCheckedAt: string | null;
  recordName: string;
  recordValue: string;
};

type Permissions = { canWrite: boolean; canMarkVerified: boolean };

async function run(action: typeof verifyDomainAction, tenantId: string, domainId: string) {
  const result = await action(null, { tenantId, domainId });
  if (result.ok) toast.success(result.message ?? "Done");
  else toast.error(result.error ?? "Something went wrong");
  return result.ok;
}

function Status({ row }: { row: DomainRow }) {
  if (row.verifiedAt) {
    return <Badge variant="success">{row.verifiedBy === "manual" ? "Verified manually" : "Verified by DNS"}</Badge>;
  }
  return (
    <span className="flex flex-wrap items-center gap-2">
      <Badge variant="warning">Not verified</Badge>
      <span className="text-xs text-muted-foreground">
        {row.lastCheckedAt ? (
          <>
            Last checked <LocalTime iso={row.lastCheckedAt} />
          </>
        ) : (
          "Not checked yet"
        )}
      </span>
    </span>
  );
}

function DomainItem({ tenantId, row, permissions }: { tenantId: string; row: DomainRow; permissions: Permissions }) {
  const [busy, setBusy] = React.useState(false);
  const verify = async (action: typeof verifyDomainAction) => {
    setBusy(true);
    try {
      await run(action, tenantId, row.id);
    } finally {
      setBusy(false);
    }
  };
  return (
    <li aria-label={row.domain} className="grid gap-3 rounded-lg border p-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <div className="flex flex-wrap items-center gap-3">
          <span className="font-mono text-sm font-medium">{row.domain}</span>
          <Status row={row} />
        </div>
        <div className="flex flex-wrap gap-1">
          {!row.verifiedAt && permissions.canWrite ? (
            <Button size="sm" variant="outline" disabled={busy} onClick={() => verify(verifyDomainAction)} aria-label={`Verify ${row.domain}`}>
              <ShieldCheck aria-hidden />
              Verify
            </Button>
          ) : null}
          {!row.verifiedAt && permissions.canMarkVerified ? (
            <ConfirmDialog
              trigger={
                <Button size="sm" variant="ghost" disabled={busy} aria-label={`Mark ${row.domain} verified`}>
                  <BadgeCheck aria-hidden />
                  Mark verified
                </Button>
              }
              title="Mark this domain verified?"
              description={<p>People with {row.domain} addresses will be sent to this tenant&apos;s sign-in. Do this only when you know the organisation owns the domain.</p>}
              confirmLabel="Mark verified"
              onConfirm={() => run(markDomainVerifiedAction, tenantId, row.id)}
            />
          ) : null}
          {permissions.canWrite ? (
            <ConfirmDialog
              trigger={
                <Button size="sm" variant="ghost" aria-label={`Remove ${row.domain}`}>
                  <Trash2 aria-hidden />
                  Remove
                </Button>
              }
              title="Remove this domain?"
              description={<p>{row.domain} no longer sends people to this tenant&apos;s sign-in, and another tenant may claim it.</p>}
              confirmLabel="Remove"
              destructive
              onConfirm={() => run(removeDomainAction, tenantId, row.id)}
            />
          ) : null}
        </div>
      </div>
      {row.verifiedAt ? null : (
        <div className="grid gap-3 sm:grid-cols-2">
          <CopyField id={`txt-name-${row.id}`} label={`TXT record name for ${row.domain}`} value={row.recordName} copyLabel={`Copy the TXT record name for ${row.domain}`} />
          <CopyField id={`txt-value-${row.id}`} label={`TXT record value for ${row.domain}`} value={row.recordValue} copyLabel={`Copy the TXT record value for ${row.domain}`} />
        </div>
      )}
    </li>
  );
}

function ClaimDomainForm({ tenantId }: { tenantId: string }) {
  const [state, action, pending] = useActionState<ActionState<undefined>, FormData>(claimDomainAction, { ok: false });
  useActionFeedback(state);
  return (
    <ActionForm action={action} className="flex flex-col gap-3 sm:flex-row sm:items-end" noValidate>
      <input type="hidden" name="tenantId" value={tenantId} />
      <Field id="claim-domain" label="Add an email domain" error={state.ok ? undefined : state.fieldErrors?.domain} className="sm:w-80">
        <Input key={state.ok ? state.at : "claim"} name="domain" defaultValue={state.ok ? "" : (state.values?.domain ?? "")} placeholder="contoso.com" spellCheck={false} />
      </Field>
      <div>
        <SubmitButton pending={pending}>Add domain</SubmitButton>
      </div>
    </ActionForm>
  );
}

export function EmailDomains({ tenantId, domains, permissions }: { tenantId: string; domains: DomainRow[]; permissions: Permissions }) {
  return (
    <div className="grid gap-4">
      {domains.length ? (
        <ul aria-label="Email domains" className="grid gap-3">
          {domains.map((row) => (
            <DomainItem key={row.id} tenantId={tenantId} row={row} permissions={permissions} />
          ))}
        </ul>
      ) : (
        <p className="text-sm text-muted-foreground">No email domains yet: people reach this tenant through its sign-in URL only.</p>
      )}
      {permissions.canWrite ? <ClaimDomainForm tenantId={tenantId} /> : null}
    </div>
  );
}
