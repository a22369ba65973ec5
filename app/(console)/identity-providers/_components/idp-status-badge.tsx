import { Badge } from "@/components/ui/badge";

const VARIANT = { active: "success", draft: "secondary", inactive: "outline" } as const;
const LABEL = { active: "Active", draft: "Draft", inactive: "Inactive" } as const;

export function IdpStatusBadge({ status }: { status: keyof typeof VARIANT }) {
  return <Badge variant={VARIANT[status]}>{LABEL[status]}</Badge>;
}
