import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import userSettingsPlugin from '@backstage/plugin-user-settings/alpha';
import workflowsPlugin from '@internal/plugin-workflows/alpha';
import { navModule } from './modules/nav';
import { signInModule } from './modules/signIn';

export default createApp({
  features: [
    catalogPlugin,
    userSettingsPlugin,
    workflowsPlugin,
    navModule,
    signInModule,
  ],
});
