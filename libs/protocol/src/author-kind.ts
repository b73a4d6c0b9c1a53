/** Who wrote a message. */
export const AuthorKind = { Visitor: 'VISITOR', Agent: 'AGENT', System: 'SYSTEM' } as const;
export type AuthorKind = (typeof AuthorKind)[keyof typeof AuthorKind];
