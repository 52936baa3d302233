/**
 * Reads a mission's open design decisions, for display only: a host without design-status
 * (contract < 1.4) or one that fails to answer yields null, and the caller shows nothing.
 */
import type { HostClient } from '../../host/client.js';
import type { OpenDecision } from '../../host/schemas.js';

export async function readOpenDecisions(host: HostClient, mission: string): Promise<OpenDecision[] | null> {
  try {
    return (await host.designStatus({ mission })).open_decisions;
  } catch {
    return null;
  }
}
