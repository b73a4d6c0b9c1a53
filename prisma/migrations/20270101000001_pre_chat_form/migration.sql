-- The pre-chat form of each site: name and email, each off, optional or required.
ALTER TABLE "sites" ADD COLUMN "pre_chat_form" JSONB NOT NULL DEFAULT '{"name":"off","email":"off"}';
