import {
  compatWrapper,
  convertLegacyRouteRef,
  convertLegacyRouteRefs,
} from '@backstage/core-compat-api';
import {
  ApiBlueprint,
  PageBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import AccountTreeIcon from '@mui/icons-material/AccountTree';
import { workflowsApiRef } from './api/WorkflowsApi';
import { WorkflowsClient } from './api/WorkflowsClient';
import { rootRouteRef, runRouteRef, workflowRouteRef } from './routes';

const workflowsApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: workflowsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new WorkflowsClient(deps),
    }),
});

const workflowsPage = PageBlueprint.make({
  params: {
    path: '/workflows',
    title: 'Workflows',
    icon: <AccountTreeIcon fontSize="inherit" />,
    routeRef: convertLegacyRouteRef(rootRouteRef),
    noHeader: true,
    loader: () =>
      import('./components/WorkflowsRouter').then(m =>
        compatWrapper(<m.WorkflowsRouter />),
      ),
  },
});

/**
 * The workflows plugin for apps on the new frontend system.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'workflows',
  extensions: [workflowsApi, workflowsPage],
  routes: convertLegacyRouteRefs({
    root: rootRouteRef,
    workflow: workflowRouteRef,
    run: runRouteRef,
  }),
});
