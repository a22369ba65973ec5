import { Label } from "@/components/ui/label";
import { Select } from "@/components/ui/select";
import { TenantOptions } from "./tenant-options";

/** The "Tenant" filter of the console's list pages (a plain GET form field). */
export function TenantSelectField({
  id,
  tenants,
  defaultValue,
  allTenantsOption = false,
}: {
  id: string;
  tenants: { id: string; name: string }[];
  defaultValue: string;
  allTenantsOption?: boolean;
}) {
  return (
    <div className="grid gap-1.5">
      <Label htmlFor={id}>Tenant</Label>
      <Select id={id} name="tenantId" defaultValue={defaultValue}>
        <TenantOptions tenants={tenants} allLabel={allTenantsOption ? "All tenants" : undefined} />
      </Select>
    </div>
  );
}
