import { ApiProperty } from '@nestjs/swagger';
import { REPLAY_MAX } from '../event-stream.service';
import { TransitionDto } from './transition.dto';

/** Why a resuming client gets a `reset` instead of the transitions it missed. */
export type ResetReason = 'too_old' | 'unknown';

/**
 * The data of a `reset` event: sent instead of the replay to a client that resumed with a `Last-Event-ID` whose
 * missed transitions cannot be replayed. What it held is to be replaced, not added to: these transitions, then the
 * `evaluation` that follows at once, are the current state.
 */
export class ResetEventDto {
  @ApiProperty({
    enum: ['too_old', 'unknown'],
    example: 'too_old',
    description:
      `\`too_old\`: more transitions followed the id than a stream replays (${REPLAY_MAX}), or some are no longer kept; ` +
      '`unknown`: not an id this process gave (it restarted since, or the id is not a number)',
  })
  reason!: ResetReason;

  @ApiProperty({
    type: [TransitionDto],
    description: `The latest transitions, newest first (at most ${REPLAY_MAX}; older ones from the history, by \`before\`)`,
  })
  transitions!: TransitionDto[];
}
