import { startIdpTest } from "@/lib/auth/idp-test-start";
import { withRequestId } from "@/lib/request-id";

export const GET = withRequestId(async (_request: Request, { params }: { params: Promise<{ idpId: string }> }) =>
  startIdpTest((await params).idpId),
);
