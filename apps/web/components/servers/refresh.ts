/** The monitor checks every minute; polling at half that keeps what is shown at most one check behind. */
export const SERVERS_REFRESH_MS = 30_000;
