/** Colour helpers shared by the loader and the frame. Keep free of runtime imports. */

const HEX_COLOR = /^#[0-9a-f]{6}$/i;

/** True for a six-digit hex colour such as `#1f6feb` (the only form the server accepts). */
export function isHexColor(value: unknown): value is string {
  return typeof value === 'string' && HEX_COLOR.test(value);
}

/** Dark or white text, whichever reads better on the given background colour. */
export function textColorOn(background: string): '#111111' | '#ffffff' {
  const channel = (offset: number) => {
    const c = parseInt(background.slice(offset, offset + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
  // Contrast with white is (1.05) / (L + 0.05); with near-black it is (L + 0.05) / 0.05.
  return 1.05 / (luminance + 0.05) >= (luminance + 0.05) / 0.056 ? '#ffffff' : '#111111';
}
