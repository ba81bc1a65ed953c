import { Controller, Get, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { DetailsRoute } from '../../access/details-route.decorator';
import { PluginRegistry } from '../plugin-registry';
import { PluginEvaluation } from '../plugin-evaluation';
import { ApiPluginDetail, ApiPluginDiagnostics } from './plugin-diagnostics.api-docs';
import { toDiagnostics, toPluginDetail } from './plugin-diagnostics';
import { PluginDetailDto, PluginDiagnosticsDto } from './plugin-diagnostics.dto';

/** Health answers are never cached by a proxy or a browser. */
const NO_STORE = { 'cache-control': 'no-store' } as const;

/**
 * The plugin diagnostics routes. Thin: they answer from an evaluation no older than `HEALTH_CACHE_TTL_MS` (the
 * registry runs or joins one when the last is older, whether or not anything asks for the health report), and
 * never start a package check.
 */
@ApiTags('health')
@DetailsRoute()
@Controller('health/plugins')
export class PluginDiagnosticsController {
  constructor(private readonly registry: PluginRegistry) {}

  /** Every plugin's state, what is missing, how to install it. */
  @Get()
  @ApiPluginDiagnostics()
  async list(@Res({ passthrough: true }) reply: FastifyReply): Promise<PluginDiagnosticsDto> {
    reply.headers(NO_STORE);
    return toDiagnostics(await this.evaluation());
  }

  /** One plugin with install lines; 404 for an unknown id. */
  @Get(':id')
  @ApiPluginDetail()
  async one(@Param('id') id: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<PluginDetailDto> {
    reply.headers(NO_STORE);
    const detail = toPluginDetail(await this.evaluation(), id);
    if (!detail) throw new NotFoundException(`no plugin with id ${JSON.stringify(id)}`);
    return detail;
  }

  private evaluation(): Promise<PluginEvaluation> {
    return this.registry.fresh();
  }
}
