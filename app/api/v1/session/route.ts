import { getSessionRoute } from "@/lib/api/session";

export const GET = getSessionRoute;
