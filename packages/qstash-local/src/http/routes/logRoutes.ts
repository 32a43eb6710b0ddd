import { Router } from 'express';
import { LOG_STATES } from '../../store/logStore';
import { ApiContext } from '../apiContext';
import { parseQuery, query } from '../queryParams';

const IN_PROGRESS_STATES = ['ACTIVE', 'RETRY', 'ERROR'];

/** `IN_PROGRESS` is a filter-only state covering the states of unfinished attempts. */
function statesFor(state: string | undefined): string[] | undefined {
  if (state === undefined) return undefined;
  return state === 'IN_PROGRESS' ? IN_PROGRESS_STATES : [state];
}

/** Message logs: `/v2/logs` (documented, key `logs`) and `/v2/events` (SDK, key `events`). */
export function logRoutes(ctx: ApiContext): Router {
  const router = Router();

  const list = (raw: unknown) => {
    const q = parseQuery(raw, {
      cursor: query.cursor(),
      messageId: query.ids(),
      messageIds: query.ids(),
      state: query.oneOf([...LOG_STATES, 'IN_PROGRESS']),
      url: query.texts(),
      host: query.texts(),
      path: query.texts(),
      topicName: query.ids(),
      queueName: query.ids(),
      scheduleId: query.ids(),
      label: query.ids(),
      flowControlKey: query.ids(),
      callerIp: query.texts(),
      fromDate: query.time(),
      toDate: query.time(),
      count: query.count(1000),
    });
    const messageIds = [...(q.messageId ?? []), ...(q.messageIds ?? [])];
    return ctx.stores.logs.list(
      {
        messageIds: messageIds.length ? messageIds : undefined,
        states: statesFor(q.state),
        urls: q.url,
        hosts: q.host,
        paths: q.path,
        scheduleIds: q.scheduleId,
        labels: q.label,
        flowControlKeys: q.flowControlKey,
        callerIps: q.callerIp,
        queueNames: q.queueName,
        topicNames: q.topicName,
        fromDate: q.fromDate,
        toDate: q.toDate,
      },
      q.count ?? 100,
      q.cursor,
    );
  };

  router.get('/v2/logs', (req, res) => {
    const page = list(req.query);
    res.json({
      ...(page.cursor ? { cursor: page.cursor } : {}),
      logs: page.entries,
    });
  });

  router.get('/v2/events', (req, res) => {
    const page = list(req.query);
    res.json({
      ...(page.cursor ? { cursor: page.cursor } : {}),
      events: page.entries,
    });
  });

  return router;
}
