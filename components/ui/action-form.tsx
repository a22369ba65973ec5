"use client";

import * as React from "react";

/**
 * A form that hands its FormData to a useActionState dispatcher without React 19's automatic
 * form reset, which would snap controlled radios, switches and selects back to their initial
 * values after a failed (per-field error) submission. Pair with `pending` from useActionState.
 */
export function ActionForm({
  action,
  children,
  ...props
}: { action: (formData: FormData) => void } & Omit<React.FormHTMLAttributes<HTMLFormElement>, "action" | "onSubmit">) {
  const [, startTransition] = React.useTransition();
  return (
    <form
      {...props}
      onSubmit={(event) => {
        event.preventDefault();
        const submitter = (event.nativeEvent as SubmitEvent).submitter as HTMLElement | null;
        const formData = new FormData(event.currentTarget, submitter);
        startTransition(() => action(formData));
      }}
    >
      {children}
    </form>
  );
}
