/**
 * IEEE 802.11 frames (print-802_11.c's ieee802_11_print): one word for the
 * frame's subtype, what its body says at default verbosity (SSID, rates,
 * channel, status and reason texts, the WEP IV), and LLC/SNAP data handed to
 * the LLC printer. Also the Prism and AVS capture headers in front of a frame.
 * Fields are little-endian. tcpdump's body parsers report truncation by
 * returning 0 (" [|802.11]" after what they printed), not by unwinding.
 */
import { u32, u32le } from '../../decode/bytes.js';
import { macText } from './addresses.js';
import { hexAsciiLines } from './hexdump.js';
import { printLlc } from './llc.js';
import type { PrintContext } from './print-context.js';
import { REASON_TEXT, STATUS_TEXT } from './ieee80211-tables.js';
import { visibleChar } from './text-tables.js';

const T_MGMT = 0, T_CTRL = 1, T_DATA = 2;
const MGMT_HDRLEN = 24;

const FC_TO_DS = 0x0100, FC_FROM_DS = 0x0200, FC_MORE_FRAGMENTS = 0x0400, FC_RETRY = 0x0800;
const FC_POWER_MGMT = 0x1000, FC_MORE_DATA = 0x2000, FC_PROTECTED = 0x4000, FC_ORDER = 0x8000;

const MGMT_SUBTYPES = [
  'Assoc Request', 'Assoc Response', 'ReAssoc Request', 'ReAssoc Response', 'Probe Request', 'Probe Response', '', '',
  'Beacon', 'ATIM', 'Disassociation', 'Authentication', 'DeAuthentication', 'Action', '', '',
];
/** Control subtypes 7-15: name and header length (subtypes below 7 are unknown and end the line). */
const CTRL_SUBTYPES = ['Control Wrapper', 'BAR', 'BA', 'Power Save-Poll', 'Request-To-Send', 'Clear-To-Send', 'Acknowledgment', 'CF-End', 'CF-End+CF-Ack'];
const CTRL_HDRLEN = [16, 20, 10, 16, 16, 10, 10, 16, 16];
const CTRL_BAR = 8, CTRL_BA = 9, CTRL_PS_POLL = 10, CTRL_RTS = 11, CTRL_CTS = 12, CTRL_ACK = 13, CTRL_CF_END = 14, CTRL_END_ACK = 15;
const AUTH_ALGORITHMS = ['Open System', 'Shared Key', 'EAP'];

const E_SSID = 0, E_RATES = 1, E_DS = 3, E_CF = 4, E_TIM = 5, E_CHALLENGE = 16;
const MAX_SSID = 32, MAX_RATES = 16, MAX_CHALLENGE = 253, MAX_TIM_BITMAP = 251;

function le16(b: Uint8Array, o: number): number {
  return b[o]! | (b[o + 1]! << 8);
}

/**
 * What parse_elements keeps of a management body: the first SSID, the first
 * non-empty rates and the first DS channel (offsets into the capture). One
 * reused instance: printing is single-threaded and never re-entrant here.
 */
const elements = { ssid: -1, ssidLength: 0, rates: -1, ratesLength: 0, channel: -1 };

/**
 * Walks the information elements of `length` bytes at `p`; false where
 * tcpdump's parse_elements gives up (truncated, or an element longer than
 * its fixed buffer), keeping what was found before.
 */
function parseElements(c: PrintContext, p: number, length: number): boolean {
  const e = elements, b = c.b;
  e.ssid = -1; e.ssidLength = 0; e.rates = -1; e.ratesLength = 0; e.channel = -1;
  while (length !== 0) {
    if (!c.has(p, 2) || length < 2) return false;
    const id = b[p]!, n = b[p + 1]!;
    if (!c.has(p + 2, n) || length < n + 2) return false;
    switch (id) {
      case E_SSID:
        if (n > MAX_SSID) return false;
        if (e.ssid < 0) { e.ssid = p + 2; e.ssidLength = n; }
        break;
      case E_CHALLENGE:
        if (n > MAX_CHALLENGE) return false;
        break;
      case E_RATES:
        if (n > MAX_RATES) return false;
        if (e.rates < 0 && n !== 0) { e.rates = p + 2; e.ratesLength = n; }
        break;
      case E_DS:
        if (n === 1 && e.channel < 0) e.channel = b[p + 2]!;
        break;
      case E_TIM:
        if (n > 3 && n - 3 > MAX_TIM_BITMAP) return false;
        break;
      case E_CF: default:
        break;
    }
    p += 2 + n;
    length -= 2 + n;
  }
  return true;
}

/** PRINT_SSID: the SSID up to its first NUL, made visible. */
function printSsid(c: PrintContext): void {
  const e = elements;
  if (e.ssid < 0) return;
  c.s += ' (';
  for (let i = 0; i < e.ssidLength; i++) {
    const ch = c.b[e.ssid + i]!;
    if (ch === 0) break;
    c.s += visibleChar(ch);
  }
  c.s += ')';
}

/** PRINT_RATES: " [1.0* 2.0 ... Mbit]", a star on basic rates. */
function printRates(c: PrintContext): void {
  const e = elements;
  if (e.rates < 0) return;
  let sep = ' [';
  for (let i = 0; i < e.ratesLength; i++) {
    const r = c.b[e.rates + i]!;
    c.s += sep + ((r & 0x7f) / 2).toFixed(1) + (r & 0x80 ? '*' : '');
    sep = ' ';
  }
  c.s += ' Mbit]';
}

/** PRINT_DS_CHANNEL. */
function printChannelAndPrivacy(c: PrintContext, capability: number): void {
  if (elements.channel >= 0) c.s += ' CH: ' + elements.channel;
  if (capability & 0x10) c.s += ', PRIVACY';
}

function statusText(code: number): string {
  return STATUS_TEXT[code] ?? 'n/a';
}

function reasonText(code: number): string {
  return REASON_TEXT[code] ?? 'Reserved';
}

/** wep_print: the IV, pad and key index in front of an encrypted body. */
function printWep(c: PrintContext, p: number): boolean {
  if (!c.has(p, 4)) return false;
  const iv = u32le(c.b, p);
  c.s += ' IV:' + (iv & 0xffffff).toString(16).padStart(3, ' ') + ' Pad ' + ((iv >>> 24) & 0x3f).toString(16) +
    ' KeyID ' + (iv >>> 30).toString(16);
  return true;
}

/** Fixed fields then elements: false when the fixed part is cut short. */
function fixedThenElements(c: PrintContext, p: number, length: number, fixed: number): boolean | null {
  if (!c.has(p, fixed) || length < fixed) return null;
  return parseElements(c, p + fixed, length - fixed);
}

/** handle_action: category and action, by name where tcpdump knows them. */
function printAction(c: PrintContext, src: number, p: number, length: number): boolean {
  if (!c.has(p, 2) || length < 2) return false;
  c.s += c.opts.link ? ': ' : ' (' + macText(c.b, src) + '): ';
  const category = c.b[p]!, action = c.b[p + 1]!;
  const act = (names: readonly string[]): string => names[action] || 'Act#' + action;
  switch (category) {
    case 0: c.s += 'Spectrum Management Act#' + action; break;
    case 1: c.s += 'QoS Act#' + action; break;
    case 2: c.s += 'DLS Act#' + action; break;
    case 3: c.s += 'BA ' + act(['ADDBA Request', 'ADDBA Response', 'DELBA']); break;
    case 7: c.s += 'HT ' + act(['TxChWidth', 'MIMOPwrSave']); break;
    case 13:
      c.s += 'MeshAction ' + act(['MeshLink', 'HWMP', 'Gate Announcement', 'Congestion Control', 'MCCA Setup Request',
        'MCCA Setup Reply', 'MCCA Advertisement Request', 'MCCA Advertisement', 'MCCA Teardown',
        'TBTT Adjustment Request', 'TBTT Adjustment Response']);
      break;
    case 14: c.s += 'MultiohopAction ' + act(['Proxy Update', 'Proxy Update Confirmation']); break;
    case 15: c.s += 'SelfprotectAction ' + act(['', 'Peering Open', 'Peering Confirm', 'Peering Close', 'Group Key Inform', 'Group Key Acknowledge']); break;
    case 127: c.s += 'Vendor Act#' + action; break;
    default: c.s += 'Reserved(' + category + ') Act#' + action; break;
  }
  return true;
}

/** mgmt_body_print: false when tcpdump ends the line with " [|802.11]". */
function printMgmtBody(c: PrintContext, fc: number, src: number, p: number, length: number): boolean {
  const subtype = (fc >> 4) & 0xf, b = c.b;
  c.s += MGMT_SUBTYPES[subtype] || 'Unhandled Management subtype(' + subtype.toString(16) + ')';
  if (fc & FC_PROTECTED) return printWep(c, p);
  let ok: boolean | null;
  switch (subtype) {
    case 0: // association request: capability, listen interval
      ok = fixedThenElements(c, p, length, 4);
      if (ok === null) return false;
      printSsid(c); printRates(c);
      return ok;
    case 1: case 3: { // (re)association response: capability, status, AID
      ok = fixedThenElements(c, p, length, 6);
      if (ok === null) return false;
      const capability = le16(b, p), status = le16(b, p + 2), aid = le16(b, p + 4) & 0x3fff;
      c.s += ' AID(' + aid.toString(16) + ') :' + (capability & 0x10 ? ' PRIVACY ' : '') + ': ' + statusText(status);
      return ok;
    }
    case 2: // reassociation request: capability, listen interval, current AP
      ok = fixedThenElements(c, p, length, 10);
      if (ok === null) return false;
      printSsid(c);
      c.s += ' AP : ' + macText(b, p + 4);
      return ok;
    case 4:
      ok = parseElements(c, p, length);
      printSsid(c); printRates(c);
      return ok;
    case 5: case 8: { // probe response, beacon: timestamp, interval, capability
      ok = fixedThenElements(c, p, length, 12);
      if (ok === null) return false;
      const capability = le16(b, p + 10);
      printSsid(c); printRates(c);
      if (subtype === 8) c.s += capability & 1 ? ' ESS' : ' IBSS';
      printChannelAndPrivacy(c, capability);
      return ok;
    }
    case 10:
      if (!c.has(p, 2) || length < 2) return false;
      c.s += ': ' + reasonText(le16(b, p));
      return true;
    case 11: { // authentication: algorithm, transaction number, status
      ok = fixedThenElements(c, p, length, 6);
      if (ok === null) return false;
      const algorithm = le16(b, p), seq = le16(b, p + 2), status = le16(b, p + 4);
      const challenge = algorithm === 1 && (seq === 2 || seq === 3);
      c.s += ' (' + (AUTH_ALGORITHMS[algorithm] ?? 'Reserved') + ')-' + seq.toString(16) +
        (challenge ? ' [Challenge Text] ' : ': ') + (seq % 2 ? statusText(status) : '');
      return ok;
    }
    case 12:
      if (!c.has(p, 2) || length < 2) return false;
      c.s += (c.opts.link ? ': ' : ' (' + macText(b, src) + '): ') + reasonText(le16(b, p));
      return true;
    case 13:
      return printAction(c, src, p, length);
    default:
      return true;
  }
}

/** ctrl_body_print: the addresses tcpdump shows without -e. */
function printCtrlBody(c: PrintContext, subtype: number, h: number): boolean {
  const b = c.b, e = c.opts.link;
  c.s += CTRL_SUBTYPES[subtype - 7]!;
  if (subtype === 7) return true;
  if (!c.has(h, CTRL_HDRLEN[subtype - 7]!)) return false;
  switch (subtype) {
    case CTRL_BAR:
      if (!e) c.s += ' RA:' + macText(b, h + 4) + ' TA:' + macText(b, h + 10) + ' CTL(' + le16(b, h + 16).toString(16) + ') SEQ(' + le16(b, h + 18) + ') ';
      break;
    case CTRL_PS_POLL:
      c.s += ' AID(' + le16(b, h + 2).toString(16) + ')';
      break;
    case CTRL_RTS:
      if (!e) c.s += ' TA:' + macText(b, h + 10) + ' ';
      break;
    default: // BA, CTS, ACK, CF-End, CF-End+CF-Ack: the receiver
      if (!e) c.s += ' RA:' + macText(b, h + 4) + ' ';
  }
  return true;
}

/** extract_header_length; 0 (after tcpdump's note) for unknown types and control subtypes. */
function headerLength(c: PrintContext, fc: number): number {
  const type = (fc >> 2) & 3, subtype = (fc >> 4) & 0xf;
  switch (type) {
    case T_MGMT: return MGMT_HDRLEN;
    case T_CTRL:
      if (subtype >= 7) return CTRL_HDRLEN[subtype - 7]!;
      c.s += 'unknown 802.11 ctrl frame subtype (' + subtype + ')';
      return 0;
    case T_DATA:
      return ((fc & FC_TO_DS) && (fc & FC_FROM_DS) ? 30 : 24) + (subtype & 8 ? 2 : 0);
    default:
      c.s += 'unknown 802.11 frame type (' + type + ')';
      return 0;
  }
}

/** -e: ieee_802_11_hdr_print (with -v the frame control flags and duration first). */
function printHeader(c: PrintContext, fc: number, h: number): void {
  const b = c.b, type = (fc >> 2) & 3, subtype = (fc >> 4) & 0xf;
  if (c.opts.verbose) {
    if (fc & FC_MORE_DATA) c.s += 'More Data ';
    if (fc & FC_MORE_FRAGMENTS) c.s += 'More Fragments ';
    if (fc & FC_POWER_MGMT) c.s += 'Pwr Mgmt ';
    if (fc & FC_RETRY) c.s += 'Retry ';
    if (fc & FC_ORDER) c.s += 'Strictly Ordered ';
    if (fc & FC_PROTECTED) c.s += 'Protected ';
    if (type !== T_CTRL || subtype !== CTRL_PS_POLL) c.s += le16(b, h + 2) + 'us ';
  }
  const a1 = macText(b, h + 4);
  if (type === T_MGMT) {
    c.s += 'BSSID:' + macText(b, h + 16) + ' DA:' + a1 + ' SA:' + macText(b, h + 10) + ' ';
  } else if (type === T_CTRL) {
    switch (subtype) {
      case CTRL_BAR:
        c.s += ' RA:' + a1 + ' TA:' + macText(b, h + 10) + ' CTL(' + le16(b, h + 16).toString(16) + ') SEQ(' + le16(b, h + 18) + ') ';
        break;
      case CTRL_BA: case CTRL_CTS: case CTRL_ACK: c.s += 'RA:' + a1 + ' '; break;
      case CTRL_PS_POLL: c.s += 'BSSID:' + a1 + ' TA:' + macText(b, h + 10) + ' '; break;
      case CTRL_RTS: c.s += 'RA:' + a1 + ' TA:' + macText(b, h + 10) + ' '; break;
      case CTRL_CF_END: case CTRL_END_ACK: c.s += 'RA:' + a1 + ' BSSID:' + macText(b, h + 10) + ' '; break;
    }
  } else if (type === T_DATA) {
    if (subtype & 0xb) {
      c.s += 'CF ' + (subtype & 1 ? (subtype & 2 ? 'Ack/Poll' : 'Ack') : subtype & 2 ? 'Poll' : '') + (subtype & 8 ? '+QoS' : '') + ' ';
    }
    const a2 = macText(b, h + 10), a3 = macText(b, h + 16);
    switch (fc & (FC_TO_DS | FC_FROM_DS)) {
      case 0: c.s += 'DA:' + a1 + ' SA:' + a2 + ' BSSID:' + a3 + ' '; break;
      case FC_FROM_DS: c.s += 'DA:' + a1 + ' BSSID:' + a2 + ' SA:' + a3 + ' '; break;
      case FC_TO_DS: c.s += 'BSSID:' + a1 + ' SA:' + a2 + ' DA:' + a3 + ' '; break;
      default: c.s += 'RA:' + a1 + ' TA:' + a2 + ' DA:' + a3 + ' SA:' + macText(b, h + 24) + ' ';
    }
  }
}

/** Where a data frame's source and destination addresses are, by its DS bits (get_data_src_dst_mac). */
function dataSource(fc: number, h: number): number {
  switch (fc & (FC_TO_DS | FC_FROM_DS)) {
    case 0: case FC_TO_DS: return h + 10;
    case FC_FROM_DS: return h + 16;
    default: return h + 24;
  }
}

function dataDestination(fc: number, h: number): number {
  return fc & FC_TO_DS ? h + 16 : h + 4;
}

/**
 * ieee802_11_print: a frame of `length` bytes (`caplen` captured) at `h`.
 * `pad` rounds the header to 4 bytes (Atheros), `fcslen` strips a trailing
 * FCS. Returns the header length tcpdump counts for -x.
 */
export function printIeee80211(c: PrintContext, h: number, length: number, caplen: number, pad: boolean, fcslen: number): number {
  c.proto = '802.11';
  const origCaplen = caplen;
  if (length < fcslen) { c.trunc(); return caplen; }
  length -= fcslen;
  if (caplen > length) {
    // The FCS was captured: keep it out of reach of the printers.
    c.snapend -= caplen - length;
    caplen = length;
  }
  if (caplen < 2) { c.trunc(); return origCaplen; }
  const b = c.b, fc = le16(b, h);
  let hdrlen = headerLength(c, fc);
  if (hdrlen === 0) return 0;
  if (pad) hdrlen = (hdrlen + 3) & ~3;
  if (caplen < hdrlen) { c.trunc(); return hdrlen; }
  if (c.opts.link) printHeader(c, fc, h);
  length -= hdrlen;
  caplen -= hdrlen;
  const p = h + hdrlen, type = (fc >> 2) & 3, subtype = (fc >> 4) & 0xf;
  switch (type) {
    case T_MGMT:
      if (!printMgmtBody(c, fc, h + 10, p, length)) c.trunc();
      return hdrlen;
    case T_CTRL:
      if (!printCtrlBody(c, subtype, h)) c.trunc();
      return hdrlen;
    default: {
      if (subtype & 4) return hdrlen; // no data
      if (fc & FC_PROTECTED) {
        c.s += 'Data';
        if (!printWep(c, p)) c.trunc();
        return hdrlen;
      }
      const llc = printLlc(c, p, length, caplen, dataDestination(fc, h), dataSource(fc, h));
      if (llc >= 0) return hdrlen + llc;
      if (!c.opts.suppressDefaultPrint && caplen > 0) c.s += hexAsciiLines(b, p, caplen, '\n\t');
      return hdrlen - llc;
    }
  }
}

/** DLT_IEEE802_11: a bare frame. */
export function printIeee80211Link(c: PrintContext, start: number, length: number, caplen: number): void {
  c.linkHeaderLength = printIeee80211(c, start, length, caplen, false, 0);
}

const PRISM_HDRLEN = 144;
const AVS_COOKIE_V1 = 0x80211001, AVS_COOKIE_V2 = 0x80211002;

/** DLT_IEEE802_11_RADIO_AVS: a big-endian header that says its own length. */
export function printAvs(c: PrintContext, start: number, length: number, caplen: number): void {
  c.proto = '802.11_radio_avs';
  if (caplen < 8) { c.trunc(); c.linkHeaderLength = caplen; return; }
  const hl = c.u32(start + 4);
  if (hl < 8 || caplen < hl) { c.trunc(); c.linkHeaderLength = caplen; return; }
  c.linkHeaderLength = hl + printIeee80211(c, start + hl, length - hl, caplen - hl, false, 0);
}

/** DLT_PRISM_HEADER: 144 bytes of radio information, or an AVS header by its cookie. */
export function printPrism(c: PrintContext, start: number, length: number, caplen: number): void {
  c.proto = 'prism';
  if (caplen < 4) { c.trunc(); c.linkHeaderLength = caplen; return; }
  const cookie = c.u32(start);
  if (cookie === AVS_COOKIE_V1 || cookie === AVS_COOKIE_V2) { printAvs(c, start, length, caplen); return; }
  if (caplen < PRISM_HDRLEN) { c.trunc(); c.linkHeaderLength = caplen; return; }
  c.linkHeaderLength = PRISM_HDRLEN + printIeee80211(c, start + PRISM_HDRLEN, length - PRISM_HDRLEN, caplen - PRISM_HDRLEN, false, 0);
}

/**
 * Where the LLC header of an unencrypted data frame at `h` starts, or -1
 * when the frame carries none (management, control, null or protected
 * data, or too short): for exact-scope.ts, judged from the capture.
 */
export function ieee80211LlcOffset(b: Uint8Array, h: number, end: number, pad: boolean): number {
  if (h + 2 > end) return -1;
  const fc = le16(b, h), subtype = (fc >> 4) & 0xf;
  if (((fc >> 2) & 3) !== T_DATA || (subtype & 4) || (fc & FC_PROTECTED)) return -1;
  let hdrlen = ((fc & FC_TO_DS) && (fc & FC_FROM_DS) ? 30 : 24) + (subtype & 8 ? 2 : 0);
  if (pad) hdrlen = (hdrlen + 3) & ~3;
  return h + hdrlen <= end ? h + hdrlen : -1;
}

/** The 802.11 frame's offset behind a Prism or AVS header, or -1. */
export function prismFrameOffset(b: Uint8Array, o: number, caplen: number, avs: boolean): number {
  if (caplen < 8) return -1;
  const cookie = u32(b, o);
  if (avs || cookie === AVS_COOKIE_V1 || cookie === AVS_COOKIE_V2) {
    const hl = u32(b, o + 4);
    return hl < 8 || hl > caplen ? -1 : o + hl;
  }
  return caplen < PRISM_HDRLEN ? -1 : o + PRISM_HDRLEN;
}
