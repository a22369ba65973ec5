ALTER TABLE "usage_days" ADD COLUMN "reads" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "usage_days" ADD COLUMN "writes" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "usage_days" ADD COLUMN "errors" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "usage_days" ADD COLUMN "rate_limited" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "usage_days" ADD COLUMN "sign_ins" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "usage_days" ADD COLUMN "sign_in_failures" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- The traffic already recorded per tenant, summed into its day.
INSERT INTO "usage_days" ("day", "reads", "writes", "errors", "rate_limited", "sign_ins", "sign_in_failures")
SELECT "day", sum("reads"), sum("writes"), sum("errors"), sum("rate_limited"), sum("sign_ins"), sum("sign_in_failures")
FROM "scim_usage" GROUP BY "day"
ON CONFLICT ("day") DO UPDATE SET "reads" = excluded."reads", "writes" = excluded."writes", "errors" = excluded."errors",
  "rate_limited" = excluded."rate_limited", "sign_ins" = excluded."sign_ins", "sign_in_failures" = excluded."sign_in_failures";
