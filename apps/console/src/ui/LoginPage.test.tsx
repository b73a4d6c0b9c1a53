import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { createConsoleApi } from '../api/console-api';
import { agent, must } from '../testing/fixtures';
import { LoginPage } from './LoginPage';

function respond(status: number, body: unknown) {
  return vi.fn<typeof fetch>().mockResolvedValue(
    new Response(JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json' },
    }),
  );
}

async function signIn(email: string, password: string) {
  const user = userEvent.setup();
  await user.type(screen.getByLabelText('Email'), email);
  await user.type(screen.getByLabelText('Password'), password);
  await user.click(screen.getByRole('button', { name: 'Sign in' }));
}

describe('LoginPage', () => {
  it('shows the message the API gives for wrong credentials', async () => {
    const fetchMock = respond(401, {
      error: { code: 'UNAUTHORIZED', message: 'Wrong email or password.' },
    });
    vi.stubGlobal('fetch', fetchMock);
    const onSignedIn = vi.fn();
    render(<LoginPage api={createConsoleApi()} onSignedIn={onSignedIn} />);

    await signIn('ada@example.com', 'not-it');

    expect(await screen.findByRole('alert')).toHaveProperty(
      'textContent',
      'Wrong email or password.',
    );
    expect(onSignedIn).not.toHaveBeenCalled();
    expect(screen.getByRole('button', { name: 'Sign in' })).toHaveProperty('disabled', false);
    const [url, init] = must(fetchMock.mock.calls[0], 'fetch call');
    expect(url).toBe('/api/auth/login');
    expect(JSON.parse(typeof init?.body === 'string' ? init.body : '')).toEqual({
      email: 'ada@example.com',
      password: 'not-it',
    });
  });

  it('lists validation details and rate limiting in plain words', async () => {
    vi.stubGlobal(
      'fetch',
      respond(400, {
        error: {
          code: 'VALIDATION_FAILED',
          message: 'Check the highlighted fields.',
          details: { email: 'Enter a valid email address' },
        },
      }),
    );
    render(<LoginPage api={createConsoleApi()} onSignedIn={vi.fn()} />);
    await signIn('nope', 'x');
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Check the highlighted fields.');
    expect(alert.textContent).toContain('Enter a valid email address');
  });

  it('explains when the server cannot be reached', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn<typeof fetch>().mockRejectedValue(new TypeError('Failed to fetch')),
    );
    render(<LoginPage api={createConsoleApi()} onSignedIn={vi.fn()} />);
    await signIn('ada@example.com', 'secret-password');
    expect((await screen.findByRole('alert')).textContent).toMatch(/Cannot reach the server/);
  });

  it('hands the agent over after a successful sign-in', async () => {
    vi.stubGlobal('fetch', respond(200, { agent }));
    const onSignedIn = vi.fn();
    render(
      <LoginPage
        api={createConsoleApi()}
        onSignedIn={onSignedIn}
        notice="Your session has ended."
      />,
    );
    expect(screen.getByText('Your session has ended.')).toBeTruthy();
    await signIn('ada@example.com', 'secret-password');
    await vi.waitFor(() => {
      expect(onSignedIn).toHaveBeenCalledWith({ agent, mustChangePassword: false });
    });
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
