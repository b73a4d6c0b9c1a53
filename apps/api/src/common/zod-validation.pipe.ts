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
  if (result.success) return result.data;
  const details = issuesToDetails(result.error);
  const summary = Object.entries(details)
    .map(([path, message]) => `${path}: ${message}`)
    .join('; ');
  throw ApiException.validation(`Invalid ${what}: ${summary}`, details);
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
