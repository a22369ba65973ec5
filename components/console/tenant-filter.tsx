"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { Label } from "@/components/ui/label";
import { Select } from "@/components/ui/select";
import { cn } from "@/lib/utils";
import { TenantOptions } from "./tenant-options";

/** A tenant picker that rewrites ?tenantId= and drops paging cursors. */
export function TenantFilter({
  tenants,
  value,
  allLabel,
  className,
}: {
  tenants: { id: string; name: string }[];
  value?: string;
  allLabel?: string;
  className?: string;
}) {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  return (
    <div className={cn("flex items-center gap-2", className)}>
      <Label htmlFor="tenant-filter" className="shrink-0">
        Tenant
      </Label>
      <Select
        id="tenant-filter"
        className="w-64 max-w-full"
        value={value ?? ""}
        onChange={(e) => {
          const next = new URLSearchParams(searchParams.toString());
          for (const key of ["after", "before", "page", "tenantId"]) next.delete(key);
          if (e.target.value) next.set("tenantId", e.target.value);
          router.push(`${pathname}?${next.toString()}`);
        }}
      >
        <TenantOptions tenants={tenants} allLabel={allLabel} />
      </Select>
    </div>
  );
}
