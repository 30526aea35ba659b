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
import { LayerBit } from '../../decode/layers.js';
import type { AnalysisEvent, Analyzer, EventListener } from '../analyzer.js';
import { formatAddress, formatSpi } from './address.js';
import { Slot } from './byte-key-index.js';
import { espEventName, saEventName } from './event-kinds.js';
import { espFindings, type EspFinding } from './findings.js';
import { CleartextLeakDetector } from './cleartext-leak-detector.js';
import { EarlyCleartext } from './early-cleartext.js';
import { DecryptStatus, EspDecryptor, decryptStatusText } from './decrypt.js';
import { FROM_HIGH, FROM_LOW, HostPairTable } from './host-pairs.js';
import { resolveEspOptions, type EspAnalysisOptions, type ResolvedEspOptions } from './options.js';
import { buildEspReport, type EspReport, type FirstFinding, type SilenceEpisode, type TimeBackwardsSummary } from './report.js';
import { SaAnomaly, SaFlag, type SaRecord } from './sa-record.js';
import { SaTable } from './sa-table.js';
import { EspSequenceTracker, SeqLimit, SeqVerdict } from './sequence-tracker.js';

/** Receives each decrypted inner packet; `inner.pkt.frame` is the outer packet's frame. */
export type InnerPacketListener = (inner: DecodedPacket, outer: DecodedPacket) => void;

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
  /** Keys were given: every ESP packet goes to the decryptor (the general path). */
  private readonly decrypting: boolean;
  private finished = false;

  constructor(options: EspAnalysisOptions = {}, private listener: EventListener = () => {}) {
    this.options = resolveEspOptions(options);
    this.silenceSeconds = this.options.silenceSeconds;
    this.decrypting = this.options.secrets.length > 0;
    this.pairs = new HostPairTable(this.options.maxSas);
    this.sas = new SaTable(this.pairs, {
      maxSas: this.options.maxSas,
      windowBits: this.options.replayWindow,
      silenceSeconds: this.silenceSeconds,
      // While decrypting, every ESP packet goes to the decryptor: no runs.
      inOrderRuns: !this.decrypting && this.options.inOrderRuns,
    });
    this.leaks = new CleartextLeakDetector(this.options.allowIcmp);
    this.early = new EarlyCleartext();
    this.tracker = new EspSequenceTracker(this.sas.windowWords, this.options.replayWindow);
    this.sas.onEvict = (sa) => {
      // Evicted, the SA sends nothing more: a number it held started nothing.
      this.reportHeld(sa, this.tracker.resolveHeld(sa));
      this.pairs.forgetSa(sa.pair, sa.slot);
    };
    // A reused pair slot would be counted into by runs that still name it.
    this.pairs.onEvict = () => this.sas.runs.disable();
    if (this.decrypting) {
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
    if ((layers & (LayerBit.Esp | LayerBit.Ah | LayerBit.EspInUdp)) === LayerBit.Esp && d.ipVersion === 4 &&
        this.sas.runs.take(d, p, this.clock)) return;
    this.onOtherPacket(d, layers, p.frame);
  }

  /** Every packet the in-order runs did not take. */
  private onOtherPacket(d: DecodedPacket, layers: number, frame: number): void {
    if (d.ipVersion === 0) return;
    if ((layers & (LayerBit.Esp | LayerBit.Ah)) !== 0) {
      // `| 0`: SPIs and sequence numbers stay int32 across calls (see sa-record.ts).
      if ((layers & LayerBit.Ah) !== 0) this.onIpsec(d, true, d.ah.spi | 0, d.ah.seq | 0, d.ipPayloadLength, frame);
      if ((layers & LayerBit.Esp) !== 0) {
        this.onIpsec(d, false, d.esp.spi | 0, d.esp.seq | 0, d.esp.length, frame);
        if (this.decrypting) this.decryptAndForward(d, 0);
      }
      return;
    }
    const pairs = this.pairs;
    if (!pairs.mayContain(d.ipVersion, d.bytes, d.srcAddrOffset, d.dstAddrOffset)) { this.noteEarly(d); return; }
    const pair = pairs.find(d.ipVersion, d.bytes, d.srcAddrOffset, d.dstAddrOffset);
    if (pair === Slot.None) { this.noteEarly(d); return; }
    pairs.countPacket(pair);
    if (this.leaks.isExempt(d)) return;
    this.endRunsOfPair(pair);
    pairs.countCleartext(pair);
    this.leaks.record(d, frame, d.pkt!.origLen, this.clock);
  }

  /**
   * Ends the in-order runs of a pair's SAs: a run takes the pair's cleartext
   * count as constant. Only the newest ESP SA of each direction can be in a
   * run (older ones have a successor).
   */
  private endRunsOfPair(pair: number): void {
    const low = this.pairs.newestSa(pair, false, FROM_LOW);
    if (low !== Slot.None) this.sas.endRun(low);
    const high = this.pairs.newestSa(pair, false, FROM_HIGH);
    if (high !== Slot.None) this.sas.endRun(high);
  }

  /** Hosts not (yet) IPsec peers: keep the packet's flow in mind in case they become peers. */
  private noteEarly(d: DecodedPacket): void {
    if (this.leaks.isExempt(d)) return;
    this.early.record(d, d.pkt!, this.clock);
  }

  private readonly adoptEarly = (e: number): void => { this.leaks.adopt(this.early, e); };

  private noteTimeBackwards(d: DecodedPacket, t: number): void {
    const step = this.clock - t;
    const tb = this.timeBackwards;
    if (tb.count === 0) tb.firstFrame = d.pkt!.frame;
    tb.count++;
    if (step > tb.largestStepSeconds) tb.largestStepSeconds = step;
    const kind = espEventName('time_backwards');
    this.count(kind, () => ({ frame: d.pkt!.frame, spi: '', seq: 0, src: '', dst: '' }));
    if (tb.count <= this.options.maxEventsPerSa) {
      this.listener({ frame: d.pkt!.frame, kind, time: t, stepBackSeconds: step,
        note: 'timestamp earlier than a previous packet; intervals use the latest time seen' });
    } else {
      this.suppressedEvents++;
    }
  }

  /** SA bookkeeping for one ESP or AH header; `spi` and `seq` as int32. */
  private onIpsec(d: DecodedPacket, isAh: boolean, spi: number, seq: number, length: number, frame: number): void {
    const t = this.sas;
    const now = this.clock;
    if (isAh) this.ahPackets++; else this.espCounted++;
    const b = d.bytes;
    const v = d.ipVersion;
    let s = t.find(isAh, spi, v, b, d.srcAddrOffset, d.dstAddrOffset);
    const created = s === Slot.None;
    if (created) s = t.add(isAh, spi, v, b, d.srcAddrOffset, d.dstAddrOffset);
    const sa = t.record(s);
    const pairs = this.pairs;
    let pair = sa.pair;
    // A pair slot is only reused after an eviction: until then the SA's pair needs no check.
    if (created || pair === Slot.None ||
        (pairs.evictedPairs !== 0 && pairs.generation(pair) !== sa.pairGeneration)) pair = this.attachPair(d, sa);
    const pairPackets = pairs.countPacket(pair);
    if ((d.layers & LayerBit.EspInUdp) !== 0 && !isAh) { sa.flags |= SaFlag.SeenInUdp; this.udpEncapsulated++; }

    if (created) {
      this.onNewSa(d, sa, pair, spi >>> 0, seq >>> 0, frame, isAh);
    } else {
      // `now` is the running maximum, not this packet's time (which may step back).
      const gap = now - sa.lastTime;
      if (gap > sa.maxGap || gap >= this.silenceSeconds) this.onGap(d, sa, pair, gap, frame, seq >>> 0, isAh);
    }
    sa.packets++;
    sa.bytes += length;
    sa.lastTime = now;
    sa.lastFrame = frame;
    sa.pairPacketsAtLast = pairPackets;
    const clear = pairs.cleartext(pair);
    if (clear !== 0) sa.pairCleartextAtLast = clear;
    if (sa.successor !== Slot.None) {
      sa.lateAfterRekey++;
      sa.lateLastFrame = frame;
    }

    // In order is nearly every packet: handled here; the tracker decides everything else:
    // the first number, a number held for the next packet to decide, and 0 (after
    // 0xffffffff the counter going on past 2^32, otherwise invalid).
    if (!created && (sa.flags & (SaFlag.SeqStarted | SaFlag.SeqHeld)) === SaFlag.SeqStarted &&
        seq !== 0 && seq === ((sa.highestSeq + 1) | 0)) {
      this.tracker.advanceByOne(sa, seq);
    } else {
      const tr = this.tracker;
      const verdict = tr.observe(sa, seq);
      if (tr.resolved >= 0) this.reportHeld(sa, tr.resolved);
      if (verdict === SeqVerdict.Held) {
        sa.heldFrame = frame;
        const p = d.pkt!;
        sa.heldTime = p.tsSec + p.tsNsec / 1e9;
      } else if (verdict !== SeqVerdict.InOrder && verdict !== SeqVerdict.First) {
        this.sequenceEvent(d, sa, verdict, frame, seq >>> 0, isAh);
      }
    }
    if ((seq >>> 0) >= SeqLimit.EsnWarning) this.checkCounterEdges(d, sa, seq >>> 0, frame, isAh);
    // Plain IPv4 ESP: the SA's next packets may be counted as a run.
    if ((d.layers & (LayerBit.Esp | LayerBit.Ah | LayerBit.EspInUdp)) === LayerBit.Esp && v === 4 && !isAh) {
      t.runs.open(sa, spi, i32(b, d.srcAddrOffset), i32(b, d.dstAddrOffset));
    }
  }

  /** A gap longer than any before on this SA, or long enough to be a silence. */
  private onGap(d: DecodedPacket, sa: SaRecord, pair: number, gap: number, frame: number, seq: number, isAh: boolean): void {
    if (gap > sa.maxGap) {
      sa.maxGap = gap;
      sa.maxGapFrom = sa.lastFrame;
      sa.maxGapTo = frame;
    }
    if (gap >= this.options.silenceSeconds) this.checkSilence(d, sa, pair, gap, frame, seq, isAh);
  }

  /** Attaches SA `sa` to the host pair of its packet `d` (new peers: their earlier cleartext was leaked); returns the pair. */
  private attachPair(d: DecodedPacket, sa: SaRecord): number {
    const pairs = this.pairs;
    const v = d.ipVersion;
    const b = d.bytes;
    let pair = pairs.find(v, b, d.srcAddrOffset, d.dstAddrOffset);
    if (pair === Slot.None) {
      pair = pairs.add(v, b, d.srcAddrOffset, d.dstAddrOffset);
      // New peers: what they sent in the clear before this was a leak too.
      this.early.takeBetween(d, this.adoptEarly);
    }
    const direction = pairs.directionOf(v, b, d.srcAddrOffset, d.dstAddrOffset);
    sa.pair = pair;
    sa.pairDirection = direction;
    sa.pairGeneration = pairs.generation(pair);
    pairs.noteIpsecFrom(pair, direction);
    return pair;
  }

  private onNewSa(d: DecodedPacket, sa: SaRecord, pair: number, spi: number, seq: number, frame: number, isAh: boolean): void {
    sa.firstTime = this.clock;
    sa.firstFrame = frame;
    this.linkRekey(sa, pair, isAh);
    if (spi < 256) this.saEvent(d, sa, saEventName(isAh, 'reserved_spi'), frame, seq,
      { note: spi === 0 ? 'SPI 0 is reserved for local use and never sent' : 'SPIs 1-255 are reserved by IANA' });
  }

  /** A number at or above SeqLimit.EsnWarning: an SA without ESN must rekey before 2^32. */
  private checkCounterEdges(d: DecodedPacket, sa: SaRecord, seq: number, frame: number, isAh: boolean): void {
    // Not once the counter has gone past 2^32 (a late packet from before): the SA uses ESN.
    if ((sa.flags & (SaFlag.EsnReported | SaFlag.Esn)) !== 0) return;
    sa.flags |= SaFlag.EsnReported;
    this.saEvent(d, sa, saEventName(isAh, 'esn_needed'), frame, seq,
      { remaining: 0xffffffff - seq, note: 'the 32-bit counter is close to wrapping: rekey or use extended sequence numbers' });
  }

  /** A new SA in a direction that already had one is a rekey of it (the newest one). */
  private linkRekey(sa: SaRecord, pair: number, isAh: boolean): void {
    const old = this.pairs.replaceNewestSa(pair, isAh, sa.pairDirection, sa.slot);
    if (old === Slot.None || old === sa.slot) return;
    // Reading the replaced SA ends its run: its packets are counted one by one from now on (late after rekey).
    const replaced = this.sas.record(old);
    sa.predecessor = old;
    replaced.successor = sa.slot;
  }

  private checkSilence(d: DecodedPacket, sa: SaRecord, pair: number, gap: number, frame: number, seq: number, isAh: boolean): void {
    const others = Math.max(0, this.pairs.packets(pair) - sa.pairPacketsAtLast - 1);
    if (others === 0) return;
    const cleartext = Math.max(0, this.pairs.cleartext(pair) - sa.pairCleartextAtLast);
    sa.count(SaAnomaly.Silence);
    const episode: SilenceEpisode = {
      protocol: isAh ? 'ah' : 'esp',
      spi: formatSpi(sa.spi),
      src: formatAddress(d.bytes, d.srcAddrOffset, d.ipVersion),
      dst: formatAddress(d.bytes, d.dstAddrOffset, d.ipVersion),
      seconds: gap,
      fromFrame: sa.lastFrame,
      toFrame: frame,
      fromTime: sa.lastTime,
      toTime: this.clock,
      otherPackets: others,
      cleartextPackets: cleartext,
    };
    if (this.silences.length < MAX_SILENCES_KEPT) this.silences.push(episode);
    this.saEvent(d, sa, saEventName(isAh, 'silence'), frame, seq, {
      seconds: gap, fromFrame: episode.fromFrame, otherPackets: others, cleartextPackets: cleartext,
      note: `SA silent while ${others} other packet(s) passed between the same hosts`,
    });
  }

  private sequenceEvent(d: DecodedPacket, sa: SaRecord, verdict: number, frame: number, seq: number, isAh: boolean): void {
    const tr = this.tracker;
    switch (verdict) {
      case SeqVerdict.Gap:
        this.saEvent(d, sa, saEventName(isAh, 'sequence_gap'), frame, seq, { expected: tr.expected, missing: tr.missing });
        break;
      case SeqVerdict.Replay:
        this.saEvent(d, sa, saEventName(isAh, 'replay'), frame, seq, { note: 'sequence number already seen (duplicate or replay)' });
        break;
      case SeqVerdict.OutOfOrder:
        this.saEvent(d, sa, saEventName(isAh, 'out_of_order'), frame, seq, { depth: tr.depth, expected: tr.expected });
        break;
      case SeqVerdict.OutsideWindow:
        this.saEvent(d, sa, saEventName(isAh, 'outside_replay_window'), frame, seq,
          { depth: tr.depth, window: this.options.replayWindow, note: 'a receiver with this replay window drops it' });
        break;
      case SeqVerdict.SequenceZero: {
        // Reported once per SA.
        if ((sa.flags & SaFlag.SequenceZeroReported) !== 0) break;
        sa.flags |= SaFlag.SequenceZeroReported;
        sa.count(SaAnomaly.SequenceZero);
        this.saEvent(d, sa, saEventName(isAh, 'sequence_zero'), frame, seq,
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
  private reportHeld(sa: SaRecord, verdict: number): void {
    if (verdict < 0) return;
    const tr = this.tracker;
    const isAh = sa.isAh;
    let kind: string;
    let detail: Record<string, unknown>;
    if (verdict === SeqVerdict.Restart) {
      kind = saEventName(isAh, 'sequence_restart');
      detail = { previousHighest: tr.resolvedHighest, note: 'counter started again without a new SPI (the next packet went on from this number)' };
    } else if (verdict === SeqVerdict.Replay) {
      kind = saEventName(isAh, 'replay');
      detail = { note: 'sequence number already seen (duplicate or replay)' };
    } else {
      kind = saEventName(isAh, 'outside_replay_window');
      detail = { depth: tr.resolvedDepth, window: this.options.replayWindow, note: 'a receiver with this replay window drops it' };
    }
    this.emitSaEvent(sa, kind, sa.heldFrame, sa.heldTime, tr.resolvedSeq, null, detail);
  }

  /** Counts a finding; `first` describes it, evaluated only if it is the earliest so far. */
  private count(kind: string, first?: () => FirstFinding, frame = Infinity): void {
    const n = this.findingCounts[kind] ?? 0;
    this.findingCounts[kind] = n + 1;
    if (!first) return;
    const known = this.firstFinding[kind];
    if (n === 0 || (known && frame < known.frame)) this.firstFinding[kind] = first();
  }

  /** Emits finding `kind` (an event name) of SA `sa` about packet `d`, unless the SA already produced its share of events. */
  private saEvent(d: DecodedPacket, sa: SaRecord, kind: string, frame: number, seq: number, detail: Record<string, unknown>): void {
    const p = d.pkt!;
    this.emitSaEvent(sa, kind, frame, p.tsSec + p.tsNsec / 1e9, seq, d, detail);
  }

  /** An SA finding; the addresses are `d`'s, or the SA's own when `d` is null. */
  private emitSaEvent(sa: SaRecord, kind: string, frame: number, time: number, seq: number, d: DecodedPacket | null,
    detail: Record<string, unknown>): void {
    const address = (which: 0 | 1): string => {
      if (d !== null) return formatAddress(d.bytes, which === 0 ? d.srcAddrOffset : d.dstAddrOffset, d.ipVersion);
      const k = this.sas.keyOf(sa.slot);
      return formatAddress(k.key, which === 0 ? k.src : k.dst, sa.version);
    };
    // With the frame: a held number's event comes after events of later frames.
    this.count(kind, () => ({ frame, spi: formatSpi(sa.spi), seq, src: address(0), dst: address(1) }), frame);
    const emitted = sa.eventsEmitted;
    if (emitted >= this.options.maxEventsPerSa) {
      this.suppressedEvents++;
      return;
    }
    sa.eventsEmitted = emitted + 1;
    const event: AnalysisEvent = {
      frame, kind, time,
      protocol: kind.startsWith('ah.') ? 'ah' : 'esp',
      spi: formatSpi(sa.spi),
      src: address(0),
      dst: address(1),
      seq,
      ...detail,
    };
    if ((sa.flags & SaFlag.SeenInUdp) !== 0) event.encapsulation = 'udp';
    this.listener(event);
  }

  private decryptAndForward(d: DecodedPacket, depth: number): void {
    const dec = this.decryptors[depth]!;
    const status = dec.decrypt(d);
    if (status === DecryptStatus.NoKey) { this.decryption.noKey++; return; }
    this.decryption.attempted++;
    const t = this.sas;
    // onIpsec has just seen this packet: its SA is in the table.
    let s = t.find(false, d.esp.spi, d.ipVersion, d.bytes, d.srcAddrOffset, d.dstAddrOffset);
    if (s === Slot.None) s = t.add(false, d.esp.spi, d.ipVersion, d.bytes, d.srcAddrOffset, d.dstAddrOffset);
    const sa = t.record(s);
    const frame = d.pkt!.frame;
    if (status === DecryptStatus.AuthFailed) {
      this.decryption.authFailed++;
      sa.count(SaAnomaly.AuthFailed);
      this.saEvent(d, sa, espEventName('auth_failed'), frame, d.esp.seq,
        { note: 'integrity check (ICV) failed: wrong key, corruption or forgery', keyOrigin: dec.secret!.origin });
      return;
    }
    if (status !== DecryptStatus.Ok && status !== DecryptStatus.Dummy) {
      this.decryption.failed++;
      sa.count(SaAnomaly.DecryptFailed);
      const why = decryptStatusText[status]!;
      this.decryptFailures[why] = (this.decryptFailures[why] ?? 0) + 1;
      return;
    }
    if (!dec.icvVerified && !dec.paddingValid) {
      // Nothing vouches for this plaintext (no ICV key, padding not RFC 4303's): keep it from the analyzers.
      this.decryption.failed++;
      sa.count(SaAnomaly.DecryptFailed);
      const why = 'unverified and padding not 1, 2, 3... (wrong key?)';
      this.decryptFailures[why] = (this.decryptFailures[why] ?? 0) + 1;
      return;
    }
    this.decryption.decrypted++;
    sa.count(SaAnomaly.Decrypted);
    if (dec.icvVerified) this.decryption.verified++; else this.decryption.unverified++;
    if (status === DecryptStatus.Dummy) { this.decryption.dummy++; return; }
    const inner = this.innerDecoded[depth]!;
    decodePacket(dec.inner, inner);
    if ((inner.layers & LayerBit.Esp) !== 0 && inner.ipVersion !== 0) {
      this.onIpsec(inner, false, inner.esp.spi | 0, inner.esp.seq | 0, inner.esp.length, frame);
      if (depth + 1 < this.decryptors.length) this.decryptAndForward(inner, depth + 1);
    }
    if (this.onInnerPacket) this.onInnerPacket(inner, d);
  }

  finish(): void {
    if (this.finished) return;
    this.finished = true;
    // Findings only known at the end are gathered, then emitted in frame order.
    const late: AnalysisEvent[] = [];
    const live = this.listener;
    this.listener = (e) => late.push(e);
    try {
      // Numbers still held at the end started nothing: replays or stale packets.
      for (const sa of this.sas.live()) this.reportHeld(sa, this.tracker.resolveHeld(sa));
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
    for (const sa of t.live()) {
      const old = sa.predecessor;
      if (old === Slot.None) continue;
      const replaced = t.record(old);
      const { key, src, dst } = t.keyOf(sa.slot);
      const v = sa.version;
      const ah = sa.isAh;
      const kind = saEventName(ah, 'rekey');
      const firstFrame = sa.firstFrame;
      this.count(kind, () => this.firstOfSa(sa), firstFrame);
      this.listener({
        frame: firstFrame, kind, time: sa.firstTime,
        protocol: ah ? 'ah' : 'esp',
        src: formatAddress(key, src, v), dst: formatAddress(key, dst, v),
        oldSpi: formatSpi(replaced.spi), spi: formatSpi(sa.spi),
        overlapSeconds: Math.max(0, replaced.lastTime - sa.firstTime),
        oldPacketsAfterNew: replaced.lateAfterRekey,
        oldLastFrame: replaced.lastFrame,
        oldLastSeq: replaced.lastSeq,
      });
    }
  }

  private reportOneWay(): void {
    const t = this.sas;
    const pairs = this.pairs;
    for (const sa of t.live()) {
      const { key, src, dst } = t.keyOf(sa.slot);
      const v = sa.version;
      const pair = pairs.find(v, key, src, dst);
      if (pair === Slot.None) continue;
      const reverse = pairs.directionOf(v, key, src, dst) === FROM_LOW ? FROM_HIGH : FROM_LOW;
      if (pairs.hasIpsecFrom(pair, reverse)) continue;
      const ah = sa.isAh;
      const kind = saEventName(ah, 'one_way_sa');
      const firstFrame = sa.firstFrame;
      this.count(kind, () => this.firstOfSa(sa), firstFrame);
      this.listener({
        frame: firstFrame, kind, time: sa.firstTime,
        protocol: ah ? 'ah' : 'esp',
        spi: formatSpi(sa.spi), src: formatAddress(key, src, v), dst: formatAddress(key, dst, v),
        packets: sa.packets,
        note: 'no IPsec traffic at all in the reverse direction',
      });
    }
  }

  private reportCleartext(): void {
    const kind = espEventName('cleartext');
    for (const f of this.leaks.flows()) {
      this.count(kind, () => ({ frame: f.firstFrame, spi: '', seq: 0, src: f.src, dst: f.dst }), f.firstFrame);
      this.listener({
        frame: f.firstFrame, kind, time: f.firstTime,
        src: f.src, dst: f.dst, ipProtocol: f.protocol, srcPort: f.srcPort, dstPort: f.dstPort,
        packets: f.packets, bytes: f.bytes, lastFrame: f.lastFrame, frames: f.frames,
        note: 'cleartext between hosts that exchange ESP: traffic missed the IPsec policy',
      });
    }
  }

  private firstOfSa(sa: SaRecord): FirstFinding {
    const { key, src, dst } = this.sas.keyOf(sa.slot);
    const v = sa.version;
    return { frame: sa.firstFrame, spi: formatSpi(sa.spi), seq: sa.firstSeq, src: formatAddress(key, src, v), dst: formatAddress(key, dst, v) };
  }

  /** ESP packets so far (those in open runs included). */
  get espPackets(): number { return this.espCounted + this.sas.runs.packetsTaken; }

  /** Key of this analyzer's section in the analysis report. */
  readonly section = 'esp';
  private cachedReport: EspReport | null = null;

  /** The ESP section, after `finish`. */
  report(): EspReport {
    if (!this.cachedReport || !this.finished) this.cachedReport = buildEspReport(this, { ...this.decryptFailures });
    return this.cachedReport;
  }

  /** Headlines for the summary, after `finish`. */
  findings(): EspFinding[] {
    return espFindings(this.report());
  }
}
