import type { TransitionDto } from './transition.dto';

/**
 * Why a resuming client gets a `reset` instead of the transitions it missed: `too_old` when more followed its id
 * than a stream replays, or some are no longer kept; `unknown` when the id is not one this process gave (it
 * restarted since, or the id is not a number).
 */
export type ResetReason = 'too_old' | 'unknown';

/**
 * The data of a `reset` event, sent instead of the replay to a client that resumed with a `Last-Event-ID` whose
 * missed transitions cannot be replayed. What it held is to be replaced, not added to: these transitions (the
 * latest, newest first, at most as many as a stream replays), then the `evaluation` that follows at once, are the
 * current state. Documented in the events route's description: an event stream's events have no schema there.
 */
export interface ResetEventDto {
  readonly reason: ResetReason;
  readonly transitions: TransitionDto[];
}
