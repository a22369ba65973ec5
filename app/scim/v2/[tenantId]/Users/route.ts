import { usersCollection } from "@/lib/scim-server/handlers";

export const { GET, POST } = usersCollection;
