/** Limits enforced by the server and mirrored by clients so that people see them before sending. */
export const Limits = {
  /** Maximum characters in a message body. */
  messageBodyMax: 5000,
  /** Maximum length of a client-generated message id. */
  clientMessageIdMax: 64,
  /** Messages returned by one history request. */
  historyPageMax: 500,
  /** Maximum JSON body accepted by the REST API, in bytes. */
  restBodyMaxBytes: 64 * 1024,
  nameMax: 120,
  emailMax: 254,
  urlMax: 2048,
  /** Custom attributes a visitor may hold (`Parley.setAttributes`), and each text value's length. */
  visitorAttributesMax: 50,
  visitorAttributeValueMax: 500,
  passwordMin: 8,
  passwordMax: 256,
} as const;

/** Longest comment a visitor may leave with a rating. */
export const SATISFACTION_COMMENT_MAX = 1000;
