-- Conversation statuses: PENDING (waiting for the visitor) and SNOOZED (until a time, then OPEN).
-- The new values are not used in this file: PostgreSQL cannot use an enum value in the
-- transaction that adds it, and the migrator applies every pending migration in one transaction.
ALTER TYPE "conversation_status" ADD VALUE IF NOT EXISTS 'PENDING';
ALTER TYPE "conversation_status" ADD VALUE IF NOT EXISTS 'SNOOZED';
ALTER TABLE "conversations" ADD COLUMN "snoozed_until" TIMESTAMP(3);

-- CreateIndex: the wake-up job looks for snoozed conversations whose time has come.
CREATE INDEX "conversations_status_snoozed_until_idx" ON "conversations"("status", "snoozed_until");

-- Internal notes: messages between agents that the visitor never receives.
ALTER TABLE "messages" ADD COLUMN "internal" BOOLEAN NOT NULL DEFAULT false;

-- Canned responses: text an agent inserts with /shortcut.
CREATE TABLE "canned_responses" (
    "id" TEXT NOT NULL,
    "shortcut" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "canned_responses_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "canned_responses_shortcut_key" ON "canned_responses"("shortcut");
