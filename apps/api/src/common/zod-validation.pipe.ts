import { type PipeTransform } from '@nestjs/common';
import { issuesToDetails } from '@parley/protocol';
import type { z } from 'zod';
import { ApiException } from './api-error';

/** Parses a value with a protocol schema; invalid input becomes a VALIDATION_FAILED error listing each field. */
export function parseOrThrow<S extends z.ZodType>(
  schema: S,
  value: unknown,
  what = 'request',
): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) {
    // JSON can carry unpaired UTF-16 surrogates ("\ud800"), which are not text, and NUL
    // characters ("\u0000"), which PostgreSQL text cannot hold. Refused here, for every payload
    // and body, with the field that holds one.
    const where = malformedText(result.data, '');
    if (where !== null) {
      const path = where.path || '(value)';
      const problem =
        where.kind === 'nul'
          ? 'contains a NUL character (\\u0000), which cannot be stored'
          : 'contains an unpaired surrogate, which is not valid Unicode text';
      throw ApiException.validation(`Invalid ${what}: ${path}: ${problem}`, { [path]: problem });
    }
    return result.data;
  }
  const details = issuesToDetails(result.error);
  const summary = Object.entries(details)
    .map(([path, message]) => `${path}: ${message}`)
    .join('; ');
  throw ApiException.validation(`Invalid ${what}: ${summary}`, details);
}

const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * The path of the first string that is not well-formed Unicode or holds a NUL character, and
 * which of the two, or null when there is none.
 */
export function malformedText(
  value: unknown,
  path: string,
): { path: string; kind: 'surrogate' | 'nul' } | null {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) return { path, kind: 'nul' };
    return UNPAIRED_SURROGATE.test(value) ? { path, kind: 'surrogate' } : null;
  }
  if (typeof value !== 'object' || value === null) return null;
  for (const [key, item] of Object.entries(value)) {
    const found = malformedText(item, path ? `${path}.${key}` : key);
    if (found !== null) return found;
  }
  return null;
}

/** `@Body(new ZodValidationPipe(Schema))`, for REST bodies and queries. */
export class ZodValidationPipe<S extends z.ZodType> implements PipeTransform<unknown, z.infer<S>> {
  constructor(
    private readonly schema: S,
    private readonly what = 'request',
  ) {}

  transform(value: unknown): z.infer<S> {
    return parseOrThrow(this.schema, value, this.what);
  }
}
