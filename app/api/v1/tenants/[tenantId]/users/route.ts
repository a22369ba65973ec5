import { listUsersRoute } from "@/lib/api/directory";

export const GET = listUsersRoute;
