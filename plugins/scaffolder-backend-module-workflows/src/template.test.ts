import {
  createMockDirectory,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import workflowsPlugin from '@internal/plugin-workflows-backend';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { parse } from 'yaml';
import { scaffolderModuleWorkflows } from './module';

jest.setTimeout(120_000);

const ROOT = path.resolve(__dirname, '../../..');
const TEMPLATE_DIR = path.join(ROOT, 'templates/new-workflow');

function templateFiles(
  dir = TEMPLATE_DIR,
): { path: string; base64Content: string }[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return templateFiles(full);
    return [
      {
        path: path.relative(TEMPLATE_DIR, full),
        base64Content: fs.readFileSync(full).toString('base64'),
      },
    ];
  });
}

const values = {
  id: 'invoice-reminders',
  title: 'Invoice reminders',
  description: 'Reminds customers of "open" invoices',
  owner: 'group:default/billing',
  steps: ['load invoices', 'send-reminders', 'record'],
  schedule: { cron: '0 9 * * 1-5', timezone: 'Asia/Singapore' },
  requiredEnv: ['QSTASH_TOKEN', 'BILLING_API_KEY'],
  workflowUrl: 'https://jobs.example.com/api/workflows/invoice-reminders',
  destination: 'local',
};

describe('the new-workflow template', () => {
  const data = createMockDirectory();

  it('produces the workflow through the dry-run API, and its own test passes', async () => {
    const { server } = await startTestBackend({
      features: [
        scaffolderPlugin,
        scaffolderModuleWorkflows,
        workflowsPlugin,
        catalogServiceMock.factory(),
        mockServices.rootConfig.factory({
          data: {
            app: { baseUrl: 'http://portal.test' },
            workflows: { scaffolder: { localDirectory: data.path } },
          },
        }),
      ],
    });
    const template = parse(
      fs.readFileSync(path.join(TEMPLATE_DIR, 'template.yaml'), 'utf8'),
    );
    const response = await request(server)
      .post('/api/scaffolder/v2/dry-run')
      .set('Authorization', mockCredentials.user.header())
      .send({ template, values, directoryContents: templateFiles() });
    expect(response.status).toBe(200);

    const files = new Map<string, string>(
      response.body.directoryContents.map(
        (f: { path: string; base64Content: string }) => [
          f.path,
          Buffer.from(f.base64Content, 'base64').toString('utf8'),
        ],
      ),
    );
    expect([...files.keys()].sort()).toEqual([
      'README.md',
      'catalog-info.yaml',
      'package.json',
      'src/index.ts',
      'src/steps.ts',
      'src/workflow.test.ts',
      'src/workflow.ts',
      'tsconfig.json',
    ]);

    const entity = parse(files.get('catalog-info.yaml')!);
    expect(entity).toMatchObject({
      kind: 'Component',
      metadata: {
        name: 'workflow-invoice-reminders',
        title: 'Invoice reminders',
        description: 'Reminds customers of "open" invoices',
        annotations: {
          'qstash.upstash.com/workflow-id': 'invoice-reminders',
          'qstash.upstash.com/workflow-url': values.workflowUrl,
          'qstash.upstash.com/schedule': '0 9 * * 1-5 (Asia/Singapore)',
        },
      },
      spec: { type: 'workflow', owner: 'group:default/billing' },
    });
    const workflow = files.get('src/workflow.ts')!;
    expect(workflow.match(/await step\(context, /g)).toHaveLength(3);
    expect(workflow).toContain(
      'await step(context, "load invoices", steps["load invoices"]);',
    );
    expect(files.get('README.md')).toContain('At 09:00, Monday through Friday');
    expect(JSON.parse(files.get('package.json')!).name).toBe(
      'invoice-reminders',
    );

    // The dry run wrote nothing, and planned the schedule it would create.
    expect(fs.readdirSync(data.path)).toEqual([]);
    const log = JSON.stringify(response.body.log);
    expect(log).toContain('Dry run: would write the workflow to');
    expect(log).toContain(
      'Dry run: would create or update schedule workflow-invoice-reminders',
    );
    expect(response.body.output.links).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          title: 'Open in Workflows',
          url: 'http://portal.test/workflows/invoice-reminders',
        }),
      ]),
    );

    // The generated package's own test, run with jest as its package.json says.
    const out = data.resolve('generated');
    for (const [file, content] of files) {
      fs.mkdirSync(path.dirname(path.join(out, file)), { recursive: true });
      fs.writeFileSync(path.join(out, file), content);
    }
    // The repository's installed packages stand in for `npm install`.
    fs.symlinkSync(
      path.join(ROOT, 'node_modules'),
      path.join(out, 'node_modules'),
    );
    const run = spawnSync(
      process.execPath,
      [
        path.join(ROOT, 'node_modules/jest/bin/jest.js'),
        '--ci',
        '--rootDir',
        out,
      ],
      {
        cwd: out,
        encoding: 'utf8',
        env: { PATH: process.env.PATH, HOME: process.env.HOME },
      },
    );
    expect(run.stderr).toMatch(/Tests:\s+4 passed, 4 total/);
    expect(run.status).toBe(0);
  });

  it('refuses values the template does not allow', async () => {
    const { server } = await startTestBackend({
      features: [
        scaffolderPlugin,
        scaffolderModuleWorkflows,
        workflowsPlugin,
        catalogServiceMock.factory(),
      ],
    });
    const template = parse(
      fs.readFileSync(path.join(TEMPLATE_DIR, 'template.yaml'), 'utf8'),
    );
    const response = await request(server)
      .post('/api/scaffolder/v2/dry-run')
      .set('Authorization', mockCredentials.user.header())
      .send({
        template,
        values: { ...values, id: 'Not An Id' },
        directoryContents: templateFiles(),
      });
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body.errors)).toContain('id');
  });

  it('fails the dry run with the reason for a bad zone', async () => {
    const { server } = await startTestBackend({
      features: [
        scaffolderPlugin,
        scaffolderModuleWorkflows,
        workflowsPlugin,
        catalogServiceMock.factory(),
      ],
    });
    const template = parse(
      fs.readFileSync(path.join(TEMPLATE_DIR, 'template.yaml'), 'utf8'),
    );
    const response = await request(server)
      .post('/api/scaffolder/v2/dry-run')
      .set('Authorization', mockCredentials.user.header())
      .send({
        template,
        values: {
          ...values,
          schedule: { cron: '0 9 * * *', timezone: 'Mars/Olympus' },
        },
        directoryContents: templateFiles(),
      });
    expect(JSON.stringify(response.body)).toContain(
      'unknown time zone \\"Mars/Olympus\\"',
    );
  });
});
