/**
 * The part of the contract that carries no zod at run time: event names, limits, error codes and
 * the small rules every client shares. A client that must stay light (the chat frame) imports its
 * values from here and its types from the main entry with `import type`; the main entry exports
 * all of this too.
 */
export * from './attachment-types';
export * from './author-kind';
export * from './error-code';
export * from './identifiers';
export * from './limits';
export * from './message-text';
export * from './names';
export * from './pre-chat-rules';
export * from './typing-notifier';
