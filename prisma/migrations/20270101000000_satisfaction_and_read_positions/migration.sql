-- Satisfaction survey: the visitor rates a resolved conversation once, 1 to 5, with an optional comment.
ALTER TABLE "conversations" ADD COLUMN "satisfaction_rating" INTEGER;
ALTER TABLE "conversations" ADD COLUMN "satisfaction_comment" TEXT;
ALTER TABLE "conversations" ADD COLUMN "satisfaction_rated_at" TIMESTAMP(3);
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_satisfaction_rating_check"
    CHECK ("satisfaction_rating" IS NULL OR ("satisfaction_rating" BETWEEN 1 AND 5));

-- CreateIndex: reports read the ratings given in a period.
CREATE INDEX "conversations_satisfaction_rated_at_idx" ON "conversations"("satisfaction_rated_at");

-- Read receipts: the highest seq each side has seen (0 = nothing read yet).
ALTER TABLE "conversations" ADD COLUMN "visitor_last_read_seq" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "conversations" ADD COLUMN "agent_last_read_seq" INTEGER NOT NULL DEFAULT 0;
