import { Activity, Building2, KeyRound, LayoutDashboard, Users, UsersRound, type LucideIcon } from "lucide-react";

export type NavItem = { href: string; label: string; icon: LucideIcon };

export const NAV_ITEMS: NavItem[] = [
  { href: "/dashboard", label: "Dashboard", icon: LayoutDashboard },
  { href: "/tenants", label: "Tenants", icon: Building2 },
  { href: "/identity-providers", label: "Identity Providers", icon: KeyRound },
  { href: "/users", label: "Users", icon: Users },
  { href: "/groups", label: "Security Groups", icon: UsersRound },
  { href: "/activity", label: "Provisioning Activity", icon: Activity },
];
