-- Agents' pictures and one-time passwords; the author's picture kept on each message.
ALTER TABLE "agents" ADD COLUMN "avatar_url" TEXT;
ALTER TABLE "agents" ADD COLUMN "must_change_password" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "messages" ADD COLUMN "author_avatar_url" TEXT;
