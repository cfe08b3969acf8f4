import { apiResponse } from './http';
import type { QueryValue } from './url';

/** The name the server gave the file (Content-Disposition), or the fallback. */
function filenameOf(res: Response, fallback: string): string {
  const header = res.headers.get('content-disposition') ?? '';
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(header)?.[1];
  if (encoded) {
    try {
      return decodeURIComponent(encoded);
    } catch {
      // A malformed name is no reason to lose the file.
    }
  }
  return /filename="?([^";]+)"?/i.exec(header)?.[1] ?? fallback;
}

/**
 * Fetches a file from the API with the session's bearer token (a plain link
 * would carry no token) and hands it to the browser to save.
 */
export async function downloadFile(
  path: string,
  options: {
    query?: Record<string, QueryValue>;
    params?: Record<string, string>;
    accept: string;
    fallbackName: string;
  },
): Promise<void> {
  const res = await apiResponse(path, { query: options.query, params: options.params, accept: options.accept });
  const blob = await res.blob();
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filenameOf(res, options.fallbackName);
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  // Not at once: some browsers start reading the URL only after click() has returned.
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}
