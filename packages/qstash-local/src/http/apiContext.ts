import { Clock } from '../clock';
import { MessageCancellation } from '../messages/cancellation';
import { Publisher } from '../messages/publisher';
import { ScheduleService } from '../schedules/scheduleService';
import { SigningKeys } from '../signingKeys';
import { Stores } from '../store/stores';
import { WorkflowDlq } from '../workflow/workflowDlq';
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
  onUnexpectedError: (error: unknown) => void;
}
