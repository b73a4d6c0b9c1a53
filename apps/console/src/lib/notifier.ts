import type { AgentPreferences, Message } from '@parley/protocol';
import type { NotificationKind } from './notifications';

/** A short two-tone chime made with WebAudio: no audio file to fetch. */
function chime(context: AudioContext): void {
  const start = context.currentTime;
  const gain = context.createGain();
  gain.gain.setValueAtTime(0.0001, start);
  gain.gain.exponentialRampToValueAtTime(0.2, start + 0.02);
  gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.35);
  gain.connect(context.destination);
  [880, 1320].forEach((frequency, i) => {
    const oscillator = context.createOscillator();
    oscillator.type = 'sine';
    oscillator.frequency.value = frequency;
    oscillator.connect(gain);
    oscillator.start(start + i * 0.12);
    oscillator.stop(start + 0.35);
  });
}

export interface NotifierDeps {
  /** The agent's preferences, null until loaded (nothing is shown meanwhile). */
  preferences(): AgentPreferences | null;
  /** Opens a conversation (the notification was clicked). */
  open(conversationId: string): void;
}

/**
 * Browser notifications and a sound for the console. Browsers only let a page start audio or
 * ask for notification permission after a user gesture, so `unlock` is called from one (any
 * click or key in the console) and `requestPermission` from a button.
 */
export class ConsoleNotifier {
  private audio: AudioContext | null = null;

  constructor(private readonly deps: NotifierDeps) {}

  /** Prepares audio from a user gesture; later chimes can play without one. */
  unlock(): void {
    if (typeof AudioContext === 'undefined') return;
    try {
      this.audio ??= new AudioContext();
      if (this.audio.state === 'suspended') void this.audio.resume();
    } catch {
      // No audio on this browser: notifications still show.
    }
  }

  static permission(): NotificationPermission | 'unsupported' {
    return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
  }

  /** Asks the browser for permission; call it from a click. */
  static async requestPermission(): Promise<NotificationPermission | 'unsupported'> {
    if (typeof Notification === 'undefined') return 'unsupported';
    return Notification.requestPermission();
  }

  notify(kind: NotificationKind, message: Message, who: string): void {
    const preferences = this.deps.preferences();
    if (!preferences) return;
    if (preferences.notifyDesktop && ConsoleNotifier.permission() === 'granted') {
      try {
        const notification = new Notification(
          kind === 'conversation' ? `New conversation: ${who}` : `New message from ${who}`,
          { body: message.body.slice(0, 200), tag: message.conversationId },
        );
        notification.onclick = () => {
          window.focus();
          this.deps.open(message.conversationId);
          notification.close();
        };
      } catch {
        // Some browsers only allow notifications from a service worker: the sound still plays.
      }
    }
    if (preferences.notifySound) {
      this.unlock();
      if (this.audio) {
        try {
          chime(this.audio);
        } catch {
          // Audio refused: nothing else to do.
        }
      }
    }
  }
}
