import { z } from "zod";
import { formBoolean, formList } from "@/lib/actions/action";

export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$/;
const DOMAIN_PATTERN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

export const tenantFieldsSchema = z.object({
  name: z.string().trim().min(1, "Enter the organisation's name").max(100, "Keep the name under 100 characters"),
  slug: z
    .string()
    .trim()
    .toLowerCase()
    .regex(SLUG_PATTERN, "Use 1–48 lower-case letters, digits or dashes, starting and ending with a letter or digit"),
});

export const createTenantSchema = tenantFieldsSchema.extend({
  domains: formList.pipe(
    z
      .array(z.string().regex(DOMAIN_PATTERN, "Enter email domains like example.com, separated by commas"))
      .max(50, "At most 50 domains")
      .transform((list) => [...new Set(list)]),
  ),
});

export const domainClaimSchema = z.object({
  tenantId: z.uuid(),
  domain: z.string().trim().toLowerCase().regex(DOMAIN_PATTERN, "Enter an email domain like example.com"),
});

export const domainRefSchema = z.object({ tenantId: z.uuid(), domainId: z.uuid() });

export const tenantSettingsSchema = z.object({
  userLinking: z.enum(["conflict", "link"], "Choose what happens when a user already exists"),
  defaultTokenDays: z.coerce
    .number("Enter a number of days")
    .int("Enter a whole number of days")
    .min(1, "At least 1 day")
    .max(730, "At most 730 days (2 years)"),
  jitProvisioning: formBoolean,
  ssoMatchBy: z.enum(["automatic", "objectId", "userName"], "Choose how signed-in users are matched").default("automatic"),
});

export const DOMAIN_TAKEN = "Another tenant has already claimed this domain. If your organisation owns it, ask a platform admin to release it.";
export const MAX_DOMAINS_PER_TENANT = 50;
