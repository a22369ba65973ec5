import type { Metadata } from "next";
import Link from "next/link";
import { SearchX, ShieldCheck } from "lucide-react";
import { Button } from "@/components/ui/button";

export const metadata: Metadata = { title: "Page not found · Gatehouse" };

/** Any URL no route answers (the console's own 404 keeps its shell: app/(console)/not-found.tsx). */
export default function NotFound() {
  return (
    <main id="main" className="flex min-h-dvh flex-col items-center justify-center gap-6 bg-background px-4 py-16 text-center text-foreground">
      <p className="flex items-center gap-2 font-semibold tracking-tight">
        <ShieldCheck className="size-5 text-primary" aria-hidden />
        Gatehouse
      </p>
      <div className="flex max-w-md flex-col items-center gap-3 rounded-lg border border-dashed bg-card px-6 py-12">
        <SearchX className="size-8 text-muted-foreground" aria-hidden />
        <h1 className="text-xl font-semibold">Page not found</h1>
        <p className="text-sm text-muted-foreground">There is nothing at this address. Check the link, or start again from the home page.</p>
        <Button asChild className="mt-2">
          <Link href="/">Go to the home page</Link>
        </Button>
      </div>
    </main>
  );
}
