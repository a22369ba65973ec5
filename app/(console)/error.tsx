"use client";

import { AlertTriangle } from "lucide-react";
import { Button } from "@/components/ui/button";

export default function ConsoleError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div role="alert" className="mx-auto flex max-w-lg flex-col items-center gap-4 rounded-lg border border-dashed px-6 py-16 text-center">
      <AlertTriangle className="size-8 text-destructive" aria-hidden />
      <div className="space-y-1">
        <h1 className="text-lg font-semibold">This page could not be loaded</h1>
        <p className="text-sm text-muted-foreground">
          Something went wrong on our side. Try again; if it keeps happening, share this reference with support:{" "}
          <span className="font-mono">{error.digest ?? "n/a"}</span>
        </p>
      </div>
      <Button onClick={reset}>Try again</Button>
    </div>
  );
}
