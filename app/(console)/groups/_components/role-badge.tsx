import { Badge } from "@/components/ui/badge";

export function RoleBadge({ role }: { role: "tenant_admin" | "read_only" | null }) {
  if (!role) return <span className="text-muted-foreground">—</span>;
  return <Badge variant={role === "tenant_admin" ? "default" : "secondary"}>{role === "tenant_admin" ? "Tenant admin" : "Read-only"}</Badge>;
}
