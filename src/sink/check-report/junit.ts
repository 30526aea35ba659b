/**
 * JUnit XML for CI dashboards (GitHub, GitLab, Jenkins, Azure): one
 * testsuite, one testcase per capture; a difference is a <failure> whose body
 * is the diff, an unreadable input an <error>.
 */
import type { CaptureCheck, CheckResult } from '../../check/check-result.js';
import { differenceText } from './diff-text.js';

/** XML 1.0 forbids most control characters even escaped; they are replaced. */
function xmlText(s: string): string {
  return s
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '\ufffd')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function attr(name: string, value: string | number): string {
  return ` ${name}="${xmlText(String(value))}"`;
}

/** Test case name: the capture path without its folder, class name: the folder, as dashboards group them. */
function caseNames(capture: string): { classname: string; name: string } {
  const slash = capture.lastIndexOf('/');
  return slash < 0 ? { classname: 'zsniff.check', name: capture } : { classname: `zsniff.check.${capture.slice(0, slash)}`, name: capture.slice(slash + 1) };
}

export class JunitReport {
  constructor(private readonly result: CheckResult, private readonly suiteName = 'zsniff check') {}

  /** Seconds per capture are optional; given, they go into `time` attributes. */
  toXml(secondsByCapture: ReadonlyMap<string, number> = new Map()): string {
    const r = this.result;
    const failures = r.summary.differs + r.summary.missing;
    const total = [...secondsByCapture.values()].reduce((s, x) => s + x, 0);
    const time = secondsByCapture.size > 0 ? attr('time', total.toFixed(3)) : '';
    const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
    const counts = `${attr('tests', r.captures.length)}${attr('failures', failures)}${attr('errors', r.summary.errors)}${attr('skipped', 0)}`;
    out.push(`<testsuites${attr('name', this.suiteName)}${counts}${time}>`);
    out.push(`  <testsuite${attr('name', this.suiteName)}${counts}${time}>`);
    for (const c of r.captures) out.push(...this.testCase(c, secondsByCapture.get(c.capture)));
    out.push('  </testsuite>', '</testsuites>');
    return `${out.join('\n')}\n`;
  }

  private testCase(c: CaptureCheck, seconds: number | undefined): string[] {
    const { classname, name } = caseNames(c.capture);
    const head = `    <testcase${attr('classname', classname)}${attr('name', name)}${attr('file', c.capture)}${seconds === undefined ? '' : attr('time', seconds.toFixed(3))}`;
    if (c.status === 'error') {
      const msg = c.message ?? 'unreadable input';
      return [`${head}>`, `      <error${attr('message', msg)}${attr('type', 'InputError')}>${xmlText(msg)}</error>`, '    </testcase>'];
    }
    if (c.status === 'missing') {
      const msg = c.message ?? `no snapshot ${c.snapshot}`;
      return [`${head}>`, `      <failure${attr('message', msg)}${attr('type', 'MissingSnapshot')}>${xmlText(msg)}</failure>`, '    </testcase>'];
    }
    if (c.status === 'differs') {
      const failing = c.differences.filter((d) => !d.tolerated);
      const summary = `${failing.length} difference${failing.length === 1 ? '' : 's'} from ${c.snapshot}: ${failing.slice(0, 3).map((d) => d.path).join(', ')}${failing.length > 3 ? ', ...' : ''}`;
      const body = c.differences.map((d) => `${differenceText(d)}${d.tolerated ? ' (tolerated)' : ''}`).join('\n');
      return [`${head}>`, `      <failure${attr('message', summary)}${attr('type', 'SnapshotMismatch')}>${xmlText(body)}</failure>`, '    </testcase>'];
    }
    return [`${head}/>`];
  }
}
