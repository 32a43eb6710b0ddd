import { z } from 'zod';

/**
 * The post-once ledger of the sgcarstrends social posts. `uncertain`: the
 * platform may or may not have published it (no reply, an unreadable reply);
 * nothing is posted until an operator marks it as posted or posts it again.
 */
export const socialPostStatusSchema = z.enum([
  'pending',
  'posted',
  'uncertain',
  'dry-run',
]);

export const socialPlatformIdSchema = z.enum([
  'discord',
  'telegram',
  'linkedin',
  'twitter',
]);

/** The dataset is also the id of the workflow that posts it. */
export const socialPostDatasetSchema = z.enum(['cars', 'coe']);

/** How an uncertain post was settled. */
export const socialPostResolutionSchema = z.enum([
  'marked-posted',
  'posted-again',
  'found-on-platform',
]);

export const socialPostSchema = z.object({
  platform: socialPlatformIdSchema,
  dataset: socialPostDatasetSchema,
  /** YYYY-MM for cars, YYYY-MM#<bidding no> for COE. */
  period: z.string(),
  status: socialPostStatusSchema,
  postId: z.string().nullable(),
  postUrl: z.string().nullable(),
  /** The text that was (or may have been) posted. */
  messageText: z.string(),
  /** Why the outcome is uncertain, or how it was settled. */
  reason: z.string().nullable(),
  resolution: socialPostResolutionSchema.nullable(),
  resolvedBy: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/** `GET /sgcarstrends/social-posts` query. */
export const listSocialPostsQuerySchema = z
  .object({
    status: socialPostStatusSchema.optional(),
    dataset: socialPostDatasetSchema.optional(),
    platform: socialPlatformIdSchema.optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();

export const listSocialPostsResponseSchema = z.object({
  items: z.array(socialPostSchema),
  totalCount: z.number().int().nonnegative(),
});

/** The path parameters that name one post. */
export const socialPostKeySchema = z.object({
  platform: socialPlatformIdSchema,
  dataset: socialPostDatasetSchema,
  period: z
    .string()
    .regex(
      /^\d{4}-(0[1-9]|1[0-2])(#[1-9]\d*)?$/,
      'expected YYYY-MM (cars) or YYYY-MM#<bidding no> (coe), with # written %23 in the URL',
    ),
});

/** `POST .../mark-posted` body: where the post is, when the operator knows. */
export const markSocialPostPostedRequestSchema = z
  .object({
    postUrl: z
      .string()
      .url()
      .max(2000)
      .refine(value => /^https?:\/\//i.test(value), 'must be an http(s) URL')
      .optional(),
    postId: z.string().trim().min(1).max(255).optional(),
  })
  .strict();

/** The post after `post-again` or `mark-posted`. */
export const socialPostResponseSchema = z.object({ post: socialPostSchema });

export type SocialPostStatus = z.infer<typeof socialPostStatusSchema>;
export type SocialPlatformId = z.infer<typeof socialPlatformIdSchema>;
export type SocialPostDataset = z.infer<typeof socialPostDatasetSchema>;
export type SocialPostResolution = z.infer<typeof socialPostResolutionSchema>;
export type SocialPost = z.infer<typeof socialPostSchema>;
export type ListSocialPostsQuery = z.infer<typeof listSocialPostsQuerySchema>;
export type ListSocialPostsResponse = z.infer<
  typeof listSocialPostsResponseSchema
>;
export type SocialPostKey = z.infer<typeof socialPostKeySchema>;
export type MarkSocialPostPostedRequest = z.infer<
  typeof markSocialPostPostedRequestSchema
>;
export type SocialPostResponse = z.infer<typeof socialPostResponseSchema>;
