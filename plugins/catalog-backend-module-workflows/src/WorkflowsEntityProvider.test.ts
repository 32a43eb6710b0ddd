import { HostDiscovery } from '@backstage/backend-defaults/discovery';
import { mockServices } from '@backstage/backend-test-utils';
import {
  DefaultNamespaceEntityPolicy,
  EntityPolicies,
  FieldFormatEntityPolicy,
  NoForeignRootFieldsEntityPolicy,
  SchemaValidEntityPolicy,
  componentEntityV1alpha1Validator,
  type Entity,
} from '@backstage/catalog-model';
import type { WorkflowOverview } from '@internal/plugin-workflows-common';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RecordingConnection, aWorkflow } from './__testUtils__/workflows';
import { WorkflowsApiClient } from './WorkflowsApiClient';
import { WorkflowsEntityProvider } from './WorkflowsEntityProvider';

// The checks the catalog runs on every entity before it stores it.
const catalogPolicy = EntityPolicies.allOf([
  new SchemaValidEntityPolicy(),
  new DefaultNamespaceEntityPolicy(),
  new NoForeignRootFieldsEntityPolicy(),
  new FieldFormatEntityPolicy(),
]);

async function expectCatalogAccepts(entity: Entity) {
  await expect(catalogPolicy.enforce(entity)).resolves.toBeDefined();
  await expect(componentEntityV1alpha1Validator.check(entity)).resolves.toBe(
    true,
  );
}

/**
 * Answers `GET /api/workflows/workflows` like the workflows backend: only to
 * a service token issued for the workflows plugin.
 */
class FakeWorkflowsBackend {
  workflows: WorkflowOverview[] = [];
  failWith?: number;
  private readonly auth = mockServices.auth({ pluginId: 'workflows' });
  private server?: Server;

  async start(): Promise<string> {
    this.server = createServer(async (req, res) => {
      const reply = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.method !== 'GET' || req.url !== '/api/workflows/workflows') {
        reply(404, { error: { name: 'NotFoundError', message: req.url } });
        return;
      }
      const token = req.headers.authorization?.replace(/^Bearer /, '') ?? '';
      try {
        const credentials = await this.auth.authenticate(token);
        if (!this.auth.isPrincipal(credentials, 'service')) throw new Error();
      } catch {
        reply(401, { error: { name: 'AuthenticationError', message: 'no' } });
        return;
      }
      if (this.failWith) {
        reply(this.failWith, { error: { name: 'Error', message: 'down' } });
        return;
      }
      reply(200, { items: this.workflows, totalCount: this.workflows.length });
    });
    await new Promise<void>(resolve =>
      this.server!.listen(0, '127.0.0.1', resolve),
    );
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  stop(): Promise<void> {
    return new Promise(resolve => this.server?.close(() => resolve()));
  }
}

describe('WorkflowsEntityProvider', () => {
  const backend = new FakeWorkflowsBackend();
  let baseUrl: string;
  let connection: RecordingConnection;
  let provider: WorkflowsEntityProvider;

  beforeAll(async () => {
    baseUrl = await backend.start();
  });
  afterAll(() => backend.stop());

  beforeEach(async () => {
    backend.workflows = [];
    backend.failWith = undefined;
    const discovery = HostDiscovery.fromConfig(
      mockServices.rootConfig({
        data: {
          backend: {
            baseUrl,
            listen: { host: '127.0.0.1', port: Number(new URL(baseUrl).port) },
          },
        },
      }),
    );
    provider = new WorkflowsEntityProvider({
      client: new WorkflowsApiClient({
        discovery,
        auth: mockServices.auth({ pluginId: 'catalog' }),
      }),
      appBaseUrl: 'http://portal.example.com',
      system: 'workflow-operations',
      logger: mockServices.logger.mock(),
    });
    connection = new RecordingConnection();
    await provider.connect(connection);
  });

  it('leaves registered workflows to their own catalog-info.yaml', async () => {
    backend.workflows = [
      aWorkflow(),
      aWorkflow({ id: 'scaffolded', source: 'registered' }),
    ];
    await provider.refresh();
    expect(connection.published().map(e => e.metadata.name)).toEqual([
      'workflow-cars',
    ]);
  });

  it('publishes each workflow as a Component with owner, annotations and a link to its page', async () => {
    backend.workflows = [
      aWorkflow(),
      aWorkflow({
        id: 'coe-results',
        title: 'COE results update',
        description: '',
        owner: 'group:default/data-ops',
        source: 'config',
        endpoint: 'https://jobs.example.com/workflows/coe',
        schedule: null,
      }),
    ];
    await provider.refresh();

    expect(connection.mutations).toHaveLength(1);
    expect(connection.mutations[0].type).toBe('full');
    const [cars, coe] = connection.published();
    expect(cars).toEqual({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: 'workflow-cars',
        title: 'Car registrations update',
        description: 'Monthly new registrations by make',
        annotations: {
          'qstash.upstash.com/workflow-id': 'cars',
          'qstash.upstash.com/workflow-url':
            'http://localhost:7007/api/workflows/runners/cars',
          'qstash.upstash.com/schedule': '*/60 0-10 * * 1-5 (UTC)',
          'backstage.io/managed-by-location': `url:${baseUrl}/api/workflows/workflows/cars`,
          'backstage.io/managed-by-origin-location': `url:${baseUrl}/api/workflows/workflows/cars`,
          'backstage.io/source-location':
            'url:http://portal.example.com/workflows/cars',
          'backstage.io/view-url': 'http://portal.example.com/workflows/cars',
        },
        links: [
          {
            url: 'http://portal.example.com/workflows/cars',
            title: 'Runs and schedule in Workflows',
            icon: 'dashboard',
          },
        ],
      },
      spec: {
        type: 'workflow',
        lifecycle: 'production',
        owner: 'group:default/platform',
        system: 'workflow-operations',
      },
    });
    expect(coe.metadata.name).toBe('workflow-coe-results');
    expect(coe.spec?.owner).toBe('group:default/data-ops');
    expect(coe.metadata.description).toBeUndefined();
    expect(coe.metadata.annotations).not.toHaveProperty(
      'qstash.upstash.com/schedule',
    );
    expect(coe.metadata.annotations?.['qstash.upstash.com/workflow-url']).toBe(
      'https://jobs.example.com/workflows/coe',
    );
    for (const entity of [cars, coe]) await expectCatalogAccepts(entity);
  });

  it('gives ids the catalog would refuse as names valid names of their own', async () => {
    const ids = ['Cars', 'cars', 'social.posts_v2', 'nightly-', 'x'.repeat(80)];
    backend.workflows = ids.map(id => aWorkflow({ id }));
    await provider.refresh();

    const entities = connection.published();
    const names = entities.map(e => e.metadata.name);
    expect(new Set(names).size).toBe(ids.length);
    expect(names).toContain('workflow-cars');
    expect(names).toContain('workflow-social.posts_v2');
    for (const entity of entities) await expectCatalogAccepts(entity);
    expect(
      entities.map(
        e => e.metadata.annotations?.['qstash.upstash.com/workflow-id'],
      ),
    ).toEqual(expect.arrayContaining(ids));
  });

  it('does not write to the catalog again while the workflows stay the same', async () => {
    backend.workflows = [aWorkflow()];
    await provider.refresh();
    // Runs change the stats, not the entity.
    backend.workflows = [
      aWorkflow({
        stats: {
          lastRun: {
            runId: 'wfr_1',
            status: 'succeeded',
            startedAt: '2026-11-25T01:00:00.000Z',
            finishedAt: '2026-11-25T01:00:10.000Z',
          },
          nextRunAt: '2026-11-25T02:00:00.000Z',
          runs7d: 1,
          successRate7d: 1,
          p50DurationMs7d: 10_000,
        },
        updatedAt: '2026-11-25T01:00:10.000Z',
      }),
    ];
    await provider.refresh();
    expect(connection.mutations).toHaveLength(1);
  });

  it('publishes the changed entity when a workflow changes', async () => {
    backend.workflows = [aWorkflow()];
    await provider.refresh();
    backend.workflows = [
      aWorkflow({
        owner: 'group:default/data-ops',
        schedule: { cron: '0 8 * * *', timezone: 'Asia/Singapore' },
      }),
    ];
    await provider.refresh();

    expect(connection.mutations).toHaveLength(2);
    const [cars] = connection.published();
    expect(cars.spec?.owner).toBe('group:default/data-ops');
    expect(cars.metadata.annotations?.['qstash.upstash.com/schedule']).toBe(
      '0 8 * * * (Asia/Singapore)',
    );
  });

  it('leaves a removed workflow out of the next full mutation, so it leaves the catalog', async () => {
    backend.workflows = [aWorkflow(), aWorkflow({ id: 'coe' })];
    await provider.refresh();
    backend.workflows = [aWorkflow({ id: 'coe' })];
    await provider.refresh();

    expect(connection.mutations).toHaveLength(2);
    expect(connection.mutations[1].type).toBe('full');
    expect(connection.published().map(e => e.metadata.name)).toEqual([
      'workflow-coe',
    ]);
  });

  it('keeps the catalog as it is while the workflows API fails, and catches up after', async () => {
    backend.workflows = [aWorkflow()];
    await provider.refresh();
    backend.failWith = 503;
    backend.workflows = [];
    await expect(provider.refresh()).rejects.toThrow(/503/);
    expect(connection.mutations).toHaveLength(1);

    backend.failWith = undefined;
    await provider.refresh();
    expect(connection.mutations).toHaveLength(2);
    expect(connection.published()).toEqual([]);
  });

  it('refuses an answer in another shape instead of emptying the catalog', async () => {
    backend.workflows = [aWorkflow()];
    await provider.refresh();
    // A backend answering outside the schema: the type is broken on purpose.
    backend.workflows = [{ ...aWorkflow(), owner: 42 } as any];
    await expect(provider.refresh()).rejects.toThrow(
      'Unexpected response from GET /workflows: items.0.owner',
    );
    expect(connection.mutations).toHaveLength(1);
  });
});
