import {
  EmptyState,
  ResponseErrorPanel,
  WarningPanel,
} from '@backstage/core-components';
import { ResponseError } from '@backstage/errors';
import Typography from '@mui/material/Typography';

/** What the server said, without the "Request failed with 400" wrapper. */
export function errorMessage(error: Error): string {
  if (ResponseError.is(error)) return error.cause.message;
  return error.message;
}

function statusOf(error: Error): number | undefined {
  return ResponseError.is(error) ? error.statusCode : undefined;
}

/** A failed load: denied, not found, or any other error with its details. */
export function LoadError({ error, what }: { error: Error; what: string }) {
  const status = statusOf(error);
  if (status === 403) {
    return (
      <WarningPanel severity="error" title="Permission denied" defaultExpanded>
        <Typography variant="body2">
          You may not see this {what}: {errorMessage(error)}
        </Typography>
      </WarningPanel>
    );
  }
  if (status === 404) {
    return (
      <EmptyState
        missing="info"
        title={`No such ${what}`}
        description={errorMessage(error)}
      />
    );
  }
  return <ResponseErrorPanel error={error} />;
}
