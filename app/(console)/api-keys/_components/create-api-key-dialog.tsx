"use client";

import * as React from "react";
import { useActionState } from "react";
import { createPlatformApiKeyAction, createTenantApiKeyAction, type CreatedApiKey } from "@/app/(console)/api-keys/actions";
import { isoDateFromToday, MAX_TOKEN_DAYS } from "@/lib/admin/token-lifetime";
import type { ActionState } from "@/lib/actions/action";
import { useActionFeedback } from "@/lib/actions/use-action-feedback";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { Field, FormError } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { ActionForm } from "@/components/ui/action-form";
import { SubmitButton } from "@/components/ui/submit-button";
import { ShowOnceSecret } from "@/components/ui/show-once-secret";

/** Whose key the dialog creates: one tenant's, or a platform key (every tenant). */
export type ApiKeyOwnerRef = { kind: "tenant"; tenantId: string } | { kind: "platform" };

const DEFAULT_DAYS = 90;

function CreateApiKeyForm({ owner }: { owner: ApiKeyOwnerRef }) {
  const action = owner.kind === "tenant" ? createTenantApiKeyAction : createPlatformApiKeyAction;
  const [state, submit, pending] = useActionState<ActionState<CreatedApiKey>, FormData>(action, { ok: false });
  useActionFeedback(state);
  const errors = state.fieldErrors ?? {};

  if (state.ok && state.data) {
    // The key lives only in this component's state; closing the dialog discards it.
    return (
      <ShowOnceSecret
        warning={
          <>
            <strong>Copy this key now.</strong> It is shown this once and cannot be retrieved later — if you lose it, create a new one and revoke
            this one.
          </>
        }
          id="created-api-key"
          label="New API key"
          copyLabel="Copy key"
          value={state.data.key}
          description={`“${state.data.name}” (${state.data.scope}) — send it as Authorization: Bearer <key> to /api/v1.`}
        />
    );
  }

  return (
    <ActionForm action={submit} className="grid gap-4" noValidate>
      {owner.kind === "tenant" ? <input type="hidden" name="tenantId" value={owner.tenantId} /> : null}
      <Field id="api-key-name" label="Name" error={errors.name} description="The application that will use it, e.g. “Billing app”.">
        <Input name="name" defaultValue={state.values?.name ?? ""} required />
      </Field>
      <Field id="api-key-scope" label="Scope" error={errors.scope} description="Read covers every /api/v1 endpoint today; read-write is for writes to come.">
        <Select name="scope" defaultValue={state.values?.scope ?? "read"}>
          <option value="read">read</option>
          <option value="read-write">read-write</option>
        </Select>
      </Field>
      <Field id="api-key-expires" label="Expires on" error={errors.expiresOn} description="The key stops working at the end of this day (UTC).">
        <Input
          name="expiresOn"
          type="date"
          defaultValue={state.values?.expiresOn ?? isoDateFromToday(DEFAULT_DAYS)}
          min={isoDateFromToday(1)}
          max={isoDateFromToday(MAX_TOKEN_DAYS)}
          required
        />
      </Field>
      <FormError message={state.fieldErrors ? undefined : state.error} />
      <DialogFooter>
        <SubmitButton pending={pending}>Create key</SubmitButton>
      </DialogFooter>
    </ActionForm>
  );
}

export function CreateApiKeyDialog({ owner }: { owner: ApiKeyOwnerRef }) {
  const [open, setOpen] = React.useState(false);
  const platform = owner.kind === "platform";
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button>{platform ? "+ Create platform API key" : "+ Create API key"}</Button>
      </DialogTrigger>
      <DialogContent onInteractOutside={(e) => e.preventDefault()}>
        <DialogHeader>
          <DialogTitle>{platform ? "Create platform API key" : "Create API key"}</DialogTitle>
          <DialogDescription>
            {platform
              ? "A platform key reads every tenant through /api/v1. Prefer a tenant's own key where one tenant is enough."
              : "The host application uses it to read this tenant through /api/v1. It can read no other tenant."}
          </DialogDescription>
        </DialogHeader>
        {open ? <CreateApiKeyForm owner={owner} /> : null}
      </DialogContent>
    </Dialog>
  );
}
