import { listGroupMembersRoute } from "@/lib/api/directory";

export const GET = listGroupMembersRoute;
