/** Colour helpers shared by the loader and the frame. Keep free of runtime imports. */

const HEX_COLOR = /^#[0-9a-f]{6}$/i;

/** True for a six-digit hex colour such as `#1f6feb` (the only form the server accepts). */
export function isHexColor(value: unknown): value is string {
  return typeof value === 'string' && HEX_COLOR.test(value);
}

/**
 * Dark or white text, whichever reads better on a `#rrggbb` background (perceived brightness,
 * the YIQ weighting: cheap enough for the loader and close to WCAG's choice in practice).
 */
export function textColorOn(background: string): '#111' | '#fff' {
  const value = parseInt(background.slice(1), 16);
  const brightness =
    ((value >> 16) * 299 + ((value >> 8) & 255) * 587 + (value & 255) * 114) / 1000;
  return brightness > 160 ? '#111' : '#fff';
}
