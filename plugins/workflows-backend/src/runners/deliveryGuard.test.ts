import { stepIdentityOf } from './deliveryGuard';

/** A body element as QStash sends it: the step JSON in base64. */
function rawStep(step: Record<string, unknown>) {
  return {
    messageId: `msg_${JSON.stringify(step).length}`,
    body: Buffer.from(JSON.stringify(step)).toString('base64'),
    callType: 'step',
  };
}

const initial = {
  messageId: 'msg_start',
  body: Buffer.from('{}').toString('base64'),
  callType: 'step',
};

const stepHeaders = (extra: Record<string, string> = {}) =>
  new Headers({
    'upstash-workflow-runid': 'wfr_1',
    'upstash-workflow-sdk-version': '1',
    'upstash-message-id': 'msg_delivery',
    ...extra,
  });

describe('stepIdentityOf', () => {
  it('names the step after the finished ones, counting only step entries', () => {
    const body = JSON.stringify([
      initial,
      rawStep({ stepId: 1, stepName: 'a', stepType: 'Run', concurrent: 1 }),
      { messageId: 'msg_call', body: '', callType: 'toCallback' },
    ]);
    expect(stepIdentityOf(stepHeaders(), body)).toEqual({
      runId: 'wfr_1',
      stepKey: 'after-1',
    });
  });

  it('tells parallel branches apart by the plan step they carry', () => {
    const plan = (targetStep: number) =>
      rawStep({
        stepId: 0,
        stepName: `branch-${targetStep}`,
        stepType: 'Run',
        concurrent: 2,
        targetStep,
      });
    const left = stepIdentityOf(
      stepHeaders(),
      JSON.stringify([initial, plan(1)]),
    );
    const right = stepIdentityOf(
      stepHeaders(),
      JSON.stringify([initial, plan(2)]),
    );
    expect(left).toEqual({ runId: 'wfr_1', stepKey: 'after-1-branch-1' });
    expect(right).toEqual({ runId: 'wfr_1', stepKey: 'after-1-branch-2' });
  });

  it('uses the message id when the body is empty (serve fetches the steps)', () => {
    expect(stepIdentityOf(stepHeaders(), '')).toEqual({
      runId: 'wfr_1',
      stepKey: 'message-msg_delivery',
    });
  });

  it('gives the failure function and context.call results their own keys', () => {
    expect(
      stepIdentityOf(
        stepHeaders({ 'upstash-workflow-failure-callback': 'true' }),
        '{"status":500}',
      ),
    ).toEqual({ runId: 'wfr_1', stepKey: 'failure-function' });
    expect(
      stepIdentityOf(
        stepHeaders({
          'upstash-workflow-callback': 'true',
          'upstash-workflow-stepid': '3',
        }),
        '{"status":200}',
      ),
    ).toEqual({ runId: 'wfr_1', stepKey: 'call-result-3' });
  });

  it('leaves first calls alone: each one starts a new run', () => {
    expect(stepIdentityOf(new Headers(), '{"hello":"world"}')).toBeUndefined();
    expect(
      stepIdentityOf(
        new Headers({ 'upstash-workflow-runid': 'wfr_1' }),
        '{"hello":"world"}',
      ),
    ).toBeUndefined();
  });
});
