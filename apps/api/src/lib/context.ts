import type { Role } from '@uni-manager/contracts';

/** Who is acting, as established by the auth plugin for this request. */
export interface Actor {
  userId: string;
  sessionId: string;
  email: string;
  role: Role;
  /** When the access token this request was made with expires (long-lived streams end then). */
  tokenExpiresAt?: Date;
}

/** Where a request came from: recorded with every audit entry it causes. */
export interface RequestMeta {
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
}
