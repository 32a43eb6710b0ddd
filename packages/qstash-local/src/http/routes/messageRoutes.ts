import { Router } from 'express';
import { notFound } from '../../errors';
import { messageView } from '../../messages/views';
import { ApiContext } from '../apiContext';
import { parseQuery, query } from '../queryParams';
import { idParam } from '../requestParts';

/** Pending messages: look-up and cancellation. */
export function messageRoutes(ctx: ApiContext): Router {
  const router = Router();

  router.get('/v2/messages/:messageId', (req, res) => {
    const messageId = idParam(req, 'messageId');
    const message = ctx.stores.messages.get(messageId);
    if (!message) throw notFound(`message ${messageId} not found`);
    res.json(messageView(message));
  });

  router.delete('/v2/messages/:messageId', (req, res) => {
    const messageId = idParam(req, 'messageId');
    const message = ctx.stores.messages.get(messageId);
    if (!message) throw notFound(`message ${messageId} not found`);
    res.json({ cancelled: ctx.cancellation.cancel([message]) });
  });

  router.delete('/v2/messages', (req, res) => {
    const q = parseQuery(req.query, {
      messageIds: query.ids(),
      url: query.texts(),
      host: query.texts(),
      path: query.texts(),
      label: query.ids(),
      flowControlKey: query.ids(),
      scheduleId: query.ids(),
      callerIp: query.texts(),
      callerIP: query.texts(),
      topicName: query.ids(),
      queueName: query.ids(),
      fromDate: query.time(),
      toDate: query.time(),
      count: query.count(500),
    });
    // No ids and no filter means every pending message, as the SDKs' `{ all: true }` asks.
    const { count, ...filter } = q;
    const matches = ctx.stores.messages.find({
      messageIds: filter.messageIds,
      urls: filter.url,
      hosts: filter.host,
      paths: filter.path,
      labels: filter.label,
      flowControlKeys: filter.flowControlKey,
      scheduleIds: filter.scheduleId,
      callerIps: filter.callerIp ?? filter.callerIP,
      queueNames: filter.queueName,
      topicNames: filter.topicName,
      fromDate: filter.fromDate,
      toDate: filter.toDate,
    });
    res.json({
      cancelled: ctx.cancellation.cancel(
        count ? matches.slice(0, count) : matches,
      ),
    });
  });

  return router;
}
