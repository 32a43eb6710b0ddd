import { Clock } from '../clock';
import { FlowControlService } from '../flowControl/flowControlService';
import { MessageCancellation } from '../messages/cancellation';
import { Publisher } from '../messages/publisher';
import { QueueService } from '../queues/queueService';
import { ScheduleService } from '../schedules/scheduleService';
import { SigningKeys } from '../signingKeys';
import { Stores } from '../store/stores';
import { UrlGroupService } from '../urlGroups/urlGroupService';
import { WorkflowDlq } from '../workflow/workflowDlq';
import { WorkflowEvents } from '../workflow/workflowEvents';
import { WorkflowRuns } from '../workflow/workflowRuns';

/** What the routes work with. */
export interface ApiContext {
  token: string;
  clock: Clock;
  stores: Stores;
  publisher: Publisher;
  cancellation: MessageCancellation;
  schedules: ScheduleService;
  signingKeys: SigningKeys;
  workflowRuns: WorkflowRuns;
  workflowDlq: WorkflowDlq;
  workflowEvents: WorkflowEvents;
  queues: QueueService;
  urlGroups: UrlGroupService;
  flowControl: FlowControlService;
  onUnexpectedError: (error: unknown) => void;
}
