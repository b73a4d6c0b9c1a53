import { type PipeTransform } from '@nestjs/common';
import type { z } from 'zod';
import { parseOrThrow } from '../common/zod-validation.pipe';

/** `@MessageBody(new WsZodPipe(Schema, 'message'))`: the payload parsed by its protocol schema. */
export class WsZodPipe<S extends z.ZodType> implements PipeTransform<unknown, z.infer<S>> {
  constructor(
    private readonly schema: S,
    private readonly what: string,
  ) {}

  transform(value: unknown): z.infer<S> {
    return parseOrThrow(this.schema, value, this.what);
  }
}
