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
  /** Agents are online and it is within business hours. */
  replySoon: string;
  away: string;
  /** `{time}`: the next opening, in the visitor's own time. */
  backAt: string;
  replyLater: string;
  emailAsk: string;
  emailLabel: string;
  emailSave: string;
  /** `{email}`: the address the visitor left. */
  emailSaved: string;
  notConnected: string;
  nameRequired: string;
  emailRequired: string;
  emailInvalid: string;
  preChatIntro: string;
  name: string;
  email: string;
  optional: string;
  startChat: string;
  seen: string;
  /** `{name}` is replaced by the agent's name. */
  typingNamed: string;
  typing: string;
  conversations: string;
  newConversation: string;
  backToConversation: string;
  statusOpen: string;
  statusResolved: string;
  closed: string;
  surveyQuestion: string;
  /** `{n}` is replaced by the rating. */
  ratingLabel: string;
  comment: string;
  sendRating: string;
  notNow: string;
  /** `{n}` is replaced by the rating. */
  rated: string;
  attach: string;
  /** `{max}`: the largest size, "10 MB". */
  fileTooLarge: string;
  fileType: string;
  /** `{name}`: the file's name. */
  uploading: string;
  uploadFailed: string;
  dismiss: string;
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
    replySoon: 'We typically reply in a few minutes',
    away: 'We’re away',
    backAt: 'We’ll be back {time}. Leave a message and we’ll answer then.',
    replyLater: 'Leave a message and we’ll answer as soon as we can.',
    emailAsk: 'Leave your email so that we can reply there:',
    emailLabel: 'Your email',
    emailSave: 'Save',
    emailSaved: 'We’ll reply to {email}.',
    notConnected: 'Not connected. Please try again in a moment.',
    nameRequired: 'Please enter your name.',
    emailRequired: 'Please enter your email address.',
    emailInvalid: 'Please enter a valid email address.',
    preChatIntro: 'Before we start, please tell us who you are.',
    name: 'Name',
    email: 'Email',
    optional: '(optional)',
    startChat: 'Start the conversation',
    seen: 'Seen',
    typingNamed: '{name} is typing…',
    typing: 'Support is typing…',
    conversations: 'Your conversations',
    newConversation: 'New conversation',
    backToConversation: 'Back to the conversation',
    statusOpen: 'Open',
    statusResolved: 'Resolved',
    closed: 'This conversation was closed.',
    surveyQuestion: 'How would you rate this conversation?',
    ratingLabel: '{n} out of 5',
    comment: 'Comment (optional)',
    sendRating: 'Send rating',
    notNow: 'Not now',
    rated: 'You rated this conversation {n} out of 5. Thank you!',
    attach: 'Attach a file',
    fileTooLarge: 'This file is too large: files up to {max} can be sent.',
    fileType: 'Only images (PNG, JPEG, GIF, WebP) and PDF files can be sent.',
    uploading: 'Sending {name}…',
    uploadFailed: 'The file could not be sent. Please try again.',
    dismiss: 'Dismiss',
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
    replySoon: 'Nous répondons généralement en quelques minutes',
    away: 'Nous sommes absents',
    backAt: 'Nous serons de retour {time}. Laissez un message, nous y répondrons à ce moment-là.',
    replyLater: 'Laissez un message, nous y répondrons dès que possible.',
    emailAsk: 'Laissez votre adresse e-mail pour que nous puissions vous y répondre :',
    emailLabel: 'Votre adresse e-mail',
    emailSave: 'Enregistrer',
    emailSaved: 'Nous vous répondrons à {email}.',
    notConnected: 'Pas de connexion. Veuillez réessayer dans un instant.',
    nameRequired: 'Veuillez indiquer votre nom.',
    emailRequired: 'Veuillez indiquer votre adresse e-mail.',
    emailInvalid: 'Veuillez indiquer une adresse e-mail valide.',
    preChatIntro: 'Avant de commencer, dites-nous qui vous êtes.',
    name: 'Nom',
    email: 'E-mail',
    optional: '(facultatif)',
    startChat: 'Commencer la discussion',
    seen: 'Vu',
    typingNamed: '{name} écrit…',
    typing: 'L’assistance écrit…',
    conversations: 'Vos discussions',
    newConversation: 'Nouvelle discussion',
    backToConversation: 'Retour à la discussion',
    statusOpen: 'Ouverte',
    statusResolved: 'Résolue',
    closed: 'Cette discussion est terminée.',
    surveyQuestion: 'Comment évaluez-vous cette discussion ?',
    ratingLabel: '{n} sur 5',
    comment: 'Commentaire (facultatif)',
    sendRating: 'Envoyer la note',
    notNow: 'Plus tard',
    rated: 'Vous avez noté cette discussion {n} sur 5. Merci !',
    attach: 'Joindre un fichier',
    fileTooLarge: 'Ce fichier est trop volumineux : la taille maximale est de {max}.',
    fileType: 'Seules les images (PNG, JPEG, GIF, WebP) et les fichiers PDF peuvent être envoyés.',
    uploading: 'Envoi de {name}…',
    uploadFailed: 'Le fichier n’a pas pu être envoyé. Veuillez réessayer.',
    dismiss: 'Fermer',
  },
};

/**
 * The language the chat speaks for a tag such as `fr-CA` (from `Parley.setLocale`); `null` for
 * a language it does not speak.
 */
export function localeOf(tag: string): Locale | null {
  const language = tag.toLowerCase().split('-')[0];
  return language === 'en' || language === 'fr' ? language : null;
}

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
