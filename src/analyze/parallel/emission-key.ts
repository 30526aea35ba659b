/**
 * Where a single-threaded analysis would have emitted something (an event, a stream summary), so
 * that what the shards found can be put back in that order: the frame being analysed, the step of
 * that frame's analysis, for flows retired together their place in the flow table's age order,
 * then the order within one shard (one thread's own emissions are already in order).
 */
export type EmissionKey = [frame: number, phase: number, retireList: number, retireFrame: number, order: number];

/** Steps of one frame's analysis, in the order AnalysisSession runs them. */
export const Phase = {
  /** IP reassembly, before the analyzers see the packet. */
  Reassembly: 0,
  /** TCP flows expiring (a shard's flows retire in age order across all shards); at the end, the drain. */
  TcpExpire: 1,
  /** TCP analysis of the packet itself. */
  TcpPacket: 2,
  /** The analyzers after TCP (IPsec), which run on the reader's thread. */
  After: 3,
} as const;

export function compareKeys(x: EmissionKey, y: EmissionKey): number {
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2] || x[3] - y[3] || x[4] - y[4];
}
