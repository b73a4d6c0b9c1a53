import { createContext, useContext } from 'react';

/** The languages the chat frame speaks; the site's own title and greeting are shown as written. */
export type Locale = 'en' | 'fr';

export interface Strings {
  chat: string;
  closeChat: string;
  unavailable: string;
  messages: string;
  message: string;
  placeholder: string;
  send: string;
  support: string;
  sent: string;
  sending: string;
  notSent: string;
  retry: string;
  connecting: string;
  online: string;
  reconnecting: string;
  offline: string;
  notHere: string;
  notConfirmed: string;
}

export const STRINGS: Record<Locale, Strings> = {
  en: {
    chat: 'Chat',
    closeChat: 'Close chat',
    unavailable: 'Chat is not available right now. Please try again later.',
    messages: 'Messages',
    message: 'Message',
    placeholder: 'Write a message…',
    send: 'Send',
    support: 'Support',
    sent: 'Sent',
    sending: 'Sending…',
    notSent: 'Not sent',
    retry: 'Retry',
    connecting: 'Connecting…',
    online: 'Online',
    reconnecting: 'Reconnecting…',
    offline: 'Offline',
    notHere: 'This chat is not available on this website.',
    notConfirmed:
      'We could not confirm who you are, so the chat cannot start. Please reload the page or sign in again.',
  },
  fr: {
    chat: 'Discussion',
    closeChat: 'Fermer la discussion',
    unavailable: 'La discussion n’est pas disponible pour le moment. Veuillez réessayer plus tard.',
    messages: 'Messages',
    message: 'Message',
    placeholder: 'Écrivez un message…',
    send: 'Envoyer',
    support: 'Assistance',
    sent: 'Envoyé',
    sending: 'Envoi…',
    notSent: 'Non envoyé',
    retry: 'Réessayer',
    connecting: 'Connexion…',
    online: 'En ligne',
    reconnecting: 'Reconnexion…',
    offline: 'Hors ligne',
    notHere: 'Cette discussion n’est pas disponible sur ce site.',
    notConfirmed:
      'Nous n’avons pas pu confirmer votre identité, la discussion ne peut donc pas commencer. Veuillez recharger la page ou vous reconnecter.',
  },
};

/** The first of the browser's preferred languages that the chat speaks; English otherwise. */
export function pickLocale(languages: readonly string[]): Locale {
  for (const tag of languages) {
    const language = tag.toLowerCase().split('-')[0];
    if (language === 'en' || language === 'fr') return language;
  }
  return 'en';
}

export const StringsContext = createContext<Strings>(STRINGS.en);

export function useStrings(): Strings {
  return useContext(StringsContext);
}
