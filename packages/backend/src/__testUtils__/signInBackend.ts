import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { userInfoServiceFactory } from '@backstage/backend-defaults/userInfo';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { type Entity } from '@backstage/catalog-model';
import authPlugin from '@backstage/plugin-auth-backend';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import permissionPlugin from '@backstage/plugin-permission-backend';
import type request from 'supertest';
import workflowOperatorsPolicy from '../permissionPolicy';
import { signInProviderModules } from '../signInProviders';

type ConfigData = NonNullable<
  Parameters<typeof mockServices.rootConfig.factory>[0]
>['data'];

/**
 * The auth and permission backends with the portal's sign-in modules and
 * operator policy, real tokens, and `entities` as the catalog.
 */
export async function startSignInBackend(
  config: ConfigData,
  entities: Entity[],
) {
  const backend = await startTestBackend({
    features: [
      mockServices.rootConfig.factory({ data: config }),
      // Real tokens: the permission backend verifies what auth issued.
      authServiceFactory,
      httpAuthServiceFactory,
      userInfoServiceFactory,
      catalogServiceMock.factory({ entities }),
      authPlugin,
      signInProviderModules,
      permissionPlugin,
      workflowOperatorsPolicy,
    ],
  });
  return backend.server;
}

/** The message the sign-in popup posts back to the app. */
export function popupMessage(html: string) {
  const match = html.match(
    /var authResponse = decodeURIComponent\('([^']*)'\)/,
  );
  if (!match) throw new Error(`not a sign-in popup response: ${html}`);
  return JSON.parse(decodeURIComponent(match[1]));
}

export type Cookies = Map<string, string>;

/** Keeps the cookies a response sets, the last of each name winning as in a browser. */
export function keepCookies(cookies: Cookies, response: request.Response) {
  const setCookie = response.headers['set-cookie'] as unknown;
  for (const line of Array.isArray(setCookie) ? setCookie : []) {
    const [pair] = String(line).split(';');
    const at = pair.indexOf('=');
    cookies.set(pair.slice(0, at), pair.slice(at + 1));
  }
}

export const cookieHeader = (cookies: Cookies) =>
  [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
