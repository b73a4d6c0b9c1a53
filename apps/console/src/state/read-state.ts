/** How many conversations' read positions are kept; the oldest entries go first. */
export const READ_STATE_MAX_ENTRIES = 2000;

function keyFor(agentId: string): string {
  return `parley:console:read:${agentId}`;
}

/** Per conversation, the highest seq the agent has seen, as saved by `saveReadState`. */
export function loadReadState(storage: Storage | null, agentId: string): Record<string, number> {
  if (!storage) return {};
  try {
    const raw = storage.getItem(keyFor(agentId));
    if (!raw) return {};
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
    const result: Record<string, number> = {};
    for (const [id, seq] of Object.entries(parsed)) {
      if (typeof seq === 'number' && Number.isSafeInteger(seq) && seq >= 0) result[id] = seq;
    }
    return result;
  } catch {
    return {};
  }
}

export function saveReadState(
  storage: Storage | null,
  agentId: string,
  readSeq: Readonly<Record<string, number>>,
): void {
  if (!storage) return;
  // Insertion order follows first reads, so dropping from the front drops the oldest.
  const entries = Object.entries(readSeq).slice(-READ_STATE_MAX_ENTRIES);
  try {
    storage.setItem(keyFor(agentId), JSON.stringify(Object.fromEntries(entries)));
  } catch {
    // Storage full or disabled: read positions then last for this page load only.
  }
}
