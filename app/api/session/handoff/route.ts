import { handOffSession } from "@/lib/auth/session-handoff";
import { withRequestId } from "@/lib/request-id";

export const dynamic = "force-dynamic";

// A signed-in browser's way back to a host application on another origin, with a one-time token.
export const GET = withRequestId(handOffSession);
