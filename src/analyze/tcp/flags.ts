/**
 * The TCP expert flags, one bit each, with the event kind each is reported
 * as. Bit values are our own; the meanings are Wireshark's
 * (packet-tcp.c, TCP_A_*), so frames can be compared with tshark.
 */
export const TcpAnalysisFlag = {
  Retransmission: 1 << 0,
  FastRetransmission: 1 << 1,
  SpuriousRetransmission: 1 << 2,
  OutOfOrder: 1 << 3,
  LostSegment: 1 << 4,
  AckLostSegment: 1 << 5,
  DuplicateAck: 1 << 6,
  ZeroWindow: 1 << 7,
  ZeroWindowProbe: 1 << 8,
  ZeroWindowProbeAck: 1 << 9,
  WindowFull: 1 << 10,
  WindowUpdate: 1 << 11,
  KeepAlive: 1 << 12,
  KeepAliveAck: 1 << 13,
  ReusedPorts: 1 << 14,
  /** Ours, not Wireshark's: reported once per backoff chain, not as a packet flag. */
  RtoBackoff: 1 << 15,
} as const;

/** Event kinds by bit position, in the order counts and tables list them. */
export const TCP_EVENT_KINDS = [
  'tcp.retransmission',
  'tcp.fast_retransmission',
  'tcp.spurious_retransmission',
  'tcp.out_of_order',
  'tcp.lost_segment',
  'tcp.ack_lost_segment',
  'tcp.duplicate_ack',
  'tcp.zero_window',
  'tcp.zero_window_probe',
  'tcp.zero_window_probe_ack',
  'tcp.window_full',
  'tcp.window_update',
  'tcp.keep_alive',
  'tcp.keep_alive_ack',
  'tcp.reused_ports',
  'tcp.rto_backoff',
] as const;

export type TcpEventKind = typeof TCP_EVENT_KINDS[number];
export const TCP_FLAG_COUNT = TCP_EVENT_KINDS.length;

/** Human names for the summary. */
export const TCP_FLAG_LABEL: Record<TcpEventKind, string> = {
  'tcp.retransmission': 'retransmission',
  'tcp.fast_retransmission': 'fast retransmission',
  'tcp.spurious_retransmission': 'spurious retransmission',
  'tcp.out_of_order': 'out-of-order',
  'tcp.lost_segment': 'previous segment not captured',
  'tcp.ack_lost_segment': 'ACKed unseen segment',
  'tcp.duplicate_ack': 'duplicate ACK',
  'tcp.zero_window': 'zero window',
  'tcp.zero_window_probe': 'zero-window probe',
  'tcp.zero_window_probe_ack': 'zero-window probe ACK',
  'tcp.window_full': 'window full',
  'tcp.window_update': 'window update',
  'tcp.keep_alive': 'keep-alive',
  'tcp.keep_alive_ack': 'keep-alive ACK',
  'tcp.reused_ports': 'port numbers reused',
  'tcp.rto_backoff': 'RTO backoff chain',
};

/**
 * Wireshark also marks fast and spurious retransmissions as retransmissions
 * (tcp.analysis.retransmission is present on those frames); so do we.
 */
export function withImpliedFlags(flags: number): number {
  if (flags & (TcpAnalysisFlag.FastRetransmission | TcpAnalysisFlag.SpuriousRetransmission)) {
    return flags | TcpAnalysisFlag.Retransmission;
  }
  return flags;
}
