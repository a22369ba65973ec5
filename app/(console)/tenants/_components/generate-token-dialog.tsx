"use client";

import * as React from "react";
import { useActionState } from "react";
import { generateTokenAction } from "@/app/(console)/tenants/token-actions";
import { isoDateFromToday, MAX_TOKEN_DAYS } from "@/lib/admin/token-lifetime";
import type { ActionState } from "@/lib/actions/action";
import { useActionFeedback } from "@/lib/actions/use-action-feedback";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { Field, FormError } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { ActionForm } from "@/components/ui/action-form";
import { SubmitButton } from "@/components/ui/submit-button";
import { ShowOnceSecret } from "@/components/ui/show-once-secret";

type Generated = { token: string; name: string; expiresAt: string };

const QUICK_PICKS = [
  { label: "30 days", days: 30 },
  { label: "90 days", days: 90 },
  { label: "1 year", days: 365 },
];

function GenerateTokenForm({ tenantId, defaultDays }: { tenantId: string; defaultDays: number }) {
  const [state, action, pending] = useActionState<ActionState<Generated>, FormData>(generateTokenAction, { ok: false });
  useActionFeedback(state);
  const [expiresOn, setExpiresOn] = React.useState(state.values?.expiresOn ?? isoDateFromToday(defaultDays));
  const errors = state.fieldErrors ?? {};

  if (state.ok && state.data) {
    // The plaintext lives only in this component's state; closing the dialog discards it.
    return (
      <ShowOnceSecret
        warning={
          <>
            <strong>Copy this token now.</strong> It cannot be retrieved later — if you lose it, generate a new one.
          </>
        }
        id="generated-token"
        label="New provisioning token"
        copyLabel="Copy token"
        value={state.data.token}
        description={`“${state.data.name}” — paste it into Entra as the Secret Token.`}
      />
    );
  }

  return (
    <ActionForm action={action} className="grid gap-4" noValidate>
      <input type="hidden" name="tenantId" value={tenantId} />
      <Field id="token-name" label="Name" error={errors.name} description="Helps you tell tokens apart when rotating.">
        <Input name="name" defaultValue={state.values?.name ?? "Entra provisioning"} required />
      </Field>
      <Field id="token-expires" label="Expires on" error={errors.expiresOn} description="The token stops working at the end of this day (UTC).">
        <Input
          name="expiresOn"
          type="date"
          value={expiresOn}
          min={isoDateFromToday(1)}
          max={isoDateFromToday(MAX_TOKEN_DAYS)}
          onChange={(e) => setExpiresOn(e.target.value)}
          required
        />
      </Field>
      <div className="flex flex-wrap gap-2" role="group" aria-label="Quick picks">
        {QUICK_PICKS.map((pick) => {
          const value = isoDateFromToday(pick.days);
          return (
            <Button key={pick.label} type="button" variant={expiresOn === value ? "secondary" : "outline"} size="sm" aria-pressed={expiresOn === value} onClick={() => setExpiresOn(value)}>
              {pick.label}
            </Button>
          );
        })}
      </div>
      <FormError message={state.fieldErrors ? undefined : state.error} />
      <DialogFooter>
        <SubmitButton pending={pending}>Generate</SubmitButton>
      </DialogFooter>
    </ActionForm>
  );
}

export function GenerateTokenDialog({ tenantId, defaultDays }: { tenantId: string; defaultDays: number }) {
  const [open, setOpen] = React.useState(false);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button>+ Generate Provisioning Token</Button>
      </DialogTrigger>
      <DialogContent onInteractOutside={(e) => e.preventDefault()}>
        <DialogHeader>
          <DialogTitle>Generate Provisioning Token</DialogTitle>
          <DialogDescription>Entra uses it as the Secret Token of the enterprise app’s provisioning. Several tokens can be active at once.</DialogDescription>
        </DialogHeader>
        {open ? <GenerateTokenForm tenantId={tenantId} defaultDays={defaultDays} /> : null}
      </DialogContent>
    </Dialog>
  );
}
