"use client";

import * as React from "react";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";

/** SSO or built-in password; the password input appears for the latter. */
export function LoginMethodFields({
  initial,
  errors,
  hasPassword,
  stacked,
}: {
  initial: "sso" | "password";
  errors: Record<string, string>;
  hasPassword: boolean;
  stacked?: boolean;
}) {
  const [method, setMethod] = React.useState(initial);
  return (
    <div className="grid gap-4">
      <fieldset className="grid gap-2">
        <legend className="mb-2 text-sm font-medium">Login method</legend>
        <div className={stacked ? "grid gap-2" : "grid gap-2 sm:grid-cols-2"}>
          {(
            [
              ["sso", "SSO", "Signs in through the tenant's identity provider."],
              ["password", "Built-in password", "For guests who are not in the identity provider."],
            ] as const
          ).map(([value, label, hint]) => (
            <label
              key={value}
              className="flex cursor-pointer gap-3 rounded-lg border p-3 has-[:checked]:border-primary has-[:checked]:bg-primary/5 has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-ring"
            >
              <input type="radio" name="loginMethod" value={value} checked={method === value} onChange={() => setMethod(value)} className="mt-1 accent-[var(--primary)]" />
              <span className="grid gap-0.5">
                <span className="text-sm font-medium">{label}</span>
                <span className="text-xs text-muted-foreground">{hint}</span>
              </span>
            </label>
          ))}
        </div>
        {errors.loginMethod ? <p className="text-sm text-destructive">{errors.loginMethod}</p> : null}
      </fieldset>
      {method === "password" ? (
        <Field
          id="user-password"
          label={hasPassword ? "New password" : "Password"}
          error={errors.password}
          description={hasPassword ? "Leave blank to keep the current password. Setting one signs the user out everywhere." : "At least 12 characters. Share it with the user over a secure channel."}
        >
          <Input name="password" type="password" autoComplete="new-password" />
        </Field>
      ) : null}
    </div>
  );
}
