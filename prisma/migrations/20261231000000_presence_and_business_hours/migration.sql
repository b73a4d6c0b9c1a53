-- Agent presence and notification preferences; site business hours and launcher option.
ALTER TABLE "agents" ADD COLUMN "away" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "agents" ADD COLUMN "notify_desktop" BOOLEAN NOT NULL DEFAULT true;
ALTER TABLE "agents" ADD COLUMN "notify_sound" BOOLEAN NOT NULL DEFAULT true;
ALTER TABLE "sites" ADD COLUMN "business_hours" JSONB;
ALTER TABLE "sites" ADD COLUMN "hide_launcher_when_offline" BOOLEAN NOT NULL DEFAULT false;
