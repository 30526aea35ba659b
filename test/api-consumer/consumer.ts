// A tiny program using zsniff as a library, type-checked against the published .d.ts (never run).
import {
  analyze, check, decodeCapture, readCapture, parseThresholdRules, evaluateThresholds, Layer,
  type AnalysisReport, type CheckResult, type CaptureCheck, type ThresholdResult, type PacketRecord,
} from 'zsniff';

export async function main(path: string): Promise<number> {
  let tcp = 0;
  for await (const packet of readCapture(path)) {
    if (packet.ipVersion === 4 || packet.ipVersion === 6) tcp += packet.pkt ? 1 : 0;
  }
  const info = await readCapture(path, (p: PacketRecord) => { void p.caplen; });
  const seen: number = info.packets;
  await decodeCapture(path, (d) => { void d.layers; });

  const report: AnalysisReport = await analyze(path, { options: { tcp: { maxFlows: 1000 } }, partial: true });
  const packets: number = report.capture.packets;
  const fired: ThresholdResult[] = evaluateThresholds(parseThresholdRules(['tcp.retransmission > 0']), report).filter((r) => r.fired);

  const result: CheckResult = await check(['fixtures'], { tolerances: { 'tcp.streams[*].*.rtt.*': '20%' }, workers: 2 });
  const failing: CaptureCheck[] = result.captures.filter((c) => c.status === 'differs');
  const exit: 0 | 1 | 2 = result.exitCode;
  return tcp + seen + packets + fired.length + failing.length + exit;
}

// The README's example, so that it keeps compiling.
export async function readmeExample(): Promise<void> {
  for await (const p of readCapture('trace.pcap')) {
    if (p.layers & Layer.Tcp) console.log(p.pkt!.frame, p.tcp.srcPort, '->', p.tcp.dstPort);
  }
  const report = await analyze('trace.pcap', { options: { tcp: { maxFlows: 10_000 } } });
  for (const r of evaluateThresholds(parseThresholdRules(['tcp.rtt.max > 200ms']), report)) {
    if (r.fired) console.error(r.message);
  }
  const result = await check(['fixtures'], { config: true });
  process.exitCode = result.exitCode;
}
