import { scimEndpoints } from "@/lib/scim-server/endpoints";

export const { GET, POST, PUT, PATCH, DELETE } = scimEndpoints;
