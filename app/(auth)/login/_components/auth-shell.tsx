import { ShieldCheck } from "lucide-react";

export function AuthShell({ children }: { children: React.ReactNode }) {
  return (
    <main className="flex min-h-dvh items-center justify-center bg-muted/40 px-4 py-12">
      <div className="w-full max-w-sm space-y-6">
        <div className="flex items-center justify-center gap-2 text-foreground">
          <ShieldCheck className="size-6 text-primary" aria-hidden />
          <span className="text-lg font-semibold tracking-tight">Gatehouse</span>
        </div>
        {children}
      </div>
    </main>
  );
}
