import { parseMessageConfig } from './parseMessageConfig';

describe('parseMessageConfig', () => {
  it('reads the publish headers into a message configuration', () => {
    const config = parseMessageConfig('https://example.com/hook?a=1', {
      'content-type': 'application/json',
      'upstash-method': 'put',
      'upstash-delay': '1m30s',
      'upstash-retries': '5',
      'upstash-retry-delay': '1000 * retried',
      'upstash-timeout': '30s',
      'upstash-label': 'billing, nightly',
      'upstash-forward-x-tenant': 'acme',
      'upstash-forward-content-length': '12',
      'upstash-callback': 'https://example.com/cb',
      'upstash-callback-forward-x-cb': 'yes',
      'upstash-callback-retries': '1',
      'upstash-flow-control-key': 'billing',
      'upstash-flow-control-value': 'parallelism=2, rate=10, period=1m',
      'upstash-redact-fields': 'body, header[X-Tenant]',
      'upstash-telemetry-sdk': 'ignored',
    });
    expect(config).toEqual({
      url: 'https://example.com/hook?a=1',
      method: 'PUT',
      contentType: 'application/json',
      // Connection-level headers such as Content-Length are never forwarded.
      forwardHeaders: [['x-tenant', 'acme']],
      retries: 5,
      retryDelayExpression: '1000 * retried',
      timeoutMs: 30_000,
      delayMs: 90_000,
      notBeforeMs: undefined,
      callback: {
        url: 'https://example.com/cb',
        headers: { 'upstash-forward-x-cb': 'yes', 'upstash-retries': '1' },
      },
      failureCallback: undefined,
      labels: ['billing', 'nightly'],
      deduplicationId: undefined,
      contentBasedDeduplication: false,
      flowControl: {
        key: 'billing',
        parallelism: 2,
        rate: 10,
        periodSeconds: 60,
      },
      redact: { body: true, allHeaders: false, headers: ['x-tenant'] },
      workflow: undefined,
    });
  });

  it('recognises workflow messages', () => {
    const config = parseMessageConfig('http://app/wf', {
      'upstash-workflow-runid': 'wfr_abc',
      'upstash-workflow-init': 'true',
      'upstash-workflow-url': 'http://app/wf',
    });
    expect(config.workflow).toEqual({
      runId: 'wfr_abc',
      init: true,
      workflowUrl: 'http://app/wf',
      callType: 'step',
    });
  });

  it.each([
    [
      {
        'upstash-flow-control-key': 'k',
        'upstash-flow-control-value': 'speed=3',
      },
      /Upstash-Flow-Control-Value.*unknown setting "speed"/,
    ],
    [
      { 'upstash-redact-fields': 'everything' },
      /Upstash-Redact-Fields.*unknown field "everything"/,
    ],
    [
      {
        'upstash-workflow-calltype': 'other',
        'upstash-workflow-runid': 'wfr_x',
      },
      /Upstash-Workflow-Calltype/,
    ],
    [
      { 'upstash-content-based-deduplication': 'yes' },
      /Upstash-Content-Based-Deduplication/,
    ],
  ])('rejects %j', (headers, reason) => {
    expect(() => parseMessageConfig('https://example.com', headers)).toThrow(
      reason,
    );
  });
});
