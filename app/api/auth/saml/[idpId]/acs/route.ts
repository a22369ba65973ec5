import { samlAssertionConsumer } from "@/lib/saml/flow";
import { withRequestId } from "@/lib/request-id";

// The Assertion Consumer Service (Entra's "Reply URL"): the IdP posts its response here.
export const POST = withRequestId(async (request: Request, { params }: { params: Promise<{ idpId: string }> }) =>
  samlAssertionConsumer(request, (await params).idpId),
);
