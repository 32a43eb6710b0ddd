import type {
  AuditorService,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  ListSocialPostsResponse,
  listSocialPostsQuerySchema,
  markSocialPostPostedRequestSchema,
  SocialPostKey,
  socialPostKeySchema,
  SocialPostResponse,
} from '@internal/plugin-workflows-common';
import express from 'express';
import Router from 'express-promise-router';
import type { z } from 'zod';
import { assertPeriodKey } from '../social/periodKeys';
import { AuthorizedSocialPostsService } from './AuthorizedSocialPostsService';

/** Where, under the plugin's base URL, the social posts API lives. */
export const SOCIAL_POSTS_PATH = '/sgcarstrends/social-posts';

export interface SocialPostsRouterOptions {
  service: AuthorizedSocialPostsService;
  httpAuth: HttpAuthService;
  auditor: AuditorService;
}

const RESOLUTIONS = ['post-again', 'mark-posted'] as const;

// Only on these routes: a parser on the whole router would also consume the
// raw bodies of the runner endpoints, whose signatures are checked on them.
const jsonBody = express.json({ limit: '16kb' });

/**
 * `GET /sgcarstrends/social-posts` and
 * `POST /sgcarstrends/social-posts/:platform/:dataset/:period/post-again|mark-posted`.
 * Every request is one audit event, whatever its outcome.
 */
export function createSocialPostsRouter(
  options: SocialPostsRouterOptions,
): express.Router {
  const { service, httpAuth, auditor } = options;
  const router = Router();

  router.get(SOCIAL_POSTS_PATH, async (req, res) => {
    const event = await auditor.createEvent({
      eventId: 'social-post-fetch',
      request: req,
      meta: { queryType: 'by-filter' },
    });
    try {
      const query = parseInput(listSocialPostsQuerySchema, req.query, 'query');
      const credentials = await httpAuth.credentials(req, {
        allow: ['user', 'service'],
      });
      const items = await service.list(query, credentials);
      const body: ListSocialPostsResponse = { items, totalCount: items.length };
      await event.success({
        meta: {
          filter: {
            status: query.status ?? null,
            dataset: query.dataset ?? null,
            platform: query.platform ?? null,
          },
          count: items.length,
        },
      });
      res.json(body);
    } catch (error) {
      await event.fail({ error: error as Error });
      throw error;
    }
  });

  for (const resolution of RESOLUTIONS) {
    router.post(
      `${SOCIAL_POSTS_PATH}/:platform/:dataset/:period/${resolution}`,
      async (req, res) => {
        const { platform, dataset, period } = req.params;
        const event = await auditor.createEvent({
          eventId: 'social-post-resolve',
          severityLevel: 'medium',
          request: req,
          meta: { actionType: resolution, platform, dataset, period },
        });
        try {
          const key = parseKey(req.params);
          const credentials = await httpAuth.credentials(req, {
            allow: ['user', 'service'],
          });
          let body: SocialPostResponse;
          if (resolution === 'post-again') {
            body = { post: await service.postAgain(key, credentials) };
          } else {
            await readJsonBody(req, res);
            const where = parseInput(
              markSocialPostPostedRequestSchema,
              req.body ?? {},
              'body',
            );
            body = {
              post: await service.markPosted(key, where, credentials),
            };
          }
          await event.success({
            meta: { status: body.post.status, postId: body.post.postId },
          });
          res.json(body);
        } catch (error) {
          await event.fail({ error: error as Error });
          throw error;
        }
      },
    );
  }

  return router;
}

function parseKey(params: Record<string, string>): SocialPostKey {
  const key = parseInput(socialPostKeySchema, params, 'path');
  try {
    assertPeriodKey(key.dataset, key.period);
  } catch (error) {
    throw new InputError(`Invalid path: period: ${(error as Error).message}`);
  }
  return key;
}

/** Validates with zod; a 400 naming every field that is wrong. */
function parseInput<Schema extends z.ZodTypeAny>(
  schema: Schema,
  value: unknown,
  where: 'query' | 'body' | 'path',
): z.infer<Schema> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(issue =>
      issue.path.length > 0
        ? `${issue.path.join('.')}: ${issue.message}`
        : issue.message,
    );
    throw new InputError(`Invalid ${where}: ${problems.join('; ')}`);
  }
  return parsed.data;
}

/** Runs the JSON parser inside the handler, so a malformed body is audited too. */
function readJsonBody(req: express.Request, res: express.Response) {
  return new Promise<void>((resolve, reject) => {
    jsonBody(req, res, (error?: unknown) => {
      if (error) {
        reject(new InputError(`Invalid body: ${(error as Error).message}`));
      } else {
        resolve();
      }
    });
  });
}
