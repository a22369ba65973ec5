import { notFound } from "next/navigation";
import { requireConsoleViewer } from "@/lib/auth/guards";
import { canManagePlatform } from "@/lib/auth/roles";
import { PageHeader } from "@/components/ui/page-header";
import { ApiKeysSection } from "./_components/api-keys-section";

export const metadata = { title: "Platform API keys" };

/** Platform keys read every tenant: platform roles see them, platform admins create and revoke them. */
export default async function PlatformApiKeysPage() {
  const viewer = await requireConsoleViewer();
  if (!viewer.platformRole) notFound();
  return (
    <>
      <PageHeader
        back={{ href: "/tenants", label: "Tenants" }}
        title="Platform API keys"
        description="Keys for a host application that serves every tenant. A tenant’s own keys are on its page, under API keys."
      />
      <ApiKeysSection owner={{ tenantId: null, platform: true }} canWrite={canManagePlatform(viewer)} />
    </>
  );
}
