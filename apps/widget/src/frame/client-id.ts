/**
 * A client message id (UUID v4). `crypto.randomUUID` exists only in secure contexts, so plain
 * http deployments fall back to building one from `crypto.getRandomValues`.
 */
/** The part of `Crypto` this needs; `randomUUID` is missing outside secure contexts. */
export interface RandomSource {
  getRandomValues: (array: Uint8Array) => Uint8Array;
  randomUUID?: () => string;
}

export function newClientMessageId(cryptoImpl: RandomSource = crypto): string {
  if (typeof cryptoImpl.randomUUID === 'function') return cryptoImpl.randomUUID();
  const bytes = cryptoImpl.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
