import { startSamlSignIn } from "@/lib/saml/flow";
import { withRequestId } from "@/lib/request-id";

// SP-initiated SAML sign-in (the login pages, and Entra's "Sign on URL").
export const GET = withRequestId(async (request: Request, { params }: { params: Promise<{ idpId: string }> }) =>
  startSamlSignIn(request, (await params).idpId),
);
