import { z } from 'zod';

/** A rate limit read from the environment: at most `limit` events per `windowMs`. */
export interface RateLimitSpec {
  limit: number;
  windowMs: number;
}

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Parses `<count>/<window>`, the window a number and a unit (`s`, `m`, `h`, `d`): `30/1m`, `6/12h`. `off` disables. */
export function parseRateLimitSpec(text: string): RateLimitSpec | null | undefined {
  const value = text.trim().toLowerCase();
  if (value === 'off') return null;
  const match = /^(\d{1,7})\s*\/\s*(\d{1,6})?\s*([smhd])$/.exec(value);
  if (!match) return undefined;
  const limit = Number(match[1]);
  const windowMs = Number(match[2] ?? '1') * UNIT_MS[match[3] as keyof typeof UNIT_MS];
  if (limit < 1 || windowMs < 1) return undefined;
  return { limit, windowMs };
}

/** A zod setting holding a rate limit (`null` when `off`), with its default in the same notation. */
export function rateLimitSetting(name: string, def: string) {
  return z
    .string()
    .default(def)
    .transform((text, ctx): RateLimitSpec | null => {
      const spec = parseRateLimitSpec(text);
      if (spec === undefined) {
        ctx.addIssue({
          code: 'custom',
          message: `${name}: "<count>/<window>" such as 30/1m, 10/1h or 6/12h (units s, m, h, d), or "off"`,
        });
        return z.NEVER;
      }
      return spec;
    });
}

/** A wait as people read it: "40 seconds", "1 minute", "3 hours". */
export function describeWait(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? '' : 's'}`;
  const hours = Math.ceil(minutes / 60);
  return `${hours} hour${hours === 1 ? '' : 's'}`;
}
