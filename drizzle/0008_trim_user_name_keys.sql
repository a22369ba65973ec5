-- userName keys are trimmed from now on (lib/identity/normalize.ts normalizeUserName). Keys
-- stored padded before are trimmed too, so an exact-match filter still finds those users.
-- Where the trimmed key is already someone else's in the tenant, or two padded keys trim to
-- one, only the first (by id) is trimmed and the rest stay as they are: two people remain two.
WITH padded AS (
  SELECT DISTINCT ON ("tenant_id", "trimmed") "id", "tenant_id", "trimmed"
  FROM (
    SELECT "id", "tenant_id", regexp_replace("user_name_normalized", '^[[:space:]]+|[[:space:]]+$', '', 'g') AS "trimmed"
    FROM "users"
    WHERE "user_name_normalized" ~ '^[[:space:]]|[[:space:]]$'
  ) AS "candidates"
  ORDER BY "tenant_id", "trimmed", "id"
)
UPDATE "users" AS "u"
SET "user_name_normalized" = "padded"."trimmed"
FROM "padded"
WHERE "u"."id" = "padded"."id"
  AND NOT EXISTS (
    SELECT 1 FROM "users" AS "v"
    WHERE "v"."tenant_id" IS NOT DISTINCT FROM "padded"."tenant_id" AND "v"."user_name_normalized" = "padded"."trimmed"
  );
