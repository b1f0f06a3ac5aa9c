import { toErrorInfo } from '@corral/core';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** HTTP status by error code; anything not listed is a 500. */
const statusByCode: Readonly<Record<string, ContentfulStatusCode>> = {
  INVALID_ARGUMENT: 400,
  SERVICE_NOT_FOUND: 404,
  ROUTE_NOT_FOUND: 404,
  // The request is fine but the fleet is in no state for it.
  ORCHESTRATOR_NOT_STARTED: 409,
  ORCHESTRATOR_STOPPED: 409,
  START_ABORTED: 409,
  DEPENDENCY_CYCLE: 409,
  MISSING_DEPENDENCY: 409,
};

/** The status and `{ error: { code, message } }` body for a thrown value. */
export function errorResponse(error: unknown): {
  status: ContentfulStatusCode;
  body: { error: { code: string; message: string } };
} {
  const info = toErrorInfo(error);
  return {
    status: statusByCode[info.code] ?? 500,
    body: { error: { code: info.code, message: info.message } },
  };
}
