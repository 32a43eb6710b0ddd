import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import scaffolderPlugin from '@backstage/plugin-scaffolder/alpha';
import userSettingsPlugin from '@backstage/plugin-user-settings/alpha';
import workflowsPlugin from '@internal/plugin-workflows/alpha';
import { homeModule } from './modules/home';
import { navModule } from './modules/nav';
import { scaffolderFieldsModule } from './modules/scaffolder';
import { signInModule } from './modules/signIn';

/** The portal's pages and navigation; the tests render the same list, signed in. */
export const appFeatures = [
  catalogPlugin,
  scaffolderPlugin,
  scaffolderFieldsModule,
  userSettingsPlugin,
  workflowsPlugin,
  homeModule,
  navModule,
];

export default createApp({ features: [...appFeatures, signInModule] });
