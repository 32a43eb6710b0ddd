import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { HttpResponse, http } from 'msw';
import { createHash, randomUUID } from 'node:crypto';

export interface OidcUser {
  sub: string;
  email: string;
  name: string;
}

interface PendingCode {
  user: OidcUser;
  nonce: string;
  codeChallenge: string | null;
  redirectUri: string;
}

/**
 * A stand-in for the organisation's identity provider, served through msw:
 * discovery, JWKS, an authorization step the test completes for a chosen
 * user, the token endpoint (code with PKCE, refresh) and userinfo. It checks
 * what a real provider checks (client secret, redirect URI, PKCE verifier),
 * so a backend that skips a step fails here.
 */
export async function createFakeOidcIssuer(options: {
  issuer: string;
  clientId: string;
  clientSecret: string;
}) {
  const { issuer, clientId, clientSecret } = options;
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256' };
  const codes = new Map<string, PendingCode>();
  const refreshTokens = new Map<string, OidcUser>();
  const accessTokens = new Map<string, OidcUser>();
  const tokenRequests: URLSearchParams[] = [];

  async function tokensFor(user: OidcUser, nonce?: string) {
    const accessToken = randomUUID();
    const refreshToken = randomUUID();
    accessTokens.set(accessToken, user);
    refreshTokens.set(refreshToken, user);
    const now = Math.floor(Date.now() / 1000);
    const idToken = await new SignJWT({
      ...(nonce ? { nonce } : {}),
      email: user.email,
    })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(issuer)
      .setSubject(user.sub)
      .setAudience(clientId)
      .setIssuedAt(now)
      .setExpirationTime(now + 300)
      .sign(privateKey);
    return {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: 3600,
      refresh_token: refreshToken,
      id_token: idToken,
      scope: 'openid profile email',
    };
  }

  const handlers = [
    http.get(`${issuer}/.well-known/openid-configuration`, () =>
      HttpResponse.json({
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        userinfo_endpoint: `${issuer}/userinfo`,
        jwks_uri: `${issuer}/jwks`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
        token_endpoint_auth_methods_supported: ['client_secret_basic'],
        code_challenge_methods_supported: ['S256'],
      }),
    ),
    http.get(`${issuer}/jwks`, () => HttpResponse.json({ keys: [jwk] })),
    http.post(`${issuer}/token`, async ({ request }) => {
      const expected = `Basic ${Buffer.from(
        `${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`,
      ).toString('base64')}`;
      if (request.headers.get('authorization') !== expected) {
        return HttpResponse.json({ error: 'invalid_client' }, { status: 401 });
      }
      const form = new URLSearchParams(await request.text());
      tokenRequests.push(form);
      if (form.get('grant_type') === 'authorization_code') {
        const pending = codes.get(form.get('code') ?? '');
        codes.delete(form.get('code') ?? '');
        const verifier = form.get('code_verifier');
        const challengeOk =
          pending?.codeChallenge === null ||
          (verifier !== null &&
            createHash('sha256').update(verifier).digest('base64url') ===
              pending?.codeChallenge);
        if (
          !pending ||
          pending.redirectUri !== form.get('redirect_uri') ||
          !challengeOk
        ) {
          return HttpResponse.json({ error: 'invalid_grant' }, { status: 400 });
        }
        return HttpResponse.json(await tokensFor(pending.user, pending.nonce));
      }
      if (form.get('grant_type') === 'refresh_token') {
        const user = refreshTokens.get(form.get('refresh_token') ?? '');
        if (!user) {
          return HttpResponse.json({ error: 'invalid_grant' }, { status: 400 });
        }
        return HttpResponse.json(await tokensFor(user));
      }
      return HttpResponse.json(
        { error: 'unsupported_grant_type' },
        { status: 400 },
      );
    }),
    http.get(`${issuer}/userinfo`, ({ request }) => {
      const token = request.headers
        .get('authorization')
        ?.replace(/^Bearer /, '');
      const user = token ? accessTokens.get(token) : undefined;
      if (!user) return new HttpResponse(null, { status: 401 });
      return HttpResponse.json({
        sub: user.sub,
        email: user.email,
        email_verified: true,
        name: user.name,
      });
    }),
  ];

  return {
    handlers,
    tokenRequests,
    /**
     * The provider's login and consent, done for `user`: takes the
     * authorization URL the backend redirected to and gives the query the
     * provider sends back to the redirect URI.
     */
    authorize(authorizationUrl: string, user: OidcUser) {
      const url = new URL(authorizationUrl);
      if (!authorizationUrl.startsWith(`${issuer}/authorize?`)) {
        throw new Error(`not an authorization request: ${authorizationUrl}`);
      }
      const q = url.searchParams;
      if (
        q.get('client_id') !== clientId ||
        q.get('response_type') !== 'code'
      ) {
        throw new Error(`unexpected authorization request: ${url.search}`);
      }
      const scopes = (q.get('scope') ?? '').split(' ');
      for (const scope of ['openid', 'profile', 'email']) {
        if (!scopes.includes(scope)) throw new Error(`scope ${scope} missing`);
      }
      const code = randomUUID();
      codes.set(code, {
        user,
        nonce: q.get('nonce') ?? '',
        codeChallenge: q.get('code_challenge'),
        redirectUri: q.get('redirect_uri') ?? '',
      });
      return {
        redirectUri: q.get('redirect_uri') ?? '',
        query: { code, state: q.get('state') ?? '' },
      };
    },
  };
}
