import { z } from 'zod';
import { Clock } from '../clock';
import { ApiError, notFound } from '../errors';
import { IDENTIFIER_PATTERN } from '../ids';
import { MessageCancellation } from '../messages/cancellation';
import { StoredQueue } from '../store/queueStore';
import { Stores } from '../store/stores';

/** Above this the FIFO window would cost more per pump than it is worth locally. */
export const MAX_QUEUE_PARALLELISM = 1000;

export const queueNameSchema = z
  .string({
    required_error: 'is required',
    invalid_type_error: 'must be a string',
  })
  .regex(IDENTIFIER_PATTERN, 'must match [A-Za-z0-9._-]+');

export const upsertQueueSchema = z.object({
  queueName: queueNameSchema,
  parallelism: z
    .number({ invalid_type_error: 'must be a positive integer' })
    .int('must be a positive integer')
    .min(1, 'must be a positive integer')
    .optional(),
  paused: z.boolean({ invalid_type_error: 'must be true or false' }).optional(),
});

export type UpsertQueueRequest = z.infer<typeof upsertQueueSchema>;

/** A queue as `GET /v2/queues/{name}` returns it. */
export interface QueueView {
  name: string;
  parallelism: number;
  lag: number;
  paused: boolean;
  createdAt: number;
  updatedAt: number;
}

/** Queues: FIFO delivery with a parallelism, pause and resume. */
export class QueueService {
  constructor(
    private readonly stores: Stores,
    private readonly clock: Clock,
    private readonly cancellation: MessageCancellation,
    /** Wakes the dispatcher when messages may have become deliverable. */
    private readonly wake: () => void,
  ) {}

  upsert(request: UpsertQueueRequest): void {
    if (
      request.parallelism !== undefined &&
      request.parallelism > MAX_QUEUE_PARALLELISM
    ) {
      throw new ApiError(
        412,
        `invalid parallelism: at most ${MAX_QUEUE_PARALLELISM} per queue`,
      );
    }
    const existing = this.stores.queues.get(request.queueName);
    this.stores.queues.upsert(
      request.queueName,
      request.parallelism ?? existing?.parallelism ?? 1,
      request.paused,
      this.clock.now(),
    );
    this.wake();
  }

  get(name: string): QueueView {
    return this.view(this.require(name));
  }

  list(): QueueView[] {
    return this.stores.queues.list().map(queue => this.view(queue));
  }

  setPaused(name: string, paused: boolean): void {
    if (!this.stores.queues.setPaused(name, paused, this.clock.now())) {
      throw notFound(`queue ${name} not found`);
    }
    if (!paused) this.wake();
  }

  /** Deletes the queue and cancels the messages waiting in it. */
  delete(name: string): void {
    this.require(name);
    this.stores.transaction(() => {
      this.cancellation.cancel(this.stores.messages.forQueue(name));
      this.stores.queues.delete(name);
    });
  }

  private require(name: string): StoredQueue {
    const queue = this.stores.queues.get(name);
    if (!queue) throw notFound(`queue ${name} not found`);
    return queue;
  }

  private view(queue: StoredQueue): QueueView {
    return {
      name: queue.name,
      parallelism: queue.parallelism,
      lag: this.stores.messages.queueLag(queue.name),
      paused: queue.paused,
      createdAt: queue.createdAt,
      updatedAt: queue.updatedAt,
    };
  }
}
