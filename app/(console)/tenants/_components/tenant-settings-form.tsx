"use client";

import { useActionState } from "react";
import { updateTenantAction } from "@/app/(console)/tenants/actions";
import { MAX_TOKEN_DAYS } from "@/lib/admin/token-lifetime";
import type { ActionState } from "@/lib/actions/action";
import { useActionFeedback } from "@/lib/actions/use-action-feedback";
import { Field, FormError } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select } from "@/components/ui/select";
import { ActionForm } from "@/components/ui/action-form";
import { SubmitButton } from "@/components/ui/submit-button";
import { Switch } from "@/components/ui/switch";

export type TenantFormValues = {
  id: string;
  name: string;
  slug: string;
  userLinking: "conflict" | "link";
  defaultTokenDays: number;
  jitProvisioning: boolean;
  ssoMatchBy: "automatic" | "objectId" | "userName";
};

export function TenantSettingsForm({ tenant, readOnly }: { tenant: TenantFormValues; readOnly: boolean }) {
  const [state, action, pending] = useActionState<ActionState<undefined>, FormData>(updateTenantAction, { ok: false });
  useActionFeedback(state);
  const errors = state.fieldErrors ?? {};
  const v = state.ok ? undefined : state.values;
  return (
    <ActionForm action={action} className="grid gap-6" noValidate>
      <input type="hidden" name="tenantId" value={tenant.id} />
      <fieldset disabled={readOnly} className="grid gap-4 sm:grid-cols-2">
        <legend className="sr-only">Tenant details</legend>
        <Field id="name" label="Name" error={errors.name}>
          <Input name="name" defaultValue={v?.name ?? tenant.name} required />
        </Field>
        <Field id="slug" label="Slug" error={errors.slug} description="Changing it changes the tenant's sign-in URL.">
          <Input name="slug" defaultValue={v?.slug ?? tenant.slug} className="font-mono" spellCheck={false} required />
        </Field>
      </fieldset>
      <fieldset disabled={readOnly} className="grid gap-4 sm:grid-cols-2">
        <legend className="mb-2 text-sm font-semibold">Settings</legend>
        <Field
          id="userLinking"
          label="User linking on creation"
          error={errors.userLinking}
          description="When Entra creates a user whose userName or externalId matches an existing Local user."
        >
          <Select name="userLinking" defaultValue={v?.userLinking ?? tenant.userLinking}>
            <option value="conflict">Reject with a conflict (409)</option>
            <option value="link">Link to the existing user</option>
          </Select>
        </Field>
        <Field id="defaultTokenDays" label="Default token expiry (days)" error={errors.defaultTokenDays} description="Pre-selected when generating a provisioning token.">
          <Input name="defaultTokenDays" type="number" min={1} max={MAX_TOKEN_DAYS} inputMode="numeric" defaultValue={v?.defaultTokenDays ?? tenant.defaultTokenDays} />
        </Field>
        <Field
          id="ssoMatchBy"
          label="Match signed-in users by"
          error={errors.ssoMatchBy}
          description="How a user's first single sign-on finds their provisioned account; later sign-ins use the identity-provider account bound then. Automatic treats externalId as the object ID only when it looks like one (a GUID), as Entra's default mapping sends mailNickname."
          className="sm:col-span-2"
        >
          <Select name="ssoMatchBy" defaultValue={v?.ssoMatchBy ?? tenant.ssoMatchBy}>
            <option value="automatic">Automatic (default)</option>
            <option value="objectId">externalId = object ID (oid)</option>
            <option value="userName">userName = preferred_username/UPN</option>
          </Select>
        </Field>
        <div className="flex items-start justify-between gap-4 rounded-lg border p-3 sm:col-span-2">
          <div className="grid gap-1">
            <Label htmlFor="jitProvisioning">Just-in-time provisioning</Label>
            <p id="jitProvisioning-description" className="text-xs text-muted-foreground">
              Create a user on their first single sign-on when SCIM has not provisioned them yet.
            </p>
          </div>
          <Switch id="jitProvisioning" name="jitProvisioning" defaultChecked={tenant.jitProvisioning} aria-describedby="jitProvisioning-description" />
        </div>
      </fieldset>
      <FormError message={state.fieldErrors ? undefined : state.error} />
      {readOnly ? null : (
        <div>
          <SubmitButton pending={pending}>Save tenant</SubmitButton>
        </div>
      )}
    </ActionForm>
  );
}
