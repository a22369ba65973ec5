"use client";

import { useActionState } from "react";
import { setLoginMethodAction } from "@/app/(console)/users/actions";
import type { ActionState } from "@/lib/actions/action";
import { useActionFeedback } from "@/lib/actions/use-action-feedback";
import { FormError } from "@/components/ui/field";
import { ActionForm } from "@/components/ui/action-form";
import { SubmitButton } from "@/components/ui/submit-button";
import { LoginMethodFields } from "./login-method-fields";

export function LoginMethodForm({ tenantId, userId, loginMethod, hasPassword, stacked }: { tenantId: string; userId: string; loginMethod: "sso" | "password"; hasPassword: boolean; stacked?: boolean }) {
  const [state, action, pending] = useActionState<ActionState<undefined>, FormData>(setLoginMethodAction, { ok: false });
  useActionFeedback(state);
  return (
    <ActionForm action={action} className="grid gap-4" noValidate>
      <input type="hidden" name="tenantId" value={tenantId} />
      <input type="hidden" name="userId" value={userId} />
      <LoginMethodFields key={state.ok ? state.at : "draft"} initial={loginMethod} errors={state.fieldErrors ?? {}} hasPassword={hasPassword} stacked={stacked} />
      <FormError message={state.ok || state.fieldErrors ? undefined : state.error} />
      <div>
        <SubmitButton pending={pending} variant="outline">Save login method</SubmitButton>
      </div>
    </ActionForm>
  );
}
