import { ErrorCode } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { toApiError } from './api-error';

describe('an overloaded database', () => {
  it.each(['P2028', 'P2024'])(
    'answers Prisma %s as SERVICE_BUSY (503, retry), not as an internal error',
    (code) => {
      const error = Object.assign(new Error('Unable to start a transaction in the given time.'), {
        name: 'PrismaClientKnownRequestError',
        code,
      });
      expect(toApiError(error)).toEqual({
        status: 503,
        error: {
          code: ErrorCode.ServiceBusy,
          message: 'The server is busy and saved nothing. Try again in a moment.',
        },
      });
    },
  );

  it('keeps other database errors internal and hides their text', () => {
    const error = Object.assign(new Error('relation "x" does not exist'), { code: 'P2010' });
    expect(toApiError(error)).toMatchObject({ status: 500, error: { code: ErrorCode.Internal } });
    expect(JSON.stringify(toApiError(error))).not.toContain('relation');
  });
});
