/** Host call arguments as the wpMachine hands them to its host actors (the HostApi shapes). */
export type {
  AppendHistoryArgs,
  ReviewResult,
  StartImplementationArgs,
  StartReviewArgs,
  TransitionArgs,
  WpRef as ResolvedWorkspaceArgs,
} from '../../host/api.js';
