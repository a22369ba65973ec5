"use client";

import * as React from "react";
import { useActionState } from "react";
import { createWebhookAction } from "../actions";
import type { ActionState } from "@/lib/actions/action";
import { useActionFeedback } from "@/lib/actions/use-action-feedback";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { Field, FormError } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { ActionForm } from "@/components/ui/action-form";
import { SubmitButton } from "@/components/ui/submit-button";
import { ShowOnceSecret } from "@/components/ui/show-once-secret";

type Created = { secret: string; url: string };

function CreateWebhookForm({ tenantId, eventTypes }: { tenantId: string; eventTypes: string[] }) {
  const [state, action, pending] = useActionState<ActionState<Created>, FormData>(createWebhookAction, { ok: false });
  useActionFeedback(state);
  const errors = state.fieldErrors ?? {};
  const chosen = new Set((state.values?.eventTypes ?? "").split("\n").filter(Boolean));

  if (state.ok && state.data) {
    // The secret lives only in this component's state; closing the dialog discards it.
    return (
      <ShowOnceSecret
        warning={
          <>
            <strong>Copy this signing secret now.</strong> It cannot be shown again — your receiver verifies every delivery with it.
          </>
        }
        id="webhook-secret"
        label="Signing secret"
        copyLabel="Copy secret"
        value={state.data.secret}
        description={`For ${state.data.url}: verify webhook-signature with a Standard Webhooks library.`}
      />
    );
  }

  return (
    <ActionForm action={action} className="grid gap-4" noValidate>
      <input type="hidden" name="tenantId" value={tenantId} />
      <Field id="webhook-url" label="Endpoint URL" error={errors.url} description="https to a public host; Gatehouse POSTs each event here.">
        <Input name="url" type="url" inputMode="url" placeholder="https://app.example.com/webhooks/gatehouse" defaultValue={state.values?.url ?? ""} required />
      </Field>
      <Field id="webhook-description" label="Description (optional)" error={errors.description}>
        <Input name="description" defaultValue={state.values?.description ?? ""} />
      </Field>
      <fieldset className="grid gap-2">
        <legend className="text-sm font-medium">Event types</legend>
        <p className="text-sm text-muted-foreground">Leave all unticked to receive every type.</p>
        <div className="grid grid-cols-1 gap-1 sm:grid-cols-2">
          {eventTypes.map((type) => (
            <label key={type} className="flex items-center gap-2 text-sm">
              <input type="checkbox" name="eventTypes" value={type} defaultChecked={chosen.has(type)} className="size-4" />
              <span className="font-mono">{type}</span>
            </label>
          ))}
        </div>
        {errors.eventTypes ? <p className="text-sm text-destructive">{errors.eventTypes}</p> : null}
      </fieldset>
      <FormError message={state.fieldErrors ? undefined : state.error} />
      <DialogFooter>
        <SubmitButton pending={pending}>Add webhook</SubmitButton>
      </DialogFooter>
    </ActionForm>
  );
}

export function CreateWebhookDialog({ tenantId, eventTypes }: { tenantId: string; eventTypes: string[] }) {
  const [open, setOpen] = React.useState(false);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button>+ Add webhook</Button>
      </DialogTrigger>
      <DialogContent onInteractOutside={(e) => e.preventDefault()}>
        <DialogHeader>
          <DialogTitle>Add webhook</DialogTitle>
          <DialogDescription>Events written from now on are delivered to this URL, in order, signed with a secret shown once.</DialogDescription>
        </DialogHeader>
        {open ? <CreateWebhookForm tenantId={tenantId} eventTypes={eventTypes} /> : null}
      </DialogContent>
    </Dialog>
  );
}
