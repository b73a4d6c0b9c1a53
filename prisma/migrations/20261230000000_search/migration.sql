-- Full-text search for the console: visitors by name and email, messages by text.
-- Each table gets a tsvector column that the database computes itself (GENERATED ... STORED),
-- so no write path has to remember it, and a GIN index on it. The 'simple' configuration
-- lowercases without stemming or stop words: names, emails and mixed-language text (English,
-- French) are matched as written; queries use prefix matching (refund:* finds "refunds").

ALTER TABLE "messages" ADD COLUMN "search_vector" tsvector
    GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, "body")) STORED;

CREATE INDEX "messages_search_vector_idx" ON "messages" USING GIN ("search_vector");

-- The email appears whole ('ada@shop.example') and cut at its punctuation ('ada', 'shop',
-- 'example'), so that "ada" and "shop.example" both find it.
ALTER TABLE "visitors" ADD COLUMN "search_vector" tsvector
    GENERATED ALWAYS AS (to_tsvector(
        'simple'::regconfig,
        coalesce("name", '') || ' ' || coalesce("email", '') || ' ' ||
        translate(coalesce("email", ''), '@._+-', '     ')
    )) STORED;

CREATE INDEX "visitors_search_vector_idx" ON "visitors" USING GIN ("search_vector");
