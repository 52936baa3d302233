/**
 * The actors wpMachine invokes, by name. Each is a placeholder that fails with "not provided";
 * the composition root (or a test) supplies the real logic with `wpMachine.provide({ actors })`.
 * `waitUntil` defaults to the real timer because time is the only world it touches.
 */
import { notProvided } from '../shared/not-provided.js';
import { waitUntilLogic } from '../shared/wait-until.js';
import type {
  CommitLaneWorkInput,
  CommitLaneWorkOutput,
  HostAppendHistoryInput,
  HostAppendHistoryOutput,
  HostResolveWorkspaceInput,
  HostResolveWorkspaceOutput,
  HostStartImplementationInput,
  HostStartImplementationOutput,
  HostStartReviewInput,
  HostStartReviewOutput,
  HostTransitionInput,
  HostTransitionOutput,
  HostWpLaneInput,
  HostWpLaneOutput,
  LaneDiffSummaryInput,
  LaneDiffSummaryOutput,
  PrepareWorkspaceInput,
  PrepareWorkspaceOutput,
  RunAgentInput,
  RunAgentOutput,
} from './types.js';

export const wpActors = {
  hostStartImplementation: notProvided<HostStartImplementationOutput, HostStartImplementationInput>(
    'hostStartImplementation',
  ),
  hostResolveWorkspace: notProvided<HostResolveWorkspaceOutput, HostResolveWorkspaceInput>(
    'hostResolveWorkspace',
  ),
  hostTransition: notProvided<HostTransitionOutput, HostTransitionInput>('hostTransition'),
  hostStartReview: notProvided<HostStartReviewOutput, HostStartReviewInput>('hostStartReview'),
  hostWpLane: notProvided<HostWpLaneOutput, HostWpLaneInput>('hostWpLane'),
  hostAppendHistory: notProvided<HostAppendHistoryOutput, HostAppendHistoryInput>('hostAppendHistory'),
  prepareWorkspace: notProvided<PrepareWorkspaceOutput, PrepareWorkspaceInput>('prepareWorkspace'),
  runAgent: notProvided<RunAgentOutput, RunAgentInput>('runAgent'),
  commitLaneWork: notProvided<CommitLaneWorkOutput, CommitLaneWorkInput>('commitLaneWork'),
  laneDiffSummary: notProvided<LaneDiffSummaryOutput, LaneDiffSummaryInput>('laneDiffSummary'),
  waitUntil: waitUntilLogic,
};

export type WpActorName = keyof typeof wpActors;
