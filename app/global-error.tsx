"use client";

import { useEffect } from "react";
import { AlertTriangle, ShieldCheck } from "lucide-react";
import "./globals.css";

/**
 * The last resort when the root layout itself fails: it replaces <html>, so it brings the styles
 * and the saved theme (next-themes' "theme" key) itself. Only the digest is shown, never the
 * error's message or stack; the server log has those under the same digest.
 */
export default function GlobalError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  useEffect(() => {
    let saved: string | null = null;
    try {
      saved = localStorage.getItem("theme");
    } catch {}
    const dark = saved === "dark" || (saved !== "light" && matchMedia("(prefers-color-scheme: dark)").matches);
    document.documentElement.classList.toggle("dark", dark);
  }, []);

  return (
    <html lang="en">
      <head>
        <title>Something went wrong · Gatehouse</title>
        <meta name="robots" content="noindex, nofollow" />
      </head>
      <body className="min-h-dvh bg-background text-foreground antialiased">
        <main className="flex min-h-dvh flex-col items-center justify-center gap-6 px-4 py-16 text-center">
          <p className="flex items-center gap-2 font-semibold tracking-tight">
            <ShieldCheck className="size-5 text-primary" aria-hidden />
            Gatehouse
          </p>
          <div role="alert" className="flex max-w-md flex-col items-center gap-3 rounded-lg border border-dashed bg-card px-6 py-12">
            <AlertTriangle className="size-8 text-destructive" aria-hidden />
            <h1 className="text-xl font-semibold">Something went wrong</h1>
            <p className="text-sm text-muted-foreground">
              Gatehouse could not show this page. Try again; if it keeps happening, share this reference with support:{" "}
              <span className="font-mono">{error.digest ?? "n/a"}</span>
            </p>
            <div className="mt-2 flex flex-wrap justify-center gap-2">
              <button
                type="button"
                onClick={reset}
                className="inline-flex h-9 items-center rounded-md bg-primary px-4 text-sm font-medium text-primary-foreground shadow-sm hover:bg-primary/90 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring focus-visible:ring-offset-2"
              >
                Try again
              </button>
              {/* A full page load, not a client navigation: the app's own layout is what failed. */}
              {/* eslint-disable-next-line @next/next/no-html-link-for-pages */}
              <a
                href="/"
                className="inline-flex h-9 items-center rounded-md border bg-background px-4 text-sm font-medium shadow-sm hover:bg-accent focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring focus-visible:ring-offset-2"
              >
                Go to the home page
              </a>
            </div>
          </div>
        </main>
      </body>
    </html>
  );
}
