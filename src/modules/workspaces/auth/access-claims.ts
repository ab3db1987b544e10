export interface AccessClaims {
  sub?: string;
  typ?: string;
  exp?: number;
  /** The session (refresh family) the token was issued for; a signed-out session's tokens are refused. */
  sid?: string;
}

/**
 * An access token names its person, says it is one, and expires: jsonwebtoken accepts a token
 * without `exp` as valid forever, so a leaked or hand-signed one must not pass.
 */
export const isAccessToken = (p: AccessClaims): p is AccessClaims & { sub: string } =>
  !!p.sub && p.typ === 'access' && typeof p.exp === 'number';
