/** The rhythm of typing notices, shared by every client. */
export const Typing = {
  /** A sender repeats `typing: true` at most this often while it keeps typing. */
  throttleMs: 2_000,
  /** A sender says `typing: false` after this long without a keystroke. */
  idleMs: 4_000,
  /** A receiver forgets a typing notice that was not repeated for this long (a lost "stop"). */
  expireMs: 6_000,
} as const;

export interface TypingNotifierOptions {
  send: (typing: boolean) => void;
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
}

/**
 * The sending side of typing notices: call `input()` on every keystroke and `stop()` when the
 * message is sent or the text emptied. Says `true` at most every `throttleMs` and `false` once,
 * after `idleMs` of quiet or on `stop()`.
 */
export class TypingNotifier {
  private typing = false;
  private lastSent = 0;
  private idleTimer: unknown = null;
  private readonly now: () => number;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (timer: unknown) => void;

  constructor(private readonly options: TypingNotifierOptions) {
    this.now = options.now ?? (() => Date.now());
    this.setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer =
      options.clearTimer ??
      ((timer) => {
        clearTimeout(timer as ReturnType<typeof setTimeout>);
      });
  }

  input(): void {
    const now = this.now();
    if (!this.typing || now - this.lastSent >= Typing.throttleMs) {
      this.typing = true;
      this.lastSent = now;
      this.options.send(true);
    }
    if (this.idleTimer !== null) this.clearTimer(this.idleTimer);
    this.idleTimer = this.setTimer(() => {
      this.idleTimer = null;
      this.stop();
    }, Typing.idleMs);
  }

  stop(): void {
    if (this.idleTimer !== null) {
      this.clearTimer(this.idleTimer);
      this.idleTimer = null;
    }
    if (!this.typing) return;
    this.typing = false;
    this.options.send(false);
  }
}
