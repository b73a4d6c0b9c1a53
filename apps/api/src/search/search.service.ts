import { Injectable } from '@nestjs/common';
import {
  searchTerms,
  type SearchQuery,
  type SearchResponse,
  type SearchResult,
  type SnippetSegment,
} from '@parley/protocol';
import { Prisma } from '../generated/prisma/client';
import { toConversationDto } from '../conversations/conversation.mapper';
import { PrismaService } from '../services/database/prisma.service';

/** Characters of a message shown around its first match. */
const SNIPPET_CHARS = 160;

/**
 * The tsquery for a search: every word must be present (`&`), each as a prefix of a word in the
 * text (`refund:*` finds "refunds"), except one-character words, which would match almost
 * everything as a prefix. The words hold only letters and digits, so nothing in them is
 * tsquery syntax.
 */
export function toTsQuery(terms: string[]): string {
  return terms.map((t) => (t.length > 1 ? `${t}:*` : t)).join(' & ');
}

const WORD = /([\p{L}\p{N}]+)/u;

function matches(word: string, terms: string[]): boolean {
  const lower = word.toLowerCase();
  return terms.some((t) => (t.length > 1 ? lower.startsWith(t) : lower === t));
}

/** Appends a piece, merging it into the last segment when both are matched or both plain. */
function pushSegment(segments: SnippetSegment[], text: string, match: boolean): void {
  if (!text) return;
  const last = segments.at(-1);
  if (last && last.match === match) last.text += text;
  else segments.push({ text, match });
}

/**
 * Up to SNIPPET_CHARS of a message around its first matching word (whitespace collapsed, "…"
 * where it was cut), with every word that starts with a search term marked, the way the
 * tsquery matched it. The text is returned exactly as written: clients show it as text.
 */
export function snippetOf(body: string, terms: string[]): SnippetSegment[] {
  const text = body.replace(/\s+/g, ' ').trim();
  const pieces = text.split(WORD);
  let offset = 0;
  let firstMatch = -1;
  for (const [i, piece] of pieces.entries()) {
    if (i % 2 === 1 && matches(piece, terms)) {
      firstMatch = offset;
      break;
    }
    offset += piece.length;
  }
  let from = firstMatch > SNIPPET_CHARS / 3 ? firstMatch - Math.floor(SNIPPET_CHARS / 3) : 0;
  // Start and end on whole words.
  if (from > 0) from = text.indexOf(' ', from) + 1 || from;
  let to = Math.min(text.length, from + SNIPPET_CHARS);
  if (to < text.length) {
    const space = text.lastIndexOf(' ', to);
    if (space > from) to = space;
  }
  const segments: SnippetSegment[] = [];
  if (from > 0) pushSegment(segments, '…', false);
  for (const piece of text.slice(from, to).split(WORD)) {
    pushSegment(segments, piece, WORD.test(piece) && matches(piece, terms));
  }
  if (to < text.length) pushSegment(segments, ' …', false);
  return segments;
}

/** The visitor's name and email with the searched words marked. */
export function highlightVisitor(text: string, terms: string[]): SnippetSegment[] {
  const segments: SnippetSegment[] = [];
  for (const piece of text.split(WORD)) {
    pushSegment(segments, piece, WORD.test(piece) && matches(piece, terms));
  }
  return segments;
}

interface HitRow {
  conversationId: string;
  messageHits: number;
  total: number;
}

interface SnippetRow {
  conversationId: string;
  seq: number;
  internal: boolean;
  body: string;
}

/**
 * Console search over PostgreSQL's full-text index (the `search_vector` columns and their GIN
 * indexes). Every agent sees every site's conversations (as in the inbox), so the search covers
 * them all, internal notes included; `siteId` and `status` narrow it.
 */
@Injectable()
export class SearchService {
  constructor(private readonly prisma: PrismaService) {}

  async search(query: SearchQuery): Promise<SearchResponse> {
    const page = { limit: query.limit, offset: query.offset };
    const terms = searchTerms(query.q);
    if (terms.length === 0) return { results: [], total: 0, ...page };
    const tsquery = toTsQuery(terms);

    const filters: Prisma.Sql[] = [];
    if (query.siteId) filters.push(Prisma.sql`c.site_id = ${query.siteId}`);
    if (query.status) {
      filters.push(Prisma.sql`c.status = ${query.status}::conversation_status`);
    }
    const where = filters.length
      ? Prisma.sql`WHERE ${Prisma.join(filters, ' AND ')}`
      : Prisma.empty;

    // A conversation's score: 1 plus the name/email rank when its visitor matches (people
    // search for customers by name first), plus the rank of its best matching message.
    // The tsquery is computed once in a CTE: the planner then estimates a few matches and
    // reaches the GIN index, where a literal tsquery with a prefix is often estimated at 2% of
    // the rows and read with a sequential scan of every message.
    const hits = await this.prisma.$queryRaw<HitRow[]>`
      WITH query AS MATERIALIZED (SELECT to_tsquery('simple', ${tsquery}) AS q),
      message_hits AS (
        SELECT m.conversation_id, max(ts_rank(m.search_vector, query.q)) AS rank, count(*) AS hits
        FROM messages m, query
        WHERE m.search_vector @@ query.q
        GROUP BY m.conversation_id
      ),
      visitor_hits AS (
        SELECT c.id AS conversation_id, ts_rank(v.search_vector, query.q) AS rank
        FROM visitors v JOIN conversations c ON c.visitor_id = v.id, query
        WHERE v.search_vector @@ query.q
      ),
      hits AS (
        SELECT coalesce(mh.conversation_id, vh.conversation_id) AS conversation_id,
          coalesce(1 + vh.rank, 0) + coalesce(mh.rank, 0) AS score,
          coalesce(mh.hits, 0) AS hits
        FROM message_hits mh FULL JOIN visitor_hits vh ON vh.conversation_id = mh.conversation_id
      )
      SELECT h.conversation_id AS "conversationId", h.hits::int AS "messageHits",
        (count(*) OVER ())::int AS total
      FROM hits h JOIN conversations c ON c.id = h.conversation_id
      ${where}
      ORDER BY h.score DESC, c.last_message_at DESC NULLS LAST, c.id
      LIMIT ${query.limit} OFFSET ${query.offset}`;
    if (hits.length === 0) {
      // Past the last page the window count is not there: count separately only then.
      return {
        results: [],
        total: query.offset > 0 ? await this.count(tsquery, where) : 0,
        ...page,
      };
    }

    const ids = hits.map((h) => h.conversationId);
    const [conversations, snippets] = await Promise.all([
      this.prisma.conversation.findMany({ where: { id: { in: ids } }, include: { visitor: true } }),
      this.prisma.$queryRaw<SnippetRow[]>`
        WITH query AS MATERIALIZED (SELECT to_tsquery('simple', ${tsquery}) AS q)
        SELECT DISTINCT ON (m.conversation_id) m.conversation_id AS "conversationId", m.seq,
          m.internal, m.body
        FROM messages m, query
        WHERE m.conversation_id = ANY(${ids}::text[]) AND m.search_vector @@ query.q
        ORDER BY m.conversation_id, ts_rank(m.search_vector, query.q) DESC, m.seq DESC`,
    ]);
    const byId = new Map(conversations.map((c) => [c.id, c]));
    const bestMessage = new Map(snippets.map((s) => [s.conversationId, s]));
    const results: SearchResult[] = [];
    for (const hit of hits) {
      const conversation = byId.get(hit.conversationId);
      if (!conversation) continue; // deleted between the two queries
      const snippet = bestMessage.get(hit.conversationId);
      results.push({
        conversation: toConversationDto(conversation),
        messageHits: hit.messageHits,
        snippet: snippet
          ? {
              source: 'message',
              seq: snippet.seq,
              internal: snippet.internal,
              segments: snippetOf(snippet.body, terms),
            }
          : {
              source: 'visitor',
              seq: null,
              internal: false,
              segments: highlightVisitor(
                [conversation.visitor.name, conversation.visitor.email]
                  .filter((s): s is string => Boolean(s))
                  .join(' · '),
                terms,
              ),
            },
      });
    }
    return { results, total: hits[0]?.total ?? 0, ...page };
  }

  private async count(tsquery: string, where: Prisma.Sql): Promise<number> {
    const rows = await this.prisma.$queryRaw<{ total: number }[]>`
      WITH query AS MATERIALIZED (SELECT to_tsquery('simple', ${tsquery}) AS q),
      ids AS (
        SELECT m.conversation_id AS id FROM messages m, query WHERE m.search_vector @@ query.q
        UNION
        SELECT c.id FROM visitors v JOIN conversations c ON c.visitor_id = v.id, query
        WHERE v.search_vector @@ query.q
      )
      SELECT count(*)::int AS total FROM ids JOIN conversations c ON c.id = ids.id ${where}`;
    return rows[0]?.total ?? 0;
  }
}
