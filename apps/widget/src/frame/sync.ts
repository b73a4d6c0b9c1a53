import type { Message, SyncRequest, SyncResult } from '@parley/protocol';

/** A safety stop: a server that never reaches its own `lastSeq` must not loop us forever. */
const MAX_PAGES = 1000;

/**
 * Fetches every message of a conversation after `afterSeq`, following pages while the last
 * message of a page is below the conversation's `lastSeq`. `request` throws when the server
 * refuses or does not answer.
 */
export async function fetchAfter(
  request: (req: SyncRequest) => Promise<SyncResult>,
  conversationId: string,
  afterSeq: number,
): Promise<{ messages: Message[]; lastSeq: number }> {
  const messages: Message[] = [];
  let cursor = afterSeq;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const result = await request({ conversationId, afterSeq: cursor });
    messages.push(...result.messages);
    const last = result.messages.at(-1);
    if (!last || last.seq >= result.lastSeq || last.seq <= cursor) {
      return { messages, lastSeq: result.lastSeq };
    }
    cursor = last.seq;
  }
  throw new Error(`conversation ${conversationId} did not finish syncing`);
}
