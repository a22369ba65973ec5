import { startIdpTest } from "@/lib/auth/idp-test-start";

export async function GET(_request: Request, { params }: { params: Promise<{ idpId: string }> }) {
  return startIdpTest((await params).idpId);
}
