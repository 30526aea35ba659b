// Where the shared capture corpora are: `<repository>/../shared/corpus/NAME`
// (CI keeps a read-only copy of the shared folder beside its clone), unless
// the environment says otherwise:
//   ZSNIFF_CORPUS        the tcpdump-tests corpus itself (as before)
//   ZSNIFF_CORPUS_ROOT   the folder holding the corpora (tcpdump-tests, suricata-verify)
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The directory of corpus `name` ('tcpdump-tests', 'suricata-verify'), whether or not it exists. */
export function corpusDir(name) {
  if (name === 'tcpdump-tests' && process.env.ZSNIFF_CORPUS) return resolve(process.env.ZSNIFF_CORPUS);
  if (process.env.ZSNIFF_CORPUS_ROOT) return resolve(process.env.ZSNIFF_CORPUS_ROOT, name);
  return join(repoRoot, '..', 'shared', 'corpus', name);
}

/** A file of corpus `name`. */
export function corpusFile(name, file) {
  return join(corpusDir(name), file);
}

/** Why corpus `name` cannot be used (a message for skipOrFail), or null when it is there. */
export function missingCorpus(name) {
  const dir = corpusDir(name);
  if (existsSync(dir)) return null;
  const how = name === 'tcpdump-tests' ? 'ZSNIFF_CORPUS or ZSNIFF_CORPUS_ROOT' : 'ZSNIFF_CORPUS_ROOT';
  return `the ${name} corpus is missing: no directory ${dir} (the shared folder belongs beside the repository, or set ${how})`;
}
