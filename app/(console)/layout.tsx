import type { Metadata } from "next";
import { requireConsoleViewer } from "@/lib/auth/guards";
import { canWriteAnything, type Viewer } from "@/lib/auth/roles";
import { Brand } from "@/components/console/brand";
import { MobileNav } from "@/components/console/mobile-nav";
import { SidebarNav } from "@/components/console/sidebar-nav";
import { UserMenu } from "@/components/console/user-menu";
import { ThemeToggle } from "@/components/ui/theme-toggle";

export const metadata: Metadata = { title: { default: "Console · Gatehouse", template: "%s · Gatehouse" } };

function roleLabel(viewer: Viewer) {
  if (viewer.platformRole === "platform_admin") return "Platform admin";
  if (viewer.platformRole === "read_only") return "Read-only (all tenants)";
  return viewer.tenantRole === "tenant_admin" ? "Tenant admin" : "Read-only";
}

export default async function ConsoleLayout({ children }: { children: React.ReactNode }) {
  const viewer = await requireConsoleViewer();
  const readOnly = !canWriteAnything(viewer);
  return (
    <div className="min-h-dvh lg:grid lg:grid-cols-[15rem_1fr]">
      <a
        href="#main"
        className="sr-only z-50 rounded-md bg-background px-3 py-2 focus:not-sr-only focus:fixed focus:left-3 focus:top-3 focus:ring-2 focus:ring-ring"
      >
        Skip to content
      </a>
      <aside className="sticky top-0 hidden h-dvh flex-col gap-6 border-r bg-card px-3 py-4 lg:flex">
        <div className="px-3 pt-1">
          <Brand />
        </div>
        <SidebarNav />
      </aside>
      <div className="flex min-w-0 flex-col">
        <header className="sticky top-0 z-40 flex h-14 items-center gap-2 border-b bg-background/95 px-3 backdrop-blur sm:px-6">
          <MobileNav brand={<Brand />} />
          <div className="lg:hidden">
            <Brand />
          </div>
          <div className="ml-auto flex items-center gap-1">
            {readOnly ? (
              <span className="hidden rounded-full border px-2 py-0.5 text-xs text-muted-foreground sm:inline">Read-only access</span>
            ) : null}
            <ThemeToggle />
            <UserMenu name={viewer.name ?? viewer.email ?? viewer.userName} email={viewer.email} roleLabel={roleLabel(viewer)} />
          </div>
        </header>
        <main id="main" className="mx-auto w-full max-w-6xl flex-1 px-4 py-6 sm:px-6 lg:py-8">
          {children}
        </main>
      </div>
    </div>
  );
}
