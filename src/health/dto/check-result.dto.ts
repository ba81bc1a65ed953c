import { ApiProperty } from '@nestjs/swagger';

/** One dependency check in the report. */
export class CheckResultDto {
  @ApiProperty({ enum: ['ok', 'error'], description: '`ok` when the probe succeeded within its timeout, else `error`' })
  status!: 'ok' | 'error';

  @ApiProperty({
    type: Number,
    example: 2.4,
    description: 'Measured time of this probe in milliseconds (0.1 ms resolution); on a timeout, about the timeout',
  })
  latency_ms!: number;

  @ApiProperty({
    type: String,
    nullable: true,
    example: null,
    description:
      '`null` when ok; else a short human message: what failed or what timed out after how long. Never a stack ' +
      'trace, a password, a token or a full connection URL',
  })
  detail!: string | null;
}

/** The plugin registry check: a check plus the registry's counts. */
export class PluginCheckResultDto extends CheckResultDto {
  @ApiProperty({
    type: Number,
    example: 12,
    description: 'Valid plugin manifests in PLUGINS_DIR (invalid ones are skipped)',
  })
  total!: number;

  @ApiProperty({
    type: Number,
    example: 10,
    description: 'Plugins whose required binaries are all on PATH and that are not listed in DISABLED_PLUGINS',
  })
  runnable!: number;
}
