import { samlMetadata } from "@/lib/saml/flow";
import { withRequestId } from "@/lib/request-id";

export const GET = withRequestId(async (request: Request, { params }: { params: Promise<{ idpId: string }> }) =>
  samlMetadata(request, (await params).idpId),
);
