import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam } from '@nestjs/swagger';
import {
  InstallHintsDto,
  PluginDetailDto,
  PluginDiagnosticsDto,
  PluginNotFoundDto,
  RequirementWithInstallDto,
} from './plugin-diagnostics.dto';
import { DETAIL_EXAMPLE, DIAGNOSTICS_EXAMPLE, NOTHING_RUNNABLE_EXAMPLE } from './plugin-diagnostics.examples';

/** Documents `GET /api/v1/health/plugins`. */
export function ApiPluginDiagnostics(): MethodDecorator {
  return applyDecorators(
    ApiExtraModels(InstallHintsDto, RequirementWithInstallDto),
    ApiOperation({
      summary: 'Plugin diagnostics',
      description:
        'Which scanner plugins can run, what the others lack (binaries on PATH, Python distributions of the ' +
        'python3 on PATH, Debian packages), and how to install it. Answers from the last evaluation: binaries are ' +
        'looked up again at every evaluation, packages are listed in the background at most once per ' +
        '`HEALTH_PLUGIN_DEPS_TTL_MS`; this route never starts a package check.',
    }),
    ApiOkResponse({
      type: PluginDiagnosticsDto,
      description: 'The plugins and what they lack',
      examples: {
        some_runnable: { summary: 'One plugin runnable, one blocked, one disabled', value: DIAGNOSTICS_EXAMPLE },
        nothing_runnable: { summary: 'No enabled plugin can run (check error)', value: NOTHING_RUNNABLE_EXAMPLE },
      },
    }),
  );
}

/** Documents `GET /api/v1/health/plugins/:id`. */
export function ApiPluginDetail(): MethodDecorator {
  return applyDecorators(
    ApiOperation({
      summary: 'One plugin',
      description: 'One entry of the diagnostics, with the ways to install each missing item.',
    }),
    ApiParam({ name: 'id', description: 'The plugin id from its manifest', example: 'nmap' }),
    ApiOkResponse({ type: PluginDetailDto, description: 'The plugin', example: DETAIL_EXAMPLE }),
    ApiNotFoundResponse({
      type: PluginNotFoundDto,
      description: 'No valid plugin has this id',
      example: { statusCode: 404, error: 'Not Found', message: 'no plugin with id "nmapp"' },
    }),
  );
}
