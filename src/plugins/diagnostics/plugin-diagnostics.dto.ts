import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { RequirementKind } from './install-catalogue';
import type { PluginState } from '../plugin-evaluation';

const KINDS: RequirementKind[] = ['binary', 'python_package', 'system_package'];

/** The ways to install one missing item; only those that apply are present. */
export class InstallHintsDto {
  @ApiPropertyOptional({ example: 'sudo apt-get install -y nmap', description: 'Debian / Ubuntu' })
  apt?: string;

  @ApiPropertyOptional({ example: 'brew install nmap', description: 'Homebrew (macOS, Linux)' })
  brew?: string;

  @ApiPropertyOptional({ example: 'python3 -m pip install python-nmap', description: 'pip or pipx' })
  pip?: string;

  @ApiPropertyOptional({
    example: 'go install -v github.com/projectdiscovery/nuclei/v3/cmd/nuclei@latest',
    description: 'go install',
  })
  go?: string;

  @ApiPropertyOptional({ example: 'docker pull projectdiscovery/nuclei', description: 'a container image' })
  docker?: string;

  @ApiPropertyOptional({
    example: 'https://nmap.org/download',
    description: "The project's download page, or a sentence for an item the catalogue does not know",
  })
  docs?: string;
}

/** One requirement of a plugin. */
export class RequirementDto {
  @ApiProperty({
    enum: KINDS,
    example: 'binary',
    description: 'An executable on PATH, a Python distribution or a Debian package',
  })
  kind!: RequirementKind;

  @ApiProperty({ example: 'nmap', description: 'As the manifest names it' })
  name!: string;
}

/** A requirement with the ways to install it. */
export class RequirementWithInstallDto extends RequirementDto {
  @ApiProperty({ type: InstallHintsDto })
  install!: InstallHintsDto;
}

/** A missing item and the blocked plugins that need it. */
export class MissingItemDto extends RequirementWithInstallDto {
  @ApiProperty({
    type: [String],
    example: ['masscan_sweep', 'nmap'],
    description: 'Ids of the blocked plugins that need it',
  })
  plugins!: string[];
}

/** One plugin in the diagnostics. */
export class PluginEntryDto {
  @ApiProperty({ example: 'nmap' })
  id!: string;

  @ApiProperty({ example: 'Network Scanning' })
  name!: string;

  @ApiProperty({ type: String, nullable: true, example: '1.0.0' })
  version!: string | null;

  @ApiPropertyOptional({ example: 'network' })
  category?: string;

  @ApiPropertyOptional({ example: 'Host discovery, port scanning and service/version detection' })
  description?: string;

  @ApiProperty({
    enum: ['runnable', 'blocked', 'disabled'],
    example: 'blocked',
    description:
      '`runnable`: enabled and everything found; `blocked`: enabled, something missing; `disabled`: listed in ' +
      'DISABLED_PLUGINS (its requirements are still shown)',
  })
  state!: PluginState;

  @ApiProperty({ type: [RequirementDto], description: 'What is not installed' })
  missing!: RequirementDto[];

  @ApiProperty({
    type: [RequirementDto],
    description: 'What could not be checked (system packages where there is no dpkg-query); does not block',
  })
  unverified!: RequirementDto[];
}

/** One plugin with the ways to install what it lacks (`GET /api/v1/health/plugins/:id`). */
export class PluginDetailDto extends PluginEntryDto {
  @ApiProperty({ type: [RequirementWithInstallDto], description: 'What is not installed, with the ways to install it' })
  declare missing: RequirementWithInstallDto[];
}

/** A manifest that was skipped. */
export class InvalidManifestDto {
  @ApiProperty({ example: 'broken', description: 'The folder under PLUGINS_DIR' })
  folder!: string;

  @ApiProperty({ example: 'metadata.json is not valid JSON', description: 'Why; never quotes the file' })
  reason!: string;
}

/** The body of `GET /api/v1/health/plugins`. */
export class PluginDiagnosticsDto {
  @ApiProperty({ example: 13, description: 'Valid manifests' })
  total!: number;

  @ApiProperty({ example: 2 })
  runnable!: number;

  @ApiProperty({ example: 10 })
  blocked!: number;

  @ApiProperty({ example: 1 })
  disabled!: number;

  @ApiProperty({ example: 1, description: 'Skipped manifests (listed in `invalid_manifests`)' })
  invalid!: number;

  @ApiProperty({
    type: [MissingItemDto],
    description: 'What blocked plugins lack, grouped by item, most needed first',
  })
  missing!: MissingItemDto[];

  @ApiProperty({ type: [PluginEntryDto], description: 'Every valid plugin, in folder order' })
  plugins!: PluginEntryDto[];

  @ApiProperty({ type: [InvalidManifestDto] })
  invalid_manifests!: InvalidManifestDto[];

  @ApiProperty({
    type: String,
    nullable: true,
    example: null,
    description: 'Why the plugins check fails (PLUGINS_DIR unreadable, no valid manifest, nothing runnable), else null',
  })
  error!: string | null;

  @ApiProperty({ example: '2026-11-25T12:00:00.000Z', description: 'When the evaluation shown here ran' })
  checked_at!: string;
}

/** The 404 answer for an unknown plugin id. */
export class PluginNotFoundDto {
  @ApiProperty({ example: 404 })
  statusCode!: number;

  @ApiProperty({ example: 'Not Found' })
  error!: string;

  @ApiProperty({ example: 'no plugin with id "nmapp"' })
  message!: string;
}
