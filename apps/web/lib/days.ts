/**
 * Calendar days as date inputs give them (YYYY-MM-DD), read in the reader's
 * own time zone: a filter "from 3 March to 5 March" means those local days.
 */

/** A local calendar day as YYYY-MM-DD. */
export function localDay(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** A range with an end missing is valid; with both, "from" must not come after "to". */
export function isRangeValid(range: { from?: string; to?: string }): boolean {
  return !range.from || !range.to || range.from <= range.to;
}

/** The first millisecond of a local day, as an instant for the API. */
export function dayStart(day: string): string {
  return new Date(`${day}T00:00:00`).toISOString();
}

/** The last millisecond of a local day, as an instant for the API. */
export function dayEnd(day: string): string {
  return new Date(`${day}T23:59:59.999`).toISOString();
}
