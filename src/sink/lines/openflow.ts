/**
 * OpenFlow on tcp/6633 and tcp/6653 as tcpdump 4.99 prints it without -v
 * (print-openflow.c): one "\n\tversion V, type T, length L, xid X" per
 * message of the segment, " (invalid)" when a 1.0 or 1.3 message body has a
 * length its type does not allow, " (end of TCP payload)" for a header cut
 * by the segment's end. The bodies themselves are decoded only with -v.
 */
import type { PrintContext } from './print-context.js';
import { HEX8, dec, hexPad } from './text-tables.js';

const HEADER_LEN = 8;

/** Body length rule of a message type: exactly `len`, at least `len`, or anything. */
const enum BodyRule { Fixed, Min, Any }

interface MessageType {
  readonly name: string;
  readonly rule: BodyRule;
  readonly len: number;
}

const fixed = (name: string, total: number): MessageType => ({ name, rule: BodyRule.Fixed, len: total - HEADER_LEN });
const atLeast = (name: string, total: number): MessageType => ({ name, rule: BodyRule.Min, len: total - HEADER_LEN });
const any = (name: string): MessageType => ({ name, rule: BodyRule.Any, len: 0 });

/** OpenFlow 1.0 message types by number; lengths are whole messages (header included). */
const OF10_TYPES: readonly MessageType[] = [
  atLeast('HELLO', 8), atLeast('ERROR', 12), atLeast('ECHO_REQUEST', 8), atLeast('ECHO_REPLY', 8),
  atLeast('VENDOR', 12), fixed('FEATURES_REQUEST', 8), atLeast('FEATURES_REPLY', 32),
  fixed('GET_CONFIG_REQUEST', 8), fixed('GET_CONFIG_REPLY', 12), fixed('SET_CONFIG', 12),
  atLeast('PACKET_IN', 18), fixed('FLOW_REMOVED', 88), fixed('PORT_STATUS', 64), atLeast('PACKET_OUT', 16),
  atLeast('FLOW_MOD', 72), fixed('PORT_MOD', 32), atLeast('STATS_REQUEST', 12), atLeast('STATS_REPLY', 12),
  fixed('BARRIER_REQUEST', 8), fixed('BARRIER_REPLY', 8), fixed('QUEUE_GET_CONFIG_REQUEST', 12),
  atLeast('QUEUE_GET_CONFIG_REPLY', 16),
];

/** OpenFlow 1.3 message types; "Any" where tcpdump does not decode the body yet. */
const OF13_TYPES: readonly MessageType[] = [
  atLeast('HELLO', 8), atLeast('ERROR', 12), atLeast('ECHO_REQUEST', 8), atLeast('ECHO_REPLY', 8),
  atLeast('EXPERIMENTER', 16), fixed('FEATURES_REQUEST', 8), fixed('FEATURES_REPLY', 32),
  fixed('GET_CONFIG_REQUEST', 8), fixed('GET_CONFIG_REPLY', 12), fixed('SET_CONFIG', 12), any('PACKET_IN'),
  any('FLOW_REMOVED'), fixed('PORT_STATUS', 80), any('PACKET_OUT'), any('FLOW_MOD'), any('GROUP_MOD'),
  fixed('PORT_MOD', 40), fixed('TABLE_MOD', 16), any('MULTIPART_REQUEST'), any('MULTIPART_REPLY'),
  fixed('BARRIER_REQUEST', 8), fixed('BARRIER_REPLY', 8), fixed('QUEUE_GET_CONFIG_REQUEST', 16),
  any('QUEUE_GET_CONFIG_REPLY'), fixed('ROLE_REQUEST', 24), fixed('ROLE_REPLY', 24), fixed('GET_ASYNC_REQUEST', 8),
  fixed('GET_ASYNC_REPLY', 32), fixed('SET_ASYNC', 32), any('METER_MOD'),
];

const VERSION_NAMES: readonly string[] = ['', '1.0', '1.1', '1.2', '1.3', '1.4', '1.5'];
const OF_1_0 = 1, OF_1_3 = 4;

export function printOpenflow(c: PrintContext, cp: number, len: number): void {
  c.proto = 'openflow';
  c.s += ': OpenFlow';
  // Every message takes at least its 8-byte header from `len`, so the loop is bounded by the segment.
  while (len > 0) {
    const version = c.u8(cp);
    cp++; len--;
    c.s += '\n\tversion ' + (VERSION_NAMES[version] || 'unknown (0x' + HEX8[version] + ')');
    if (len < 1) { partialHeader(c, cp, len); return; }
    const type = c.u8(cp);
    cp++; len--;
    const table = version === OF_1_0 ? OF10_TYPES : version === OF_1_3 ? OF13_TYPES : null;
    const mt = table !== null ? table[type] : undefined;
    c.s += mt !== undefined ? ', type ' + mt.name : ', type unknown (0x' + HEX8[type] + ')';
    if (len < 2) { partialHeader(c, cp, len); return; }
    const length = c.u16(cp);
    cp += 2; len -= 2;
    c.s += ', length ' + dec(length) + (length < HEADER_LEN ? ' (too short!)' : '');
    if (len < 4) { partialHeader(c, cp, len); return; }
    c.s += ', xid 0x' + hexPad(c.u32(cp), 8);
    cp += 4; len -= 4;
    if (length < HEADER_LEN) {
      c.s += ' (invalid)';
      c.need(cp, len);
      return;
    }
    const body = length - HEADER_LEN;
    if (mt !== undefined && ((mt.rule === BodyRule.Fixed && body !== mt.len) || (mt.rule === BodyRule.Min && body < mt.len))) {
      c.s += ' (invalid)';
    }
    c.need(cp, body);
    // A message running past the segment ends the line; the next segment carries the rest.
    if (body > len) return;
    cp += body; len -= body;
  }
}

function partialHeader(c: PrintContext, cp: number, len: number): void {
  c.s += ' (end of TCP payload)';
  c.need(cp, len);
}
