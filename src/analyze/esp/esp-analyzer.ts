/**
 * The ESP/AH analyzer: tracks every SA on the wire, runs sequence/replay
 * analysis per SA, finds rekeys, one-way SAs, silences and cleartext between
 * IPsec peers, and (with keys) decrypts ESP so the inner packets can be
 * analysed too. Findings are `esp.*` / `ah.*` AnalysisEvents; `report()`
 * gathers the totals for the summary.
 *
 * Times used for intervals are the capture's running maximum, so a
 * timestamp that steps back (reported once per occurrence as
 * `esp.time_backwards`) never produces a negative duration.
 */
import { DecodedPacket } from '../../decode/decoded-packet.js';
import { i32 } from '../../decode/bytes.js';
import { decodePacket } from '../../decode/decode.js';
import { IpProto, Layer } from '../../decode/layers.js';
import type { AnalysisEvent, Analyzer, EventListener } from '../analyzer.js';
import { formatAddress, formatSpi } from './address.js';
import { espFindings, type EspFinding } from './findings.js';
import { CleartextLeakDetector } from './cleartext-leak-detector.js';
import { EarlyCleartext } from './early-cleartext.js';
import { DecryptStatus, EspDecryptor, decryptStatusText } from './decrypt.js';
import { FROM_HIGH, FROM_LOW, HostPairTable, PAIR_CLEARTEXT, PAIR_PACKETS } from './host-pairs.js';
import { InOrderRuns } from './in-order-runs.js';
import { resolveEspOptions, type EspAnalysisOptions, type ResolvedEspOptions } from './options.js';
import { buildEspReport, type EspReport, type FirstFinding, type SilenceEpisode, type TimeBackwardsSummary } from './report.js';
import { NO_SLOT, NUM_STRIDE, SaAnomaly, SaFlag, SaInt, SaNum, SaTable } from './sa-table.js';
import { ESN_WARNING_THRESHOLD, EspSequenceTracker, SeqVerdict } from './sequence-tracker.js';

/** Receives each decrypted inner packet; `inner.pkt.frame` is the outer packet's frame. */
export type InnerPacketListener = (inner: DecodedPacket, outer: DecodedPacket) => void;

/**
 * Constants of the per-packet path as literals: V8 reads an imported binding
 * (Layer.Esp, NO_SLOT...) as a module-cell load plus a property load every
 * time, which cost several ns per packet here; const enum members compile
 * to numbers. Checked against their sources when the module loads.
 */
const enum Hot {
  LayerEsp = 1 << 12,
  LayerAh = 1 << 13,
  LayerEspInUdp = 1 << 17,
  ProtoEsp = 50,
  ProtoAh = 51,
  NoSlot = -1,
  NumStride = 16,
  SeenInUdp = 4,
  PairPackets = 0,
  PairCleartext = 1,
  VerdictFirst = 0,
  VerdictInOrder = 1,
  EsnWarning = 0xf0000000,
  SeqStarted = 32,
  SeqHeld = 64,
}
if (Hot.LayerEsp !== Layer.Esp || Hot.LayerAh !== Layer.Ah || Hot.LayerEspInUdp !== Layer.EspInUdp ||
    Hot.ProtoEsp !== IpProto.Esp || Hot.ProtoAh !== IpProto.Ah || Hot.NoSlot !== NO_SLOT || Hot.NumStride !== NUM_STRIDE ||
    Hot.SeenInUdp !== SaFlag.SeenInUdp || Hot.PairPackets !== PAIR_PACKETS || Hot.PairCleartext !== PAIR_CLEARTEXT ||
    Hot.VerdictFirst !== SeqVerdict.First || Hot.VerdictInOrder !== SeqVerdict.InOrder || Hot.EsnWarning !== ESN_WARNING_THRESHOLD ||
    Hot.SeqStarted !== SaFlag.SeqStarted || Hot.SeqHeld !== SaFlag.SeqHeld) {
  throw new Error('esp-analyzer: the Hot constants no longer match decode/layers.ts, sa-table.ts or sequence-tracker.ts');
}

/** ESP inside ESP inside...: decrypt at most this deep. */
const MAX_DECRYPT_DEPTH = 3;
/** Silence episodes kept for the report (events carry all of them). */
const MAX_SILENCES_KEPT = 1000;

export class EspAnalyzer implements Analyzer {
  readonly options: ResolvedEspOptions;
  readonly sas: SaTable;
  readonly pairs: HostPairTable;
  readonly leaks: CleartextLeakDetector;
  /** Flows between hosts not yet known as IPsec peers (they may become peers later). */
  readonly early: EarlyCleartext;
  private readonly tracker: EspSequenceTracker;
  private readonly decryptors: EspDecryptor[] = [];
  private readonly innerDecoded: DecodedPacket[] = [];
  /** Set this to see decrypted packets (the analyze pipeline feeds them to TCP analysis). */
  onInnerPacket: InnerPacketListener | null = null;

  /** Occurrences of each finding kind, including those whose events were capped. */
  readonly findingCounts: Record<string, number> = {};
  /** Where each finding kind first occurred. */
  readonly firstFinding: Record<string, FirstFinding> = {};
  suppressedEvents = 0;
  readonly silences: SilenceEpisode[] = [];
  readonly timeBackwards: TimeBackwardsSummary = { count: 0, firstFrame: 0, largestStepSeconds: 0 };
  readonly decryption = { attempted: 0, decrypted: 0, verified: 0, unverified: 0, authFailed: 0, failed: 0, dummy: 0, noKey: 0 };
  private readonly decryptFailures: Record<string, number> = {};
  /** ESP headers counted one by one (the general path); `espPackets` adds the runs'. */
  private espCounted = 0;
  ahPackets = 0;
  udpEncapsulated = 0;
  private clock = -Infinity;
  /** options.silenceSeconds, one load nearer. */
  private readonly silenceSeconds: number;
  /** In-order runs of IPv4 ESP SAs, counted outside the SA table until they end. */
  private readonly runs: InOrderRuns;
  /** Keys were given: every ESP packet goes to the decryptor (the general path). */
  private readonly decrypting: boolean;
  private finished = false;

  constructor(options: EspAnalysisOptions = {}, private listener: EventListener = () => {}) {
    this.options = resolveEspOptions(options);
    this.silenceSeconds = this.options.silenceSeconds;
    this.sas = new SaTable(this.options.maxSas, this.options.replayWindow);
    this.pairs = new HostPairTable(this.options.maxSas);
    this.leaks = new CleartextLeakDetector(this.options.allowIcmp);
    this.early = new EarlyCleartext();
    this.tracker = new EspSequenceTracker(this.sas, this.options.replayWindow);
    this.decrypting = this.options.secrets.length > 0;
    // While decrypting, every ESP packet goes to the decryptor: no runs.
    this.runs = new InOrderRuns(this.sas, this.pairs, this.silenceSeconds, !this.decrypting && this.options.inOrderRuns);
    this.sas.onEvict = (s) => {
      this.runs.close(s);
      // Evicted, the SA sends nothing more: a number it held started nothing.
      this.reportHeld(s, this.tracker.resolveHeld(s));
      this.pairs.forgetSa(this.sas.getInt(s, SaInt.Pair), s);
    };
    // A reused pair slot would be counted into by runs that still name it.
    this.pairs.onEvict = () => this.runs.disable();
    if (this.options.secrets.length > 0) {
      for (let i = 0; i < MAX_DECRYPT_DEPTH; i++) {
        this.decryptors.push(new EspDecryptor(this.options.secrets));
        this.innerDecoded.push(new DecodedPacket());
      }
    }
  }

  onPacket(d: DecodedPacket): void {
    const p = d.pkt;
    if (p === null) return;
    const t = p.tsSec + p.tsNsec * 1e-9;
    if (t < this.clock) this.noteTimeBackwards(d, t);
    else this.clock = t;
    const layers = d.layers;
    // Plain IPv4 ESP continuing an in-order run: nearly every packet of an IPsec capture.
    if ((layers & (Hot.LayerEsp | Hot.LayerAh | Hot.LayerEspInUdp)) === Hot.LayerEsp && d.ipVersion === 4) {
      const runs = this.runs;
      runs.now = this.clock;
      if (runs.take(d, p)) return;
    }
    this.onOtherPacket(d, layers, p.frame);
  }

  /** Every packet the in-order runs did not take. */
  private onOtherPacket(d: DecodedPacket, layers: number, frame: number): void {
    if (d.ipVersion === 0) return;
    if ((layers & (Hot.LayerEsp | Hot.LayerAh)) !== 0) {
      // `| 0`: SPIs and sequence numbers stay int32 across calls (see sa-table.ts).
      if ((layers & Hot.LayerAh) !== 0) this.onIpsec(d, Hot.ProtoAh, d.ah.spi | 0, d.ah.seq | 0, d.ipPayloadLength, frame);
      if ((layers & Hot.LayerEsp) !== 0) {
        this.onIpsec(d, Hot.ProtoEsp, d.esp.spi | 0, d.esp.seq | 0, d.esp.length, frame);
        if (this.decrypting) this.decryptAndForward(d, 0);
      }
      return;
    }
    if (!this.pairs.mayContain(d.ipVersion, d.bytes, d.srcAddrOffset, d.dstAddrOffset)) { this.noteEarly(d); return; }
    const pair = this.pairs.lookup(d.ipVersion, d.bytes, d.srcAddrOffset, d.dstAddrOffset, false);
    if (pair === Hot.NoSlot) { this.noteEarly(d); return; }
    this.pairs.counts[pair * 2 + Hot.PairPackets]!++;
    if (this.leaks.isExempt(d)) return;
    this.closeRunsOfPair(pair);
    this.pairs.counts[pair * 2 + Hot.PairCleartext]!++;
    this.leaks.now = this.clock;
    this.leaks.record(d, frame, d.pkt!.origLen);
  }

  /**
   * Ends the in-order runs of a pair's SAs: a run takes the pair's cleartext
   * count as constant. Only the newest ESP SA of each direction can be in a
   * run (older ones have a successor).
   */
  private closeRunsOfPair(pair: number): void {
    const newest = this.pairs.newestSa;
    for (let lane = 0; lane < 2; lane++) {
      const s = newest[pair * 4 + lane]!;
      if (s !== Hot.NoSlot) this.runs.close(s);
    }
  }

  /** Hosts not (yet) IPsec peers: keep the packet's flow in mind in case they become peers. */
  private noteEarly(d: DecodedPacket): void {
    if (this.leaks.isExempt(d)) return;
    this.early.now = this.clock;
    this.early.record(d, d.pkt!);
  }

  private readonly adoptEarly = (e: number): void => { this.leaks.adopt(this.early, e); };

  private noteTimeBackwards(d: DecodedPacket, t: number): void {
    const step = this.clock - t;
    const tb = this.timeBackwards;
    if (tb.count === 0) tb.firstFrame = d.pkt!.frame;
    tb.count++;
    if (step > tb.largestStepSeconds) tb.largestStepSeconds = step;
    this.count('esp.time_backwards', () => ({ frame: d.pkt!.frame, spi: '', seq: 0, src: '', dst: '' }));
    if (tb.count <= this.options.maxEventsPerSa) {
      this.listener({ frame: d.pkt!.frame, kind: 'esp.time_backwards', time: t, stepBackSeconds: step,
        note: 'timestamp earlier than a previous packet; intervals use the latest time seen' });
    } else {
      this.suppressedEvents++;
    }
  }

  /** SA bookkeeping for one ESP or AH header; `spi` and `seq` as int32. */
  private onIpsec(d: DecodedPacket, protocol: number, spi: number, seq: number, length: number, frame: number): void {
    const t = this.sas;
    const now = this.clock;
    const isAh = protocol === Hot.ProtoAh;
    if (isAh) this.ahPackets++; else this.espCounted++;
    const b = d.bytes;
    const v = d.ipVersion;
    let s = v === 4 ? t.cached(protocol, spi, b, d.srcAddrOffset, d.dstAddrOffset) : Hot.NoSlot;
    let created = false;
    if (s === Hot.NoSlot) {
      s = t.lookupMissed(protocol, spi, v, b, d.srcAddrOffset, d.dstAddrOffset);
      created = t.created;
    }
    // The record is read below: fold in the SA's in-order run first, if it is in one.
    if (!created) this.runs.close(s);
    const int = t.int;
    const num = t.num;
    const bi = s * t.intStride;
    const bn = s * Hot.NumStride;
    const pairs = this.pairs;
    let pair = int[bi + SaInt.Pair]!;
    // A pair slot is only reused after an eviction: until then the SA's pair needs no check.
    if (created || pair === Hot.NoSlot ||
        (pairs.evictedPairs !== 0 && pairs.generation[pair] !== int[bi + SaInt.PairGeneration])) pair = this.attachPair(d, s);
    const counts = pairs.counts;
    const pairPackets = counts[pair * 2 + Hot.PairPackets]! + 1;
    counts[pair * 2 + Hot.PairPackets] = pairPackets;
    if ((d.layers & Hot.LayerEspInUdp) !== 0 && !isAh) { int[bi + SaInt.Flags]! |= Hot.SeenInUdp; this.udpEncapsulated++; }

    if (created) {
      this.onNewSa(d, s, pair, spi >>> 0, seq >>> 0, frame, isAh);
    } else {
      // `now` is the running maximum, not this packet's time (which may step back).
      const gap = now - num[bn + SaNum.LastTime]!;
      if (gap > num[bn + SaNum.MaxGap]! || gap >= this.silenceSeconds) this.onGap(d, s, pair, gap, frame, seq >>> 0, isAh);
    }
    num[bn + SaNum.Packets]!++;
    num[bn + SaNum.Bytes]! += length;
    num[bn + SaNum.LastTime] = now;
    num[bn + SaNum.LastFrame] = frame;
    num[bn + SaNum.PairPacketsAtLast] = pairPackets;
    const clear = counts[pair * 2 + Hot.PairCleartext]!;
    if (clear !== 0) num[bn + SaNum.PairCleartextAtLast] = clear;
    if (int[bi + SaInt.Successor] !== Hot.NoSlot) {
      num[bn + SaNum.LateAfterRekey]!++;
      num[bn + SaNum.LateLastFrame] = frame;
    }

    // In order is nearly every packet: handled here; the tracker decides everything else:
    // the first number, a number held for the next packet to decide, and 0 (after
    // 0xffffffff the counter going on past 2^32, otherwise invalid).
    if (!created && (int[bi + SaInt.Flags]! & (Hot.SeqStarted | Hot.SeqHeld)) === Hot.SeqStarted &&
        seq !== 0 && seq === ((int[bi + SaInt.HighestSeq]! + 1) | 0)) {
      this.tracker.advanceByOne(s, seq);
    } else {
      const tr = this.tracker;
      const verdict = tr.observe(s, seq);
      if (tr.resolved >= 0) this.reportHeld(s, tr.resolved);
      if (verdict === SeqVerdict.Held) {
        num[bn + SaNum.HeldFrame] = frame;
        const p = d.pkt!;
        num[bn + SaNum.HeldTime] = p.tsSec + p.tsNsec / 1e9;
      } else if (verdict !== Hot.VerdictInOrder && verdict !== Hot.VerdictFirst) {
        this.sequenceEvent(d, s, verdict, frame, seq >>> 0, isAh);
      }
    }
    if ((seq >>> 0) >= Hot.EsnWarning) this.checkCounterEdges(d, s, seq >>> 0, frame, isAh);
    // Plain IPv4 ESP: the SA's next packets may be counted as a run.
    if ((d.layers & (Hot.LayerEsp | Hot.LayerAh | Hot.LayerEspInUdp)) === Hot.LayerEsp && v === 4 && !isAh) {
      this.runs.open(s, spi, i32(b, d.srcAddrOffset), i32(b, d.dstAddrOffset), pair);
    }
  }

  /** A gap longer than any before on this SA, or long enough to be a silence. */
  private onGap(d: DecodedPacket, s: number, pair: number, gap: number, frame: number, seq: number, isAh: boolean): void {
    const t = this.sas;
    if (gap > t.getNum(s, SaNum.MaxGap)) {
      t.setNum(s, SaNum.MaxGap, gap);
      t.setNum(s, SaNum.MaxGapFrom, t.getNum(s, SaNum.LastFrame));
      t.setNum(s, SaNum.MaxGapTo, frame);
    }
    if (gap >= this.options.silenceSeconds) this.checkSilence(d, s, pair, gap, frame, seq, isAh);
  }

  private attachPair(d: DecodedPacket, s: number): number {
    const t = this.sas;
    const pairs = this.pairs;
    const pair = pairs.lookup(d.ipVersion, d.bytes, d.srcAddrOffset, d.dstAddrOffset, true);
    // New peers: what they sent in the clear before this was a leak too.
    if (pairs.created) this.early.takeBetween(d, this.adoptEarly);
    t.setInt(s, SaInt.Pair, pair);
    t.setInt(s, SaInt.PairDirection, pairs.direction);
    t.setInt(s, SaInt.PairGeneration, pairs.generation[pair]!);
    pairs.ipsecDirections[pair]! |= 1 << pairs.direction;
    return pair;
  }

  private onNewSa(d: DecodedPacket, s: number, pair: number, spi: number, seq: number, frame: number, isAh: boolean): void {
    const t = this.sas;
    t.setNum(s, SaNum.FirstTime, this.clock);
    t.setNum(s, SaNum.FirstFrame, frame);
    this.linkRekey(s, pair, (isAh ? 2 : 0) + t.getInt(s, SaInt.PairDirection));
    if (spi < 256) this.saEvent(d, s, isAh ? 'ah.reserved_spi' : 'esp.reserved_spi', frame, seq,
      { note: spi === 0 ? 'SPI 0 is reserved for local use and never sent' : 'SPIs 1-255 are reserved by IANA' });
  }

  /** A number at or above ESN_WARNING_THRESHOLD: an SA without ESN must rekey before 2^32. */
  private checkCounterEdges(d: DecodedPacket, s: number, seq: number, frame: number, isAh: boolean): void {
    const t = this.sas;
    const flags = t.getInt(s, SaInt.Flags);
    // Not once the counter has gone past 2^32 (a late packet from before): the SA uses ESN.
    if (seq >= ESN_WARNING_THRESHOLD && (flags & (SaFlag.EsnReported | SaFlag.Esn)) === 0) {
      t.setInt(s, SaInt.Flags, t.getInt(s, SaInt.Flags) | SaFlag.EsnReported);
      this.saEvent(d, s, isAh ? 'ah.esn_needed' : 'esp.esn_needed', frame, seq,
        { remaining: 0xffffffff - seq, note: 'the 32-bit counter is close to wrapping: rekey or use extended sequence numbers' });
    }
  }

  /** A new SA in a direction that already had one is a rekey of it (the newest one). */
  private linkRekey(s: number, pair: number, lane: number): void {
    const t = this.sas;
    const i = pair * 4 + lane;
    const old = this.pairs.newestSa[i]!;
    this.pairs.newestSa[i] = s;
    if (old === NO_SLOT || old === s) return;
    // Packets on a replaced SA are counted one by one (late after rekey).
    this.runs.close(old);
    t.setInt(s, SaInt.Predecessor, old);
    t.setInt(old, SaInt.Successor, s);
  }

  private checkSilence(d: DecodedPacket, s: number, pair: number, gap: number, frame: number, seq: number, isAh: boolean): void {
    const t = this.sas;
    const others = Math.max(0, this.pairs.counts[pair * 2 + PAIR_PACKETS]! - t.getNum(s, SaNum.PairPacketsAtLast) - 1);
    if (others === 0) return;
    const cleartext = Math.max(0, this.pairs.counts[pair * 2 + PAIR_CLEARTEXT]! - t.getNum(s, SaNum.PairCleartextAtLast));
    t.count(s, SaAnomaly.Silence);
    const episode: SilenceEpisode = {
      protocol: isAh ? 'ah' : 'esp',
      spi: formatSpi(t.getU32(s, SaInt.Spi)),
      src: formatAddress(d.bytes, d.srcAddrOffset, d.ipVersion),
      dst: formatAddress(d.bytes, d.dstAddrOffset, d.ipVersion),
      seconds: gap,
      fromFrame: t.getNum(s, SaNum.LastFrame),
      toFrame: frame,
      fromTime: t.getNum(s, SaNum.LastTime),
      toTime: this.clock,
      otherPackets: others,
      cleartextPackets: cleartext,
    };
    if (this.silences.length < MAX_SILENCES_KEPT) this.silences.push(episode);
    this.saEvent(d, s, isAh ? 'ah.silence' : 'esp.silence', frame, seq, {
      seconds: gap, fromFrame: episode.fromFrame, otherPackets: others, cleartextPackets: cleartext,
      note: `SA silent while ${others} other packet(s) passed between the same hosts`,
    });
  }

  private sequenceEvent(d: DecodedPacket, s: number, verdict: number, frame: number, seq: number, isAh: boolean): void {
    const p = isAh ? 'ah.' : 'esp.';
    const tr = this.tracker;
    switch (verdict) {
      case SeqVerdict.Gap:
        this.saEvent(d, s, `${p}sequence_gap`, frame, seq, { expected: tr.expected, missing: tr.missing });
        break;
      case SeqVerdict.Replay:
        this.saEvent(d, s, `${p}replay`, frame, seq, { note: 'sequence number already seen (duplicate or replay)' });
        break;
      case SeqVerdict.OutOfOrder:
        this.saEvent(d, s, `${p}out_of_order`, frame, seq, { depth: tr.depth, expected: tr.expected });
        break;
      case SeqVerdict.OutsideWindow:
        this.saEvent(d, s, `${p}outside_replay_window`, frame, seq,
          { depth: tr.depth, window: this.options.replayWindow, note: 'a receiver with this replay window drops it' });
        break;
      case SeqVerdict.SequenceZero: {
        // Reported once per SA.
        const t = this.sas;
        const flags = t.getInt(s, SaInt.Flags);
        if ((flags & SaFlag.SequenceZeroReported) !== 0) break;
        t.setInt(s, SaInt.Flags, flags | SaFlag.SequenceZeroReported);
        t.count(s, SaAnomaly.SequenceZero);
        this.saEvent(d, s, `${p}sequence_zero`, frame, seq,
          { note: 'the first packet carries 1; 0 is only sent as the low 32 bits of an extended sequence number past 2^32 (RFC 4303 3.3.3)' });
        break;
      }
    }
  }

  /**
   * The event for a held number once decided (`verdict` from the tracker;
   * -1: nothing was held). Its frame, time and sequence number are the held
   * packet's, kept in the SA record; the addresses are the SA's.
   */
  private reportHeld(s: number, verdict: number): void {
    if (verdict < 0) return;
    const t = this.sas;
    const tr = this.tracker;
    const p = t.getInt(s, SaInt.Protocol) === IpProto.Ah ? 'ah.' : 'esp.';
    const seq = tr.resolvedSeq;
    let kind: string;
    let detail: Record<string, unknown>;
    if (verdict === SeqVerdict.Restart) {
      kind = `${p}sequence_restart`;
      detail = { previousHighest: tr.resolvedHighest, note: 'counter started again without a new SPI (the next packet went on from this number)' };
    } else if (verdict === SeqVerdict.Replay) {
      kind = `${p}replay`;
      detail = { note: 'sequence number already seen (duplicate or replay)' };
    } else {
      kind = `${p}outside_replay_window`;
      detail = { depth: tr.resolvedDepth, window: this.options.replayWindow, note: 'a receiver with this replay window drops it' };
    }
    this.emitSaEvent(s, kind, t.getNum(s, SaNum.HeldFrame), t.getNum(s, SaNum.HeldTime), seq, null, detail);
  }

  /** Counts a finding; `first` describes it, evaluated only if it is the earliest so far. */
  private count(kind: string, first?: () => FirstFinding, frame = Infinity): void {
    const n = this.findingCounts[kind] ?? 0;
    this.findingCounts[kind] = n + 1;
    if (!first) return;
    const known = this.firstFinding[kind];
    if (n === 0 || (known && frame < known.frame)) this.firstFinding[kind] = first();
  }

  /** Emits one SA finding about packet `d`, unless this SA already produced its share of events. */
  private saEvent(d: DecodedPacket, s: number, kind: string, frame: number, seq: number, detail: Record<string, unknown>): void {
    const p = d.pkt!;
    this.emitSaEvent(s, kind, frame, p.tsSec + p.tsNsec / 1e9, seq, d, detail);
  }

  /** An SA finding; the addresses are `d`'s, or the SA's own when `d` is null. */
  private emitSaEvent(s: number, kind: string, frame: number, time: number, seq: number, d: DecodedPacket | null,
    detail: Record<string, unknown>): void {
    const t = this.sas;
    const address = (which: 0 | 1): string => {
      if (d !== null) return formatAddress(d.bytes, which === 0 ? d.srcAddrOffset : d.dstAddrOffset, d.ipVersion);
      const k = t.keyOf(s);
      return formatAddress(k.key, which === 0 ? k.src : k.dst, t.getInt(s, SaInt.Version));
    };
    // With the frame: a held number's event comes after events of later frames.
    this.count(kind, () => ({ frame, spi: formatSpi(t.getU32(s, SaInt.Spi)), seq, src: address(0), dst: address(1) }), frame);
    const emitted = t.getInt(s, SaInt.EventsEmitted);
    if (emitted >= this.options.maxEventsPerSa) {
      this.suppressedEvents++;
      return;
    }
    t.setInt(s, SaInt.EventsEmitted, emitted + 1);
    const event: AnalysisEvent = {
      frame, kind, time,
      protocol: kind.startsWith('ah.') ? 'ah' : 'esp',
      spi: formatSpi(t.getU32(s, SaInt.Spi)),
      src: address(0),
      dst: address(1),
      seq,
      ...detail,
    };
    if ((t.getInt(s, SaInt.Flags) & SaFlag.SeenInUdp) !== 0) event.encapsulation = 'udp';
    this.listener(event);
  }

  private decryptAndForward(d: DecodedPacket, depth: number): void {
    const dec = this.decryptors[depth]!;
    const status = dec.decrypt(d);
    if (status === DecryptStatus.NoKey) { this.decryption.noKey++; return; }
    this.decryption.attempted++;
    const s = this.sas.lookup(IpProto.Esp, d.esp.spi, d.ipVersion, d.bytes, d.srcAddrOffset, d.dstAddrOffset);
    const frame = d.pkt!.frame;
    if (status === DecryptStatus.AuthFailed) {
      this.decryption.authFailed++;
      this.sas.count(s, SaAnomaly.AuthFailed);
      this.saEvent(d, s, 'esp.auth_failed', frame, d.esp.seq,
        { note: 'integrity check (ICV) failed: wrong key, corruption or forgery', keyOrigin: dec.secret!.origin });
      return;
    }
    if (status !== DecryptStatus.Ok && status !== DecryptStatus.Dummy) {
      this.decryption.failed++;
      this.sas.count(s, SaAnomaly.DecryptFailed);
      const why = decryptStatusText[status]!;
      this.decryptFailures[why] = (this.decryptFailures[why] ?? 0) + 1;
      return;
    }
    if (!dec.icvVerified && !dec.paddingValid) {
      // Nothing vouches for this plaintext (no ICV key, padding not RFC 4303's): keep it from the analyzers.
      this.decryption.failed++;
      this.sas.count(s, SaAnomaly.DecryptFailed);
      const why = 'unverified and padding not 1, 2, 3... (wrong key?)';
      this.decryptFailures[why] = (this.decryptFailures[why] ?? 0) + 1;
      return;
    }
    this.decryption.decrypted++;
    this.sas.count(s, SaAnomaly.Decrypted);
    if (dec.icvVerified) this.decryption.verified++; else this.decryption.unverified++;
    if (status === DecryptStatus.Dummy) { this.decryption.dummy++; return; }
    const inner = this.innerDecoded[depth]!;
    decodePacket(dec.inner, inner);
    if ((inner.layers & Layer.Esp) !== 0 && inner.ipVersion !== 0) {
      this.onIpsec(inner, IpProto.Esp, inner.esp.spi | 0, inner.esp.seq | 0, inner.esp.length, frame);
      if (depth + 1 < this.decryptors.length) this.decryptAndForward(inner, depth + 1);
    }
    if (this.onInnerPacket) this.onInnerPacket(inner, d);
  }

  finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.runs.closeAll();
    // Findings only known at the end are gathered, then emitted in frame order.
    const late: AnalysisEvent[] = [];
    const live = this.listener;
    this.listener = (e) => late.push(e);
    try {
      // Numbers still held at the end started nothing: replays or stale packets.
      for (const s of this.sas.slots()) this.reportHeld(s, this.tracker.resolveHeld(s));
      this.reportRekeys();
      this.reportOneWay();
      this.reportCleartext();
    } finally {
      this.listener = live;
    }
    late.sort((a, b) => a.frame - b.frame);
    for (const e of late) live(e);
  }

  private reportRekeys(): void {
    const t = this.sas;
    for (const s of t.slots()) {
      const old = t.getInt(s, SaInt.Predecessor);
      if (old === NO_SLOT) continue;
      const { key, src, dst } = t.keyOf(s);
      const v = t.getInt(s, SaInt.Version);
      const ah = t.getInt(s, SaInt.Protocol) === IpProto.Ah;
      const kind = ah ? 'ah.rekey' : 'esp.rekey';
      const firstFrame = t.getNum(s, SaNum.FirstFrame);
      this.count(kind, () => this.firstOfSa(s), firstFrame);
      this.listener({
        frame: firstFrame, kind, time: t.getNum(s, SaNum.FirstTime),
        protocol: ah ? 'ah' : 'esp',
        src: formatAddress(key, src, v), dst: formatAddress(key, dst, v),
        oldSpi: formatSpi(t.getU32(old, SaInt.Spi)), spi: formatSpi(t.getU32(s, SaInt.Spi)),
        overlapSeconds: Math.max(0, t.getNum(old, SaNum.LastTime) - t.getNum(s, SaNum.FirstTime)),
        oldPacketsAfterNew: t.getNum(old, SaNum.LateAfterRekey),
        oldLastFrame: t.getNum(old, SaNum.LastFrame),
        oldLastSeq: t.getU32(old, SaInt.LastSeq),
      });
    }
  }

  private reportOneWay(): void {
    const t = this.sas;
    for (const s of t.slots()) {
      const { key, src, dst } = t.keyOf(s);
      const v = t.getInt(s, SaInt.Version);
      const pair = this.pairs.lookup(v, key, src, dst, false);
      if (pair === NO_SLOT) continue;
      const reverse = this.pairs.direction === FROM_LOW ? FROM_HIGH : FROM_LOW;
      if ((this.pairs.ipsecDirections[pair]! & (1 << reverse)) !== 0) continue;
      const ah = t.getInt(s, SaInt.Protocol) === IpProto.Ah;
      const kind = ah ? 'ah.one_way_sa' : 'esp.one_way_sa';
      const firstFrame = t.getNum(s, SaNum.FirstFrame);
      this.count(kind, () => this.firstOfSa(s), firstFrame);
      this.listener({
        frame: firstFrame, kind, time: t.getNum(s, SaNum.FirstTime),
        protocol: ah ? 'ah' : 'esp',
        spi: formatSpi(t.getU32(s, SaInt.Spi)), src: formatAddress(key, src, v), dst: formatAddress(key, dst, v),
        packets: t.getNum(s, SaNum.Packets),
        note: 'no IPsec traffic at all in the reverse direction',
      });
    }
  }

  private reportCleartext(): void {
    for (const f of this.leaks.flows()) {
      this.count('esp.cleartext', () => ({ frame: f.firstFrame, spi: '', seq: 0, src: f.src, dst: f.dst }), f.firstFrame);
      this.listener({
        frame: f.firstFrame, kind: 'esp.cleartext', time: f.firstTime,
        src: f.src, dst: f.dst, ipProtocol: f.protocol, srcPort: f.srcPort, dstPort: f.dstPort,
        packets: f.packets, bytes: f.bytes, lastFrame: f.lastFrame, frames: f.frames,
        note: 'cleartext between hosts that exchange ESP: traffic missed the IPsec policy',
      });
    }
  }

  private firstOfSa(s: number): FirstFinding {
    const t = this.sas;
    const { key, src, dst } = t.keyOf(s);
    const v = t.getInt(s, SaInt.Version);
    return { frame: t.getNum(s, SaNum.FirstFrame), spi: formatSpi(t.getU32(s, SaInt.Spi)), seq: t.getU32(s, SaInt.FirstSeq),
      src: formatAddress(key, src, v), dst: formatAddress(key, dst, v) };
  }

  /** ESP packets so far (those in open runs included). */
  get espPackets(): number { return this.espCounted + this.runs.packetsTaken; }

  /** Key of this analyzer's section in the analysis report. */
  readonly section = 'esp';
  private cachedReport: EspReport | null = null;

  /** The ESP section, after `finish`. */
  report(): EspReport {
    this.runs.closeAll();
    if (!this.cachedReport || !this.finished) this.cachedReport = buildEspReport(this, { ...this.decryptFailures });
    return this.cachedReport;
  }

  /** Headlines for the summary, after `finish`. */
  findings(): EspFinding[] {
    return espFindings(this.report());
  }
}
