import {
  createFrontendModule,
  PageBlueprint,
  useAppNavigate,
  useRouteRef,
} from '@backstage/frontend-plugin-api';
import workflowsPlugin from '@internal/plugin-workflows/alpha';
import { useEffect } from 'react';

/** The portal has no home page of its own: `/`, where sign-in lands, opens Workflows. */
function HomeRedirect() {
  const navigate = useAppNavigate();
  const workflowsPath = useRouteRef(workflowsPlugin.routes.root)?.();

  useEffect(() => {
    if (workflowsPath) navigate(workflowsPath, { replace: true });
  }, [workflowsPath, navigate]);

  return null;
}

const homePage = PageBlueprint.make({
  name: 'home',
  params: {
    path: '/',
    noHeader: true,
    loader: async () => <HomeRedirect />,
  },
});

export const homeModule = createFrontendModule({
  pluginId: 'app',
  extensions: [homePage],
});
