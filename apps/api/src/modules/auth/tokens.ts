import { createHash, randomBytes } from 'node:crypto';
import { SignJWT, errors as joseErrors, jwtVerify } from 'jose';
import { AppError } from '../../lib/errors.js';

const ISSUER = 'uni-manager';
const AUDIENCE = 'uni-manager-api';

export interface AccessClaims {
  userId: string;
  sessionId: string;
  /** Set on verified tokens; ignored when signing (the TTL decides). */
  expiresAt?: Date;
}

export function createTokenService(opts: { secret: string; accessTtlSeconds: number }) {
  const key = new TextEncoder().encode(opts.secret);
  return {
    async signAccess(claims: AccessClaims, now: Date): Promise<{ token: string; expiresAt: Date }> {
      const iat = Math.floor(now.getTime() / 1000);
      const exp = iat + opts.accessTtlSeconds;
      const token = await new SignJWT({ sid: claims.sessionId })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(claims.userId)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt(iat)
        .setExpirationTime(exp)
        .sign(key);
      return { token, expiresAt: new Date(exp * 1000) };
    },
    async verifyAccess(token: string, now: Date): Promise<AccessClaims> {
      try {
        const { payload } = await jwtVerify(token, key, {
          issuer: ISSUER,
          audience: AUDIENCE,
          algorithms: ['HS256'],
          currentDate: now,
        });
        if (typeof payload.sub !== 'string' || typeof payload.sid !== 'string') throw new Error('claims');
        return {
          userId: payload.sub,
          sessionId: payload.sid,
          ...(payload.exp ? { expiresAt: new Date(payload.exp * 1000) } : {}),
        };
      } catch (e) {
        if (e instanceof joseErrors.JWTExpired)
          throw new AppError('TOKEN_EXPIRED', 'Your session token has expired; refresh it');
        throw new AppError('UNAUTHENTICATED', 'The access token is invalid');
      }
    },
  };
}
export type TokenService = ReturnType<typeof createTokenService>;

/** 256 random bits: the refresh token the client holds. */
export function newRefreshToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
