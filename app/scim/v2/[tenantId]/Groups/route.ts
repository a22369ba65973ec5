import { groupsCollection } from "@/lib/scim-server/handlers";

export const { GET, POST } = groupsCollection;
