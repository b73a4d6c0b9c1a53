-- Sites: "any origin" becomes an explicit choice, and identity verification gets its secret.
ALTER TABLE "sites" ADD COLUMN "allow_any_origin" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "sites" ADD COLUMN "identity_secret" TEXT;
ALTER TABLE "sites" ADD COLUMN "enforce_identity" BOOLEAN NOT NULL DEFAULT false;

-- Until now an empty list meant "any origin": sites created that way keep working as they did.
UPDATE "sites" SET "allow_any_origin" = true WHERE COALESCE(cardinality("allowed_origins"), 0) = 0;

-- Visitors: a verified user id, and revocation.
ALTER TABLE "visitors" ADD COLUMN "external_user_id" TEXT;
ALTER TABLE "visitors" ADD COLUMN "revoked_at" TIMESTAMP(3);

-- CreateIndex
CREATE UNIQUE INDEX "visitors_site_id_external_user_id_key" ON "visitors"("site_id", "external_user_id");
