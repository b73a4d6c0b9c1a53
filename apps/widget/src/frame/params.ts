import { isSiteKey } from '@parley/protocol/zod-free';
import { isOrigin } from '../shared/origin';

/** What the loader tells the frame through its URL: `?siteKey=KEY&origin=https://host.example`. */
export interface FrameParams {
  siteKey: string;
  /** The host page's origin: the only target the frame posts to and accepts messages from. */
  parentOrigin: string;
}

export type FrameParamsResult = { ok: true; params: FrameParams } | { ok: false; error: string };

export function readFrameParams(search: string): FrameParamsResult {
  const query = new URLSearchParams(search);
  const siteKey = query.get('siteKey') ?? '';
  if (!isSiteKey(siteKey)) return { ok: false, error: 'missing or malformed siteKey' };
  const origin = query.get('origin') ?? '';
  if (!isOrigin(origin)) return { ok: false, error: 'missing or malformed origin' };
  return { ok: true, params: { siteKey, parentOrigin: origin } };
}
