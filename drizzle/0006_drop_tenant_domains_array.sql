DROP INDEX "tenants_domains_idx";--> statement-breakpoint
ALTER TABLE "tenants" DROP COLUMN "domains";