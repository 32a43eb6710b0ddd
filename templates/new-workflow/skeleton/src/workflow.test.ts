import { failureFunction, runWorkflow, STEP_NAMES, Steps } from './workflow';

/** A context that runs each step at once, as QStash would on the first try. */
function fakeContext() {
  const ran: string[] = [];
  return {
    ran,
    context: {
      run: async <T>(name: string, work: () => Promise<T> | T) => {
        ran.push(name);
        return work();
      },
    } as any,
  };
}

function recordingSteps(done: string[]): Steps {
  return Object.fromEntries(
    STEP_NAMES.map(name => [
      name,
      async () => {
        done.push(name);
      },
    ]),
  ) as Steps;
}

describe('${{ values.id }}', () => {
  const env = process.env;
  beforeEach(() => {
    process.env = { ...env };
    for (const name of ${{ values.requiredEnv | dump }}) {
      process.env[name] = 'set-for-the-test';
    }
  });
  afterAll(() => {
    process.env = env;
  });

  it('runs every step once, in order, each inside context.run', async () => {
    const { context, ran } = fakeContext();
    const done: string[] = [];
    await runWorkflow(context, recordingSteps(done));
    expect(ran).toEqual([...STEP_NAMES]);
    expect(done).toEqual([...STEP_NAMES]);
  });

  it('logs a failed step with its name and re-throws, so QStash retries it', async () => {
    const { context, ran } = fakeContext();
    const failing = STEP_NAMES[0];
    const steps = {
      ...recordingSteps([]),
      [failing]: async () => {
        throw new Error('upstream is down');
      },
    };
    const log = jest.spyOn(console, 'error').mockImplementation(() => {});
    await expect(runWorkflow(context, steps)).rejects.toThrow(
      'upstream is down',
    );
    expect(ran).toEqual([failing]);
    expect(log).toHaveBeenCalledWith(
      `Step "${failing}" failed:`,
      expect.any(Error),
    );
    log.mockRestore();
  });

  it('refuses to run without its environment variables', async () => {
    const required: string[] = ${{ values.requiredEnv | dump }};
    if (required.length === 0) return;
    delete process.env[required[0]];
    const { context, ran } = fakeContext();
    await expect(runWorkflow(context, recordingSteps([]))).rejects.toThrow(
      required[0],
    );
    expect(ran).toEqual([]);
  });

  it('logs a run that failed for good', async () => {
    const log = jest.spyOn(console, 'error').mockImplementation(() => {});
    await failureFunction({
      context: { workflowRunId: 'wfr_1' },
      failStatus: 500,
      failResponse: 'upstream is down',
    });
    expect(log).toHaveBeenCalledWith(
      expect.stringContaining('run wfr_1 failed (500): upstream is down'),
    );
    log.mockRestore();
  });
});
