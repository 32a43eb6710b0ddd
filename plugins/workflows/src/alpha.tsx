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
import ReportProblemIcon from '@mui/icons-material/ReportProblem';
import { workflowsApiRef } from './api/WorkflowsApi';
import { WorkflowsClient } from './api/WorkflowsClient';
import {
  failuresRouteRef,
  rootRouteRef,
  runRouteRef,
  workflowRouteRef,
} from './routes';

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

// The app names it page:workflows/failures, e.g. for the sidebar order.
const failuresPage = PageBlueprint.make({
  name: 'failures',
  params: {
    path: '/failures',
    title: 'Failures',
    icon: <ReportProblemIcon fontSize="inherit" />,
    routeRef: convertLegacyRouteRef(failuresRouteRef),
    noHeader: true,
    loader: () =>
      import('./components/FailuresPage').then(m =>
        compatWrapper(<m.FailuresPage />),
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
  extensions: [workflowsApi, workflowsPage, failuresPage],
  routes: convertLegacyRouteRefs({
    root: rootRouteRef,
    failures: failuresRouteRef,
    workflow: workflowRouteRef,
    run: runRouteRef,
  }),
});
