import { lazy } from 'react';

/*
 * The parts of the chat that showing it and sending a first message do not need: the survey after
 * a resolved conversation, the pre-chat form, the list of past conversations, the files of a
 * message and what the chat says while nobody can answer (with its question for an email). They are separate chunks, fetched once the frame has painted, so that the first open
 * loads less and nobody waits for them later.
 */
const load = {
  survey: () => import('./components/Survey'),
  preChatForm: () => import('./components/PreChatForm'),
  conversationList: () => import('./components/ConversationList'),
  attachments: () => import('./components/Attachments'),
  away: () => import('./components/Away'),
};

export const Survey = lazy(() => load.survey().then((m) => ({ default: m.Survey })));
export const PreChatForm = lazy(() => load.preChatForm().then((m) => ({ default: m.PreChatForm })));
export const ConversationList = lazy(() =>
  load.conversationList().then((m) => ({ default: m.ConversationList })),
);
export const Attachments = lazy(() => load.attachments().then((m) => ({ default: m.Attachments })));
export const Away = lazy(() => load.away().then((m) => ({ default: m.Away })));

/** Fetches every later part when the browser is idle (soon after, where it cannot tell). */
export function prefetchLaterParts(): void {
  const fetchAll = () => {
    for (const part of Object.values(load)) void part();
  };
  if (typeof requestIdleCallback === 'function') requestIdleCallback(fetchAll, { timeout: 2_000 });
  else setTimeout(fetchAll, 200);
}
