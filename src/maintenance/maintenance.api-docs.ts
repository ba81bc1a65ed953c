import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiResponse } from '@nestjs/swagger';
import { ApiBadRequest } from '../common/bad-request';
import { HttpErrorDto } from '../common/http-error.dto';
import { MaintenanceWindowDto, StartMaintenanceDto } from './dto/maintenance-window.dto';
import { MAX_MINUTES } from './maintenance-window';

const WHAT_IT_DOES =
  'While a window is active, notifications are held (a status that still holds when it ends is notified then), ' +
  'the full report carries `"maintenance": {"until", "reason"}` and the status page shows a banner; probes, ' +
  'statuses and HTTP codes are unchanged. Needs `Authorization: Bearer <HEALTH_TOKEN>` whatever HEALTH_DETAILS says.';

/** The 404 of a maintenance route: no window, or hidden on the main port. */
function ApiNoWindow(when: string): MethodDecorator {
  return ApiNotFoundResponse({
    description: `${when}; or this is the main port and MANAGEMENT_PORT is set (the route lives on the management port)`,
    type: HttpErrorDto,
  });
}

/** Documents `GET /api/v1/health/maintenance`. */
export function ApiReadMaintenance(): MethodDecorator {
  return applyDecorators(
    ApiOperation({ summary: 'The active maintenance window', description: WHAT_IT_DOES }),
    ApiOkResponse({ description: 'The active window', type: MaintenanceWindowDto }),
    ApiNoWindow('No window is active (none was started, it was ended, or its `until` has passed)'),
  );
}

/** Documents `POST /api/v1/health/maintenance`. */
export function ApiStartMaintenance(): MethodDecorator {
  return applyDecorators(
    ApiOperation({
      summary: 'Start a maintenance window',
      description:
        `Starts a window until a time or for a number of minutes (at most ${MAX_MINUTES}, a week), replacing any ` +
        'active one, and stores it in HEALTH_DATA_DIR so it survives a restart. ' +
        WHAT_IT_DOES,
    }),
    ApiBody({ type: StartMaintenanceDto }),
    ApiOkResponse({ description: 'The window now active', type: MaintenanceWindowDto }),
    ApiBadRequest(
      'Not a JSON object, an unknown field, both or neither of `until` and `minutes`, `until` not in the future or ' +
        `over ${MAX_MINUTES} minutes ahead, \`minutes\` outside 1 to ${MAX_MINUTES}, a \`reason\` too long; or a ` +
        'body that is not valid JSON (then `{"statusCode": 400, "message": …}`)',
    ),
    ApiResponse({
      status: 413,
      description: 'A body over 4 KiB, refused before it is read (`{"statusCode": 413, "message": …}`)',
    }),
    ApiResponse({
      status: 415,
      description: 'A body that is neither `application/json` nor `text/plain` (`{"statusCode": 415, "message": …}`)',
    }),
  );
}

/** Documents `DELETE /api/v1/health/maintenance`. */
export function ApiEndMaintenance(): MethodDecorator {
  return applyDecorators(
    ApiOperation({
      summary: 'End the maintenance window',
      description:
        'Ends the active window now; a status that differs from what was last notified is notified at once. ' +
        WHAT_IT_DOES,
    }),
    ApiOkResponse({ description: 'The window that was ended', type: MaintenanceWindowDto }),
    ApiNoWindow('No window is active'),
  );
}
