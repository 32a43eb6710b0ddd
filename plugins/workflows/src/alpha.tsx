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
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import AccountTreeIcon from '@mui/icons-material/AccountTree';
import MonitorHeartIcon from '@mui/icons-material/MonitorHeart';
import ReportProblemIcon from '@mui/icons-material/ReportProblem';
import ScheduleIcon from '@mui/icons-material/Schedule';
import { workflowsApiRef } from './api/WorkflowsApi';
import { WorkflowsClient } from './api/WorkflowsClient';
import { isWorkflowAvailable } from './components/EntityWorkflowContent/isWorkflowAvailable';
import {
  failuresRouteRef,
  healthRouteRef,
  rootRouteRef,
  runRouteRef,
  schedulesRouteRef,
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

// The app names it page:workflows/schedules, e.g. for the sidebar order.
const schedulesPage = PageBlueprint.make({
  name: 'schedules',
  params: {
    path: '/schedules',
    title: 'Schedules',
    icon: <ScheduleIcon fontSize="inherit" />,
    routeRef: convertLegacyRouteRef(schedulesRouteRef),
    noHeader: true,
    loader: () =>
      import('./components/SchedulesPage').then(m =>
        compatWrapper(<m.SchedulesPage />),
      ),
  },
});

// The app names it page:workflows/health, e.g. for the sidebar order.
const healthPage = PageBlueprint.make({
  name: 'health',
  params: {
    path: '/health',
    title: 'Health',
    icon: <MonitorHeartIcon fontSize="inherit" />,
    routeRef: convertLegacyRouteRef(healthRouteRef),
    noHeader: true,
    loader: () =>
      import('./components/HealthPage').then(m =>
        compatWrapper(<m.HealthPage />),
      ),
  },
});

// The Workflow tab on the catalog page of every entity that names a workflow.
const entityWorkflowContent = EntityContentBlueprint.make({
  params: {
    path: 'workflow',
    title: 'Workflow',
    filter: isWorkflowAvailable,
    loader: () =>
      import('./components/EntityWorkflowContent').then(m =>
        compatWrapper(<m.EntityWorkflowContent />),
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
  extensions: [
    workflowsApi,
    workflowsPage,
    failuresPage,
    schedulesPage,
    healthPage,
    entityWorkflowContent,
  ],
  routes: convertLegacyRouteRefs({
    root: rootRouteRef,
    failures: failuresRouteRef,
    schedules: schedulesRouteRef,
    health: healthRouteRef,
    workflow: workflowRouteRef,
    run: runRouteRef,
  }),
});
