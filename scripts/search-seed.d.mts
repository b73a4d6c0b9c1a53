import type pg from 'pg';

export declare const COMMON_WORDS: string[];
export declare const TOPIC_WORDS: string[];
export declare const RARE_WORDS: string[];
export declare const FIRST_NAMES: string[];
export declare const LAST_NAMES: string[];
export declare const SEARCH_QUERIES: string[];

export interface SeedSize {
  conversations: number;
  messagesPerConversation: number;
}

export declare function seedStatements(siteId: string, size: SeedSize): string[];
export declare function seedSearchData(
  client: pg.Client,
  siteId: string,
  size: SeedSize,
): Promise<void>;
