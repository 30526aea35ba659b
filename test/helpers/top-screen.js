// Reading zsniff top's screen in tests: the streams table's rows, and the
// check that each row's columns are those of `zsniff analyze`'s table for
// the same packets. This file holds no tests itself.
import assert from 'node:assert/strict';

/** The streams table's rows, in screen order. */
export function tableRows(screen) {
  const lines = screen.split('\n');
  const head = lines.findIndex((l) => /^\s+# endpoints/.test(l));
  return head < 0 ? [] : lines.slice(head + 1).filter((l) => /^\s+\d+ \S+ (->|<-) /.test(l));
}

const seconds = (t) => {
  const m = /^(\d+(?:\.\d+)?) (us|ms|s)$/.exec(t);
  return m ? Number(m[1]) * { us: 1e-6, ms: 1e-3, s: 1 }[m[2]] : NaN;
};

/** Half the last shown digit of a duration's text ("1.3 ms": 0.05 ms): the rounding it may hide. */
const halfDigit = (t) => {
  const m = /^\d+(?:\.(\d+))?\s(us|ms|s)$/.exec(t);
  return m ? 0.5 * 10 ** -(m[1]?.length ?? 0) * { us: 1e-6, ms: 1e-3, s: 1 }[m[2]] : 0;
};

/**
 * Each row's rtt, retransmission share, state and trouble equal those of analyze's table (`analyzed`,
 * plain text). `rttTolerance` (seconds): two captures of the same packets (live) stamp them apart by a
 * few microseconds, so their RTTs may differ by as much, and their texts by a shown digit's rounding.
 */
export function assertRowsMatchAnalyze(rows, analyzed, rttTolerance = 0) {
  for (const row of rows) {
    const stream = row.trim().split(' ')[0];
    const theirs = analyzed.split('\n').find((l) => new RegExp(`^\\s+${stream}  \\d`).test(l));
    assert.ok(theirs, `analyze lists stream ${stream}`);
    // analyze: # endpoints pkts bytes retrans rtt ended trouble
    const m = /(\S+%|-)\s+(\d+(?:\.\d+)? (?:us|ms|s)|-)\s+(open|FIN by \w|RST by \w|half-closed by \w)\s+(.*)$/.exec(theirs);
    assert.ok(m, theirs);
    const [, retr, rtt, ended, trouble] = m;
    const ours = /(\d+(?:\.\d+)? (?:us|ms|s)|-)\s+(\S+%|-) /.exec(row.slice(row.indexOf(ended.slice(0, 8)) + 8));
    // With a tolerance, the two texts may also round apart (1.249 ms and 1.251 ms show as 1.2 and 1.3).
    const sameRtt = ours !== null && (ours[1] === rtt ||
      (rttTolerance > 0 && Math.abs(seconds(ours[1]) - seconds(rtt)) <= rttTolerance + halfDigit(ours[1]) + halfDigit(rtt)));
    assert.ok(sameRtt && ours[2] === retr && row.includes(ended.slice(0, 8)) && row.trimEnd().endsWith(trouble.trimEnd()),
      `stream ${stream}: top shows\n${row}\nanalyze shows\n${theirs}`);
  }
}
