import { Request, Router } from 'express';
import { notFound } from '../../errors';
import { dlqMessageView } from '../../messages/views';
import { DlqEntry, DlqFilter } from '../../store/dlqStore';
import { ApiContext } from '../apiContext';
import { withOverrides } from '../overrideHeaders';
import { parseQuery, query } from '../queryParams';
import { idParam, requestHeaders } from '../requestParts';
import { workflowDlqFilterQuery, workflowDlqFilter } from './workflowDlqRoutes';

const MAX_PAGE = 100;

const filterShape = {
  dlqIds: query.ids(),
  messageId: query.ids(),
  url: query.texts(),
  topicName: query.ids(),
  scheduleId: query.ids(),
  queueName: query.ids(),
  fromDate: query.time(),
  toDate: query.time(),
  responseStatus: query.integers(),
  callerIp: query.texts(),
  label: query.ids(),
  flowControlKey: query.ids(),
};

function dlqFilter(req: Request): {
  filter: DlqFilter;
  count: number;
  cursor?: number;
} {
  const q = parseQuery(req.query, {
    ...filterShape,
    count: query.count(MAX_PAGE),
    cursor: query.cursor(),
  });
  return {
    filter: {
      dlqIds: q.dlqIds,
      messageIds: q.messageId,
      urls: q.url,
      scheduleIds: q.scheduleId,
      labels: q.label,
      flowControlKeys: q.flowControlKey,
      callerIps: q.callerIp,
      responseStatuses: q.responseStatus,
      queueNames: q.queueName,
      topicNames: q.topicName,
      fromDate: q.fromDate,
      toDate: q.toDate,
    },
    count: q.count ?? MAX_PAGE,
    cursor: q.cursor,
  };
}

/** The QStash dead letter queue. */
export function dlqRoutes(ctx: ApiContext): Router {
  const router = Router();

  /**
   * Entries a bulk call works on, plus the cursor for the rest. Named ids
   * select the known ones (other filters are then ignored); no ids and no
   * filter select the whole queue, page by page, as `{ all: true }` asks.
   */
  const selectEntries = (
    req: Request,
  ): { entries: DlqEntry[]; cursor?: string; requested?: number } => {
    const { filter, count, cursor } = dlqFilter(req);
    if (filter.dlqIds?.length) {
      const ids = [...new Set(filter.dlqIds)];
      const entries = ids.flatMap(dlqId => ctx.stores.dlq.get(dlqId) ?? []);
      return { entries, requested: ids.length };
    }
    return ctx.stores.dlq.list(filter, count, cursor);
  };

  const retry = (entry: DlqEntry, headers: Record<string, string>) => {
    const { messageId } = ctx.publisher.publish({
      config: withOverrides(entry.config, headers),
      body: entry.body,
      context: { callerIp: entry.callerIp, scheduleId: entry.scheduleId },
    });
    ctx.stores.dlq.delete(entry.dlqId);
    return { messageId };
  };

  router.get('/v2/dlq', (req, res) => {
    // The workflow SDK lists its DLQ here with `source=workflow`.
    if (req.query.source === 'workflow') {
      const q = parseQuery(req.query, {
        ...workflowDlqFilterQuery,
        count: query.count(MAX_PAGE),
        cursor: query.cursor(),
      });
      res.json(
        ctx.workflowDlq.list(
          workflowDlqFilter(q),
          q.count ?? MAX_PAGE,
          q.cursor,
        ),
      );
      return;
    }
    const { filter, count, cursor } = dlqFilter(req);
    const page = ctx.stores.dlq.list(filter, count, cursor);
    res.json({
      messages: page.entries.map(dlqMessageView),
      ...(page.cursor ? { cursor: page.cursor } : {}),
    });
  });

  router.delete('/v2/dlq', (req, res) => {
    const page = selectEntries(req);
    for (const entry of page.entries) ctx.stores.dlq.delete(entry.dlqId);
    res.json({
      deleted: page.entries.length,
      ...(page.cursor ? { cursor: page.cursor } : {}),
    });
  });

  router.get('/v2/dlq/:dlqId', (req, res) => {
    const dlqId = idParam(req, 'dlqId');
    const entry = ctx.stores.dlq.get(dlqId);
    if (!entry) throw notFound(`DLQ message ${dlqId} not found`);
    res.json(dlqMessageView(entry));
  });

  router.delete('/v2/dlq/:dlqId', (req, res) => {
    const dlqId = idParam(req, 'dlqId');
    if (!ctx.stores.dlq.delete(dlqId))
      throw notFound(`DLQ message ${dlqId} not found`);
    res.status(200).end();
  });

  router.post('/v2/dlq/retry/:dlqId', (req, res) => {
    const dlqId = idParam(req, 'dlqId');
    const entry = ctx.stores.dlq.get(dlqId);
    if (!entry) throw notFound(`DLQ message ${dlqId} not found`);
    res.status(201).json(retry(entry, requestHeaders(req)));
  });

  router.post('/v2/dlq/retry', (req, res) => {
    const page = selectEntries(req);
    // The spec's 404 ("some messages were not found") when none of the ids is known.
    if (page.requested && page.entries.length === 0) {
      throw notFound('none of the given DLQ messages were found');
    }
    const headers = requestHeaders(req);
    const responses = ctx.stores.transaction(() =>
      page.entries.map(entry => retry(entry, headers)),
    );
    // An empty cursor marks the end, as QStash answers.
    res.status(201).json({ cursor: page.cursor ?? '', responses });
  });

  return router;
}
