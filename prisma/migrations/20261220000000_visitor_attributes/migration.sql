-- Custom attributes a host page sets on its visitor (Parley.setAttributes).
ALTER TABLE "visitors" ADD COLUMN "attributes" JSONB NOT NULL DEFAULT '{}';
