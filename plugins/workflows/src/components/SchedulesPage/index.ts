export { SchedulesPage } from './SchedulesPage';
export { useSchedulesPath } from './scheduleLinks';
