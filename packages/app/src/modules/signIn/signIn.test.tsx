import { renderInTestApp } from '@backstage/frontend-test-utils';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { ConfiguredSignInPage } from '.';
import { oidcAuthApi } from './oidcAuthApi';

// The OIDC API as the app registers it; the page itself is rendered directly,
// as the app's sign-in page would render it before anyone is signed in.
const oidcApiModule = createFrontendModule({
  pluginId: 'app',
  extensions: [oidcAuthApi],
});

function renderSignIn(config: { app?: object; [key: string]: unknown }) {
  return renderInTestApp(<ConfiguredSignInPage onSignInSuccess={jest.fn()} />, {
    config: {
      backend: { baseUrl: 'http://localhost:7007' },
      ...config,
      app: { title: 'Workflow Operations', ...config.app },
    },
    features: [oidcApiModule],
  });
}

describe('sign-in page', () => {
  const originalFetch = window.fetch;
  afterEach(() => {
    jest.restoreAllMocks();
    window.fetch = originalFetch;
  });

  it('offers guest alone when app.signIn.providers is unset', async () => {
    renderSignIn({});
    expect(await screen.findByText('Guest')).toBeInTheDocument();
    expect(screen.queryByText('Sign in with GitHub')).not.toBeInTheDocument();
  });

  it('offers the configured providers in order, the OIDC one under its title, and no guest', async () => {
    renderSignIn({
      app: {
        signIn: { providers: ['github', 'oidc'], oidc: { title: 'Okta' } },
      },
    });
    expect(await screen.findByText('Sign in with GitHub')).toBeInTheDocument();
    expect(screen.getByText('Sign in with Okta')).toBeInTheDocument();
    const github = screen.getByText('GitHub');
    const okta = screen.getByText('Okta');
    expect(
      github.compareDocumentPosition(okta) & Node.DOCUMENT_POSITION_FOLLOWING,
    ).toBeTruthy();
    expect(screen.queryByText('Guest')).not.toBeInTheDocument();
  });

  it('starts the OIDC sign-in at the backend oidc provider in the configured environment', async () => {
    // No session cookie yet: the backend answers the first refresh with 401.
    const fetch = jest.fn(async (_url: RequestInfo | URL) =>
      Response.json(
        { error: { name: 'InputError', message: 'Missing session cookie' } },
        { status: 401 },
      ),
    );
    Object.assign(window, { fetch });
    // No popup in jsdom: the URL it would open is what matters here.
    const open = jest.spyOn(window, 'open').mockReturnValue(null);
    jest.spyOn(console, 'error').mockImplementation(() => {});
    renderSignIn({
      auth: { environment: 'production' },
      backend: { baseUrl: 'http://backend.example.test' },
      app: { signIn: { providers: ['oidc'] } },
    });
    expect(
      await screen.findByText('Sign in with Single sign-on'),
    ).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: /sign in/i }));
    await waitFor(() => expect(open).toHaveBeenCalled());
    const url = new URL(String(open.mock.calls[0][0]));
    expect(url.origin + url.pathname).toBe(
      'http://backend.example.test/api/auth/oidc/start',
    );
    expect(url.searchParams.get('env')).toBe('production');
    expect(String(fetch.mock.calls[0][0])).toBe(
      'http://backend.example.test/api/auth/oidc/refresh?optional&scope=openid%20profile%20email&env=production',
    );
    expect(url.searchParams.get('scope')?.split(' ')).toEqual(
      expect.arrayContaining(['openid', 'profile', 'email']),
    );
  });
});
