import { groupItem } from "@/lib/scim-server/handlers";

export const { GET, PUT, PATCH, DELETE, POST } = groupItem;
