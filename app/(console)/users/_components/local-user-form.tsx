"use client";

import * as React from "react";
import { useActionState } from "react";
import { useRouter } from "next/navigation";
import { createUserAction, updateUserAction } from "@/app/(console)/users/actions";
import type { ActionState } from "@/lib/actions/action";
import { useActionFeedback } from "@/lib/actions/use-action-feedback";
import { Field, FormError } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { ActionForm } from "@/components/ui/action-form";
import { SubmitButton } from "@/components/ui/submit-button";
import { LoginMethodFields } from "./login-method-fields";

type Profile = { userName: string; givenName: string; familyName: string; displayName: string; email: string };

export function LocalUserForm({ tenantId, userId, profile }: { tenantId: string; userId?: string; profile?: Profile }) {
  const router = useRouter();
  const [state, action, pending] = useActionState<ActionState<{ id: string } | undefined>, FormData>(userId ? updateUserAction : createUserAction, { ok: false });
  const onSuccess = React.useCallback(() => {
    if (!userId && state.data?.id) router.push(`/users/${state.data.id}`);
  }, [userId, state.data, router]);
  useActionFeedback(state, { onSuccess });
  const errors = state.fieldErrors ?? {};
  const v = state.ok ? undefined : state.values;
  return (
    <ActionForm action={action} className="grid gap-4" noValidate>
      <input type="hidden" name="tenantId" value={tenantId} />
      {userId ? <input type="hidden" name="userId" value={userId} /> : null}
      <div className="grid gap-4 sm:grid-cols-2">
        <Field id="user-userName" label="User name" error={errors.userName} description="Usually the email address; password sign-in uses it." className="sm:col-span-2">
          <Input name="userName" defaultValue={v?.userName ?? profile?.userName} autoComplete="off" spellCheck={false} required />
        </Field>
        <Field id="user-givenName" label="Given name" error={errors.givenName}>
          <Input name="givenName" defaultValue={v?.givenName ?? profile?.givenName} autoComplete="off" />
        </Field>
        <Field id="user-familyName" label="Family name" error={errors.familyName}>
          <Input name="familyName" defaultValue={v?.familyName ?? profile?.familyName} autoComplete="off" />
        </Field>
        <Field id="user-displayName" label="Display name" error={errors.displayName}>
          <Input name="displayName" defaultValue={v?.displayName ?? profile?.displayName} autoComplete="off" />
        </Field>
        <Field id="user-email" label="Email" error={errors.email}>
          <Input name="email" type="email" defaultValue={v?.email ?? profile?.email} autoComplete="off" />
        </Field>
      </div>
      {userId ? null : <LoginMethodFields initial={(v?.loginMethod as "sso" | "password") ?? "password"} errors={errors} hasPassword={false} />}
      <FormError message={state.ok ? undefined : state.error} />
      <div>
        <SubmitButton pending={pending}>{userId ? "Save user" : "Create user"}</SubmitButton>
      </div>
    </ActionForm>
  );
}
