"use client";

import Link from "next/link";
import { useActionState } from "react";
import { continueWithEmail, type HomeRealmState } from "@/app/(auth)/login/actions";
import { Input } from "@/components/ui/input";
import { Field } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { PasswordSignInForm } from "./password-sign-in-form";

/**
 * Identifier first: the email's domain finds the organisation and its identity provider.
 * A domain no organisation signs in with SSO continues to the password step.
 */
export function HomeRealmForm({ callbackUrl }: { callbackUrl: string }) {
  const [state, action] = useActionState<HomeRealmState, FormData>(continueWithEmail, {});
  if (state.passwordStep) {
    return <PasswordSignInForm callbackUrl={callbackUrl} defaultEmail={state.email} />;
  }
  return (
    <div className="grid gap-4">
      <form action={action} className="grid gap-4" noValidate>
        <input type="hidden" name="callbackUrl" value={callbackUrl} />
        <Field id="hrd-email" label="Email" error={state.error}>
          <Input name="email" type="email" autoComplete="username" placeholder="you@company.com" defaultValue={state.email} required />
        </Field>
        <SubmitButton className="w-full">Continue</SubmitButton>
      </form>
      {state.choices?.length ? (
        <nav aria-label="Choose your organisation" className="grid gap-2">
          <p className="text-sm text-muted-foreground">Several organisations use this email domain. Choose yours:</p>
          {state.choices.map((choice) => (
            <Link
              key={choice.slug}
              href={`/t/${choice.slug}/login?login_hint=${encodeURIComponent(state.email ?? "")}`}
              className="rounded-md border px-3 py-2 text-sm font-medium hover:bg-accent"
            >
              {choice.name}
            </Link>
          ))}
        </nav>
      ) : null}
    </div>
  );
}
