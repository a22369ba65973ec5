"use client";

import { useActionState } from "react";
import { Loader2 } from "lucide-react";
import { signInWithPassword, type PasswordSignInState } from "@/app/(auth)/login/actions";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Field, FormError } from "@/components/ui/field";

export function PasswordSignInForm({ tenantId, callbackUrl, defaultEmail }: { tenantId?: string; callbackUrl?: string; defaultEmail?: string }) {
  const [state, action, pending] = useActionState<PasswordSignInState, FormData>(signInWithPassword, {});
  return (
    <form action={action} className="grid gap-4" noValidate>
      {tenantId ? <input type="hidden" name="tenantId" value={tenantId} /> : null}
      {callbackUrl ? <input type="hidden" name="callbackUrl" value={callbackUrl} /> : null}
      <Field id="email" label="Email" error={state.fieldErrors?.email}>
        <Input name="email" type="email" autoComplete="username" defaultValue={state.email ?? defaultEmail} required />
      </Field>
      <Field id="password" label="Password" error={state.fieldErrors?.password}>
        <Input name="password" type="password" autoComplete="current-password" required />
      </Field>
      <FormError message={state.error} />
      <Button type="submit" disabled={pending} className="w-full">
        {pending ? <Loader2 className="animate-spin" aria-hidden /> : null}
        Sign in
      </Button>
    </form>
  );
}
