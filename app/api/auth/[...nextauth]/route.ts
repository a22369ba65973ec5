import { handlers } from "@/lib/auth/config";
import { withRequestId } from "@/lib/request-id";

// Sign-in callbacks write audit rows and log lines: both carry this request's id.
export const GET = withRequestId(handlers.GET);
export const POST = withRequestId(handlers.POST);
