/** Escapes LIKE's wildcards so a search for "50%" finds "50%", not everything starting with 50. */
export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}
