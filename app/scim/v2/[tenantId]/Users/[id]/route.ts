import { userItem } from "@/lib/scim-server/handlers";

export const { GET, PUT, PATCH, DELETE, POST } = userItem;
