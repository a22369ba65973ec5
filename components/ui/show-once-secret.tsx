"use client";

import type * as React from "react";
import { AlertTriangle } from "lucide-react";
import { Alert } from "./alert";
import { Button } from "./button";
import { CopyField } from "./copy-button";
import { DialogClose, DialogFooter } from "./dialog";

/**
 * A token, key or secret shown the one time it exists in plaintext: the warning, the value with
 * its copy button, and Done. The value lives only in the caller's state; closing the dialog
 * discards it.
 */
export function ShowOnceSecret({ warning, ...field }: { warning: React.ReactNode } & React.ComponentProps<typeof CopyField>) {
  return (
    <div className="grid gap-4">
      <Alert variant="warning">
        <AlertTriangle aria-hidden />
        <p>{warning}</p>
      </Alert>
      <CopyField {...field} />
      <DialogFooter>
        <DialogClose asChild>
          <Button>Done</Button>
        </DialogClose>
      </DialogFooter>
    </div>
  );
}
