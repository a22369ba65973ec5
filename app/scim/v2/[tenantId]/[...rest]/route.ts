import { fallback } from "@/lib/scim-server/handlers";

export const { GET, POST } = fallback;
