import { MeResponseSchema } from '@parley/protocol';
import { describe, expect, it, vi } from 'vitest';
import { must } from '../testing/fixtures';
import {
  ApiRequestError,
  NETWORK_ERROR_MESSAGE,
  UNEXPECTED_RESPONSE_MESSAGE,
  requestJson,
} from './http';

function jsonResponse(status: number, body: unknown) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}

describe('requestJson', () => {
  it('sends JSON with the session cookie and parses the answer', async () => {
    const fetchMock = vi.fn<typeof fetch>().mockResolvedValue(
      jsonResponse(200, {
        agent: { id: 'a1', email: 'a@example.com', name: 'A', role: 'AGENT' },
      }),
    );
    vi.stubGlobal('fetch', fetchMock);
    const result = await requestJson('/api/auth/login', MeResponseSchema, {
      method: 'POST',
      body: { email: 'a@example.com', password: 'pw' },
    });
    expect(result.agent.name).toBe('A');
    const [url, init] = must(fetchMock.mock.calls[0], 'fetch call');
    expect(url).toBe('/api/auth/login');
    expect(init).toMatchObject({ method: 'POST', credentials: 'same-origin' });
    expect(init?.headers).toMatchObject({ 'content-type': 'application/json' });
    expect(init?.body).toBe('{"email":"a@example.com","password":"pw"}');
  });

  it('turns an error body into an ApiRequestError with its code and message', async () => {
    vi.stubGlobal(
      'fetch',
      vi
        .fn<typeof fetch>()
        .mockResolvedValue(
          jsonResponse(429, { error: { code: 'RATE_LIMITED', message: 'Too many attempts' } }),
        ),
    );
    const error = await requestJson('/api/me', MeResponseSchema).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiRequestError);
    expect(error).toMatchObject({
      status: 429,
      code: 'RATE_LIMITED',
      message: 'Too many attempts',
    });
  });

  it('explains a non-JSON error from a proxy', async () => {
    vi.stubGlobal(
      'fetch',
      vi
        .fn<typeof fetch>()
        .mockResolvedValue(
          new Response('<html>bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }),
        ),
    );
    await expect(requestJson('/api/me', MeResponseSchema)).rejects.toMatchObject({
      status: 502,
      message: 'The server answered 502 Bad Gateway. Try again in a moment.',
    });
  });

  it('reports an unreachable server', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn<typeof fetch>().mockRejectedValue(new TypeError('Failed to fetch')),
    );
    await expect(requestJson('/api/me', MeResponseSchema)).rejects.toMatchObject({
      status: 0,
      message: NETWORK_ERROR_MESSAGE,
    });
  });

  it('refuses a body that does not match the contract', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn<typeof fetch>().mockResolvedValue(jsonResponse(200, { agent: 42 })),
    );
    await expect(requestJson('/api/me', MeResponseSchema)).rejects.toMatchObject({
      code: 'BAD_RESPONSE',
      message: UNEXPECTED_RESPONSE_MESSAGE,
    });
  });
});
