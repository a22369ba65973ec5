import { getUserRoute } from "@/lib/api/directory";

export const GET = getUserRoute;
