import { samlLogoutLanding } from "@/lib/saml/flow";
import { withRequestId } from "@/lib/request-id";

// Entra's "Logout URL": the IdP sends the browser here after signing out; the Gatehouse session ends.
export const GET = withRequestId(async (request: Request) => samlLogoutLanding(request));
