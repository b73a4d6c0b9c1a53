-- Reports: when a conversation was (last) resolved, for the resolution time. Set when an agent
-- resolves it; a conversation that opens again keeps the time until it is resolved again (the
-- reports only count conversations whose status is RESOLVED).
ALTER TABLE "conversations" ADD COLUMN "resolved_at" TIMESTAMP(3);

-- Conversations resolved before this column existed: their last change is the best time known.
UPDATE "conversations" SET "resolved_at" = "updated_at" WHERE "status" = 'RESOLVED';

-- CreateIndex: reports read the conversations created in a period.
CREATE INDEX "conversations_created_at_idx" ON "conversations"("created_at");
