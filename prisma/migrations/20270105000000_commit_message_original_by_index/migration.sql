-- The visitor's search for a message already committed with its client id now starts from the
-- visitor's conversations and looks each one up in the unique index on
-- (conversation_id, client_message_id); the `LIMIT 1` keeps the planner from turning it back
-- into a join it may start from `messages`.
--
-- The function's statement is planned once per connection and the plan kept. Planned while
-- `messages` was nearly empty and never analysed (a new install; a server with autovacuum off),
-- the join began with a sequential scan of `messages` filtered on the client id, and kept doing
-- so on every visitor message as the table grew: at a hundred thousand messages that scan was
-- most of the database's time per message. Looked up this way, the plan is an index lookup per
-- conversation of the visitor whatever the statistics say. Everything else is unchanged (see
-- migration 20270104000000_commit_message_function for what each part does).
CREATE OR REPLACE FUNCTION "parley_commit_message"(
  p_message_id text,
  p_conversation_id text,
  p_author_kind "author_kind",
  p_author_id text,
  p_client_message_id text,
  p_body text,
  p_preview text,
  p_internal boolean,
  p_reopen boolean,
  p_now timestamp(3)
) RETURNS TABLE (
  "id" text,
  "conversationId" text,
  "seq" integer,
  "authorKind" text,
  "authorId" text,
  "authorName" text,
  "authorAvatarUrl" text,
  "body" text,
  "internal" boolean,
  "clientMessageId" text,
  "createdAt" timestamp(3),
  "c_siteId" text,
  "c_visitorId" text,
  "c_status" text,
  "c_beforeStatus" text,
  "c_assigneeId" text,
  "c_lastSeq" integer,
  "c_lastMessageAt" timestamp(3),
  "c_lastMessagePreview" text,
  "c_snoozedUntil" timestamp(3),
  "c_createdAt" timestamp(3),
  "c_visitorLastReadSeq" integer,
  "c_agentLastReadSeq" integer,
  "c_satisfactionRating" integer,
  "c_satisfactionComment" text,
  "c_satisfactionRatedAt" timestamp(3),
  "v_name" text,
  "v_email" text,
  "v_pageUrl" text,
  "v_userAgent" text,
  "v_lastSeenAt" timestamp(3)
)
LANGUAGE plpgsql
AS $$
#variable_conflict use_column
BEGIN
  RETURN QUERY
  WITH author AS (
    SELECT 'VISITOR'::"author_kind" AS "kind", v."id", v."name", NULL::text AS "avatar_url"
    FROM "visitors" v
    WHERE p_author_kind = 'VISITOR' AND v."id" = p_author_id AND v."revoked_at" IS NULL
    UNION ALL
    SELECT 'AGENT'::"author_kind", a."id", a."name", a."avatar_url"
    FROM "agents" a
    WHERE p_author_kind = 'AGENT' AND a."id" = p_author_id AND a."active"
  ),
  original AS (
    SELECT m.* FROM "conversations" oc
    CROSS JOIN LATERAL (
      SELECT mm.* FROM "messages" mm
      WHERE mm."conversation_id" = oc."id" AND mm."client_message_id" = p_client_message_id
      LIMIT 1
    ) m
    WHERE p_author_kind = 'VISITOR' AND oc."visitor_id" = p_author_id
      AND EXISTS (SELECT 1 FROM author)
    UNION ALL
    SELECT m.* FROM "messages" m
    WHERE p_author_kind = 'AGENT' AND m."conversation_id" = p_conversation_id
      AND m."client_message_id" = p_client_message_id
      AND EXISTS (SELECT 1 FROM author)
    LIMIT 1
  ),
  bumped AS (
    UPDATE "conversations" c SET
      "last_seq" = c."last_seq" + 1,
      "last_message_at" = p_now,
      "last_message_preview" = p_preview,
      "updated_at" = p_now,
      "status" = CASE WHEN p_reopen THEN 'OPEN'::"conversation_status" ELSE c."status" END,
      "snoozed_until" = CASE WHEN p_reopen AND before."status" <> 'OPEN'
        THEN NULL ELSE c."snoozed_until" END
    FROM (
      SELECT cc."id", cc."status" FROM "conversations" cc
      WHERE cc."id" = p_conversation_id
        AND (p_author_kind <> 'VISITOR' OR cc."visitor_id" = p_author_id)
      FOR UPDATE
    ) before
    WHERE c."id" = before."id"
      AND EXISTS (SELECT 1 FROM author)
      AND NOT EXISTS (SELECT 1 FROM original)
    RETURNING c.*, before."status" AS "before_status"
  ),
  inserted AS (
    INSERT INTO "messages" ("id", "conversation_id", "seq", "author_kind", "author_id",
      "author_name", "author_avatar_url", "body", "internal", "client_message_id", "created_at")
    SELECT p_message_id, b."id", b."last_seq", a."kind", a."id", a."name", a."avatar_url",
      p_body, p_internal, p_client_message_id, p_now
    FROM bumped b CROSS JOIN author a
    RETURNING *
  )
  SELECT m."id", m."conversation_id", m."seq", m."author_kind"::text, m."author_id",
    m."author_name", m."author_avatar_url", m."body", m."internal", m."client_message_id",
    m."created_at",
    b."site_id", b."visitor_id", b."status"::text, b."before_status"::text, b."assignee_id",
    b."last_seq", b."last_message_at", b."last_message_preview", b."snoozed_until",
    b."created_at", b."visitor_last_read_seq", b."agent_last_read_seq",
    b."satisfaction_rating", b."satisfaction_comment", b."satisfaction_rated_at",
    v."name", v."email", v."page_url", v."user_agent", v."last_seen_at"
  FROM (SELECT * FROM inserted UNION ALL SELECT * FROM original) m
  LEFT JOIN bumped b ON TRUE
  LEFT JOIN "visitors" v ON v."id" = b."visitor_id";
END
$$;
