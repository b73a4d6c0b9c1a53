import { z } from 'zod';
import { IdSchema, SeqSchema } from './common';
import { ConversationSchema, ConversationStatusSchema } from './conversation';

/** Longest search text accepted, in characters. */
export const SEARCH_QUERY_MAX = 200;
/** Words of a search beyond this many are ignored. */
export const SEARCH_TERMS_MAX = 8;
export const SEARCH_PAGE_MAX = 50;
/** Deepest result a page may start at: past it, refine the search. */
export const SEARCH_OFFSET_MAX = 1000;

/**
 * `GET /api/search?q=` (any agent): conversations whose visitor's name or email, or one of whose
 * messages, holds every word of `q` (each word also matches as a prefix: "refund" finds
 * "refunds"). Query strings arrive as text.
 */
export const SearchQuerySchema = z.object({
  q: z
    .string()
    .trim()
    .min(1, 'type something to search for')
    .max(SEARCH_QUERY_MAX, `search text is longer than ${SEARCH_QUERY_MAX} characters`),
  limit: z.coerce.number().int().min(1).max(SEARCH_PAGE_MAX).default(20),
  offset: z.coerce.number().int().min(0).max(SEARCH_OFFSET_MAX).default(0),
  siteId: IdSchema.optional(),
  status: ConversationStatusSchema.optional(),
});
export type SearchQuery = z.infer<typeof SearchQuerySchema>;

/**
 * The words a search looks for: runs of letters and digits, lowercased, at most
 * SEARCH_TERMS_MAX. Punctuation only gives none (and an empty result).
 */
export function searchTerms(q: string): string[] {
  const words = q.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return [...new Set(words)].slice(0, SEARCH_TERMS_MAX);
}

/** A piece of a snippet; `match` pieces are what the search found (show them highlighted, as text). */
export const SnippetSegmentSchema = z.object({ text: z.string(), match: z.boolean() });
export type SnippetSegment = z.infer<typeof SnippetSegmentSchema>;

export const SearchSnippetSchema = z.object({
  /** Where the words were found: a message (the best one), or the visitor's name and email. */
  source: z.enum(['message', 'visitor']),
  /** The message's seq, for `source: 'message'`. */
  seq: SeqSchema.nullable(),
  /** The message is an internal note. */
  internal: z.boolean(),
  segments: z.array(SnippetSegmentSchema),
});
export type SearchSnippet = z.infer<typeof SearchSnippetSchema>;

export const SearchResultSchema = z.object({
  conversation: ConversationSchema,
  /** Messages of the conversation that match. */
  messageHits: z.number().int().min(0),
  snippet: SearchSnippetSchema,
});
export type SearchResult = z.infer<typeof SearchResultSchema>;

/** Best first: visitor matches, then by text rank, then by latest activity. */
export const SearchResponseSchema = z.object({
  results: z.array(SearchResultSchema),
  /** Conversations matching in all (every page). */
  total: z.number().int().min(0),
  limit: z.number().int(),
  offset: z.number().int(),
});
export type SearchResponse = z.infer<typeof SearchResponseSchema>;
