/** A browser and an operating system, as people name them ("Chrome 120", "macOS"). */
export interface ParsedUserAgent {
  browser: string | null;
  os: string | null;
}

function version(ua: string, pattern: RegExp): string {
  const match = pattern.exec(ua)?.[1];
  return match ? ` ${match.split('.')[0] ?? match}` : '';
}

/**
 * A small parser for the user agents people browse with; order matters, because most browsers
 * claim to be others too (Edge says Chrome and Safari, Chrome says Safari).
 */
export function parseUserAgent(ua: string | null | undefined): ParsedUserAgent {
  if (!ua) return { browser: null, os: null };
  let browser: string | null = null;
  if (/Edg(e|A|iOS)?\//.test(ua)) browser = `Edge${version(ua, /Edg(?:e|A|iOS)?\/([\d.]+)/)}`;
  else if (/OPR\/|Opera/.test(ua)) browser = `Opera${version(ua, /OPR\/([\d.]+)/)}`;
  else if (/SamsungBrowser\//.test(ua))
    browser = `Samsung Internet${version(ua, /SamsungBrowser\/([\d.]+)/)}`;
  else if (/Firefox\/|FxiOS\//.test(ua))
    browser = `Firefox${version(ua, /(?:Firefox|FxiOS)\/([\d.]+)/)}`;
  else if (/Chrome\/|CriOS\//.test(ua))
    browser = `Chrome${version(ua, /(?:Chrome|CriOS)\/([\d.]+)/)}`;
  else if (/Safari\//.test(ua) && /Version\//.test(ua))
    browser = `Safari${version(ua, /Version\/([\d.]+)/)}`;

  let os: string | null = null;
  if (/Windows NT/.test(ua)) os = 'Windows';
  else if (/iPhone|iPad|iPod/.test(ua)) os = 'iOS';
  else if (/Android/.test(ua)) os = `Android${version(ua, /Android ([\d.]+)/)}`;
  else if (/CrOS/.test(ua)) os = 'ChromeOS';
  else if (/Mac OS X|Macintosh/.test(ua)) os = 'macOS';
  else if (/Linux/.test(ua)) os = 'Linux';
  return { browser, os };
}
