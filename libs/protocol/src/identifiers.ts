/** The characters of a site key and of a visitor token: base64url. */
export const TOKEN_CHARACTERS = /^[A-Za-z0-9_-]+$/;

/** A site key as it appears in the snippet's `data-site-key`: 1 to 64 base64url characters. */
export const SITE_KEY_MAX = 64;

/** An opaque visitor token (43 characters: 32 random bytes), within these lengths. */
export const VisitorTokenLength = { min: 20, max: 128 } as const;

/** Storage key prefix the frame uses for the visitor token (per site). */
export const VISITOR_TOKEN_STORAGE_PREFIX = 'parley:visitor:';

/** Whether `value` is well-formed as a site key (what `SiteKeySchema` accepts). */
export function isSiteKey(value: string): boolean {
  return value.length >= 1 && value.length <= SITE_KEY_MAX && TOKEN_CHARACTERS.test(value);
}

/** Whether `value` is well-formed as a visitor token (what `VisitorTokenSchema` accepts). */
export function isVisitorToken(value: string): boolean {
  return (
    value.length >= VisitorTokenLength.min &&
    value.length <= VisitorTokenLength.max &&
    TOKEN_CHARACTERS.test(value)
  );
}
