-- Files sent in messages (images and PDFs). The bytes live in the attachment storage (a folder
-- by default) under "storage_key"; a row is uploaded first (message_id null) and then sent with
-- one message, which links it.
CREATE TABLE "attachments" (
    "id" TEXT NOT NULL,
    "visitor_id" TEXT,
    "agent_id" TEXT,
    "message_id" TEXT,
    "name" TEXT NOT NULL,
    "content_type" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "storage_key" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "attachments_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "attachments_message_id_idx" ON "attachments"("message_id");
CREATE INDEX "attachments_visitor_id_idx" ON "attachments"("visitor_id");

ALTER TABLE "attachments" ADD CONSTRAINT "attachments_visitor_id_fkey" FOREIGN KEY ("visitor_id") REFERENCES "visitors"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "attachments" ADD CONSTRAINT "attachments_agent_id_fkey" FOREIGN KEY ("agent_id") REFERENCES "agents"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "attachments" ADD CONSTRAINT "attachments_message_id_fkey" FOREIGN KEY ("message_id") REFERENCES "messages"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- What the console's visitor panel shows: where the visitor came from, its language and time zone.
ALTER TABLE "visitors" ADD COLUMN "referrer" TEXT;
ALTER TABLE "visitors" ADD COLUMN "language" TEXT;
ALTER TABLE "visitors" ADD COLUMN "time_zone" TEXT;
