/**
 * Calendar days as date inputs give them (YYYY-MM-DD), read in the reader's
 * own time zone: a filter "from 3 March to 5 March" means those local days.
 */

/** A local calendar day as YYYY-MM-DD. */
export function localDay(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/**
 * Local midnight of a calendar day, as a timestamp for chart axes: a UTC day
 * from the API is labelled as that same date, whatever the reader's time zone.
 */
export function localMidnight(day: string): number {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d).getTime();
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
