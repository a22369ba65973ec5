"use client";

import * as React from "react";
import { Check, Copy } from "lucide-react";
import { toast } from "sonner";
import { Button, type ButtonProps } from "./button";

export function CopyButton({
  value,
  label = "Copy",
  successMessage = "Copied to clipboard",
  showLabel = false,
  ...props
}: { value: string; label?: string; successMessage?: string; showLabel?: boolean } & Omit<ButtonProps, "value" | "onClick">) {
  const [copied, setCopied] = React.useState(false);

  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
      toast.success(successMessage);
      setTimeout(() => setCopied(false), 2000);
    } catch {
      toast.error("Could not copy — select the text and copy it manually.");
    }
  }

  return (
    <Button type="button" variant="outline" size={showLabel ? "sm" : "icon"} aria-label={showLabel ? undefined : label} onClick={copy} {...props}>
      {copied ? <Check aria-hidden /> : <Copy aria-hidden />}
      {showLabel ? (copied ? "Copied" : label) : null}
    </Button>
  );
}

/** A read-only value with a copy button, e.g. the SCIM Tenant URL or the Redirect URL. */
export function CopyField({ id, label, value, description, copyLabel }: { id: string; label: string; value: string; description?: React.ReactNode; copyLabel?: string }) {
  return (
    <div className="grid gap-2">
      <label htmlFor={id} className="text-sm font-medium leading-none">
        {label}
      </label>
      <div className="flex gap-2">
        <input
          id={id}
          readOnly
          value={value}
          onFocus={(e) => e.currentTarget.select()}
          className="flex h-9 w-full min-w-0 rounded-md border border-input bg-muted px-3 py-1 font-mono text-xs shadow-sm focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring sm:text-sm"
        />
        <CopyButton value={value} label={copyLabel ?? `Copy ${label}`} />
      </div>
      {description ? <p className="text-xs text-muted-foreground">{description}</p> : null}
    </div>
  );
}
