"use client";

import { useActionState } from "react";
import { updateTenantAction } from "@/app/(console)/tenants/actions";
import { MAX_TOKEN_DAYS } from "@/lib/admin/token-lifetime";
import type { ActionState } from "@/lib/actions/action";
import { useActionFeedback } from "@/lib/actions/use-action-feedback";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
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
  scimRateLimitPerMinute: number;
};

/** Bounds of the SCIM rate limit, from lib/admin/tenants.ts (a server module) via the page. */
export type RateLimitBounds = { min: number; max: number; entraMinimum: number; default: number };

const count = (n: number) => n.toLocaleString("en");

export function TenantSettingsForm({ tenant, readOnly, bounds }: { tenant: TenantFormValues; readOnly: boolean; bounds: RateLimitBounds }) {
  const [state, action, pending] = useActionState<ActionState<undefined>, FormData>(updateTenantAction, { ok: false });
  useActionFeedback(state);
  const errors = state.fieldErrors ?? {};
  const v = state.ok ? undefined : state.values;
  return (
    <ActionForm action={action} className="grid gap-6" noValidate aria-label="Tenant settings">
      <input type="hidden" name="tenantId" value={tenant.id} />
      <Card>
        <CardHeader>
          <CardTitle>Tenant details</CardTitle>
          <CardDescription>The organisation&apos;s name and the slug of its sign-in URL.</CardDescription>
        </CardHeader>
        <CardContent>
          <fieldset disabled={readOnly} className="grid gap-4 sm:grid-cols-2">
            <legend className="sr-only">Tenant details</legend>
            <Field id="name" label="Name" error={errors.name}>
              <Input name="name" defaultValue={v?.name ?? tenant.name} required />
            </Field>
            <Field id="slug" label="Slug" error={errors.slug} description="Changing it changes the tenant's sign-in URL.">
              <Input name="slug" defaultValue={v?.slug ?? tenant.slug} className="font-mono" spellCheck={false} required />
            </Field>
          </fieldset>
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>Provisioning</CardTitle>
          <CardDescription>How the SCIM endpoint treats Entra&apos;s requests and the tokens it uses.</CardDescription>
        </CardHeader>
        <CardContent>
          <fieldset disabled={readOnly} className="grid gap-4 sm:grid-cols-2">
            <legend className="sr-only">Provisioning</legend>
            <Field
              id="scimRateLimitPerMinute"
              label="SCIM requests per minute per token"
              error={errors.scimRateLimitPerMinute}
              description={
                <>
                  Beyond this, a provisioning token&apos;s requests are answered 429 with Retry-After, and Entra waits before it retries. Entra
                  expects an endpoint to accept at least {count(bounds.entraMinimum)} a minute (25 a second); the default is {count(bounds.default)}.
                  From {count(bounds.min)} to {count(bounds.max)}. A change applies at once on this server and within a second on the others.
                </>
              }
              className="sm:col-span-2"
            >
              <Input
                name="scimRateLimitPerMinute"
                type="number"
                min={bounds.min}
                max={bounds.max}
                step={1}
                inputMode="numeric"
                className="sm:max-w-48"
                defaultValue={v?.scimRateLimitPerMinute ?? tenant.scimRateLimitPerMinute}
              />
            </Field>
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
            <Field
              id="defaultTokenDays"
              label="Default token expiry (days)"
              error={errors.defaultTokenDays}
              description={`Pre-selected when generating a provisioning token; 1 to ${MAX_TOKEN_DAYS}.`}
            >
              <Input
                name="defaultTokenDays"
                type="number"
                min={1}
                max={MAX_TOKEN_DAYS}
                inputMode="numeric"
                defaultValue={v?.defaultTokenDays ?? tenant.defaultTokenDays}
              />
            </Field>
          </fieldset>
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>Single sign-on</CardTitle>
          <CardDescription>How people signing in are matched to their provisioned accounts.</CardDescription>
        </CardHeader>
        <CardContent>
          <fieldset disabled={readOnly} className="grid gap-4">
            <legend className="sr-only">Single sign-on</legend>
            <Field
              id="ssoMatchBy"
              label="Match signed-in users by"
              error={errors.ssoMatchBy}
              description="How a user's first single sign-on finds their provisioned account; later sign-ins use the identity-provider account bound then. Automatic treats externalId as the object ID only when it looks like one (a GUID), as Entra's default mapping sends mailNickname."
            >
              <Select name="ssoMatchBy" defaultValue={v?.ssoMatchBy ?? tenant.ssoMatchBy}>
                <option value="automatic">Automatic (default)</option>
                <option value="objectId">externalId = object ID (oid)</option>
                <option value="userName">userName = preferred_username/UPN</option>
              </Select>
            </Field>
            <div id="jit" className="flex scroll-mt-20 items-start justify-between gap-4 rounded-lg border p-3">
              <div className="grid gap-1">
                <Label htmlFor="jitProvisioning">Just-in-time provisioning</Label>
                <p id="jitProvisioning-description" className="text-xs text-muted-foreground">
                  Create a user on their first single sign-on when SCIM has not provisioned them yet.
                </p>
              </div>
              <Switch
                id="jitProvisioning"
                name="jitProvisioning"
                defaultChecked={v ? v.jitProvisioning === "on" : tenant.jitProvisioning}
                aria-describedby="jitProvisioning-description"
              />
            </div>
          </fieldset>
        </CardContent>
      </Card>

      <FormError message={state.fieldErrors ? undefined : state.error} />
      {readOnly ? (
        <p className="text-sm text-muted-foreground">You have read-only access to this tenant: ask a tenant or platform admin to change its settings.</p>
      ) : (
        <div>
          <SubmitButton pending={pending}>Save settings</SubmitButton>
        </div>
      )}
    </ActionForm>
  );
}
