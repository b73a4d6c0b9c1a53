/** One file field of a multipart/form-data body. */
export interface MultipartFile {
  filename: string;
  contentType: string | undefined;
  data: Buffer;
}

/** The boundary of a `multipart/form-data; boundary=…` content type, or null. */
export function multipartBoundary(contentType: string | undefined): string | null {
  if (!contentType || !/^multipart\/form-data\s*;/i.test(contentType)) return null;
  const match = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(contentType);
  return match?.[1] ?? match?.[2] ?? null;
}

/**
 * The first part of a multipart/form-data body that carries a file (a `filename` in its
 * Content-Disposition). The body is already in memory and bounded by the upload limit, so a
 * plain scan is enough; returns null when there is no such part or the body is malformed.
 */
export function firstMultipartFile(body: Buffer, boundary: string): MultipartFile | null {
  const delimiter = Buffer.from(`--${boundary}`);
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    const headersStart = start + delimiter.length;
    // "--" after the delimiter closes the body.
    if (body.subarray(headersStart, headersStart + 2).toString() === '--') return null;
    const headersEnd = body.indexOf('\r\n\r\n', headersStart);
    if (headersEnd === -1) return null;
    const next = body.indexOf(Buffer.from(`\r\n--${boundary}`), headersEnd + 4);
    if (next === -1) return null;
    const headers = body.subarray(headersStart, headersEnd).toString('utf8');
    const disposition = /^content-disposition:(.*)$/im.exec(headers)?.[1] ?? '';
    const filename = filenameOf(disposition);
    if (filename !== null) {
      return {
        filename,
        contentType: /^content-type:\s*(.*)$/im.exec(headers)?.[1]?.trim(),
        data: body.subarray(headersEnd + 4, next),
      };
    }
    start = next + 2;
  }
  return null;
}

function filenameOf(disposition: string): string | null {
  const extended = /filename\*\s*=\s*UTF-8''([^;\s]+)/i.exec(disposition)?.[1];
  if (extended) {
    try {
      return decodeURIComponent(extended);
    } catch {
      // fall through to the plain parameter
    }
  }
  const quoted = /filename\s*=\s*"((?:[^"\\]|\\.)*)"/i.exec(disposition)?.[1];
  if (quoted !== undefined) return quoted.replace(/\\(.)/g, '$1');
  const plain = /filename\s*=\s*([^;\s]+)/i.exec(disposition)?.[1];
  return plain ?? null;
}
