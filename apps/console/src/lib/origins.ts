/** The origins an admin typed, one per line (commas and spaces also separate them). */
export function originsFromText(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[\s,]+/)
        .map((origin) => origin.trim())
        .filter(Boolean),
    ),
  ];
}
