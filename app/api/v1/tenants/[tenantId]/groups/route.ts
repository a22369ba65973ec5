import { listGroupsRoute } from "@/lib/api/directory";

export const GET = listGroupsRoute;
