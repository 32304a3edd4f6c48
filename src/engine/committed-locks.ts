// The keys that lock records committed on other branches or tags name: what `repro gc
// --all-branches` / `--all-tags` keeps besides the checkout's own, so that checking such a
// ref out again restores its outputs from the run cache instead of recomputing them.
import { InputError } from './errors.ts';
import { openCheckout } from './checkout.ts';

export interface RefSelection {
  branches: boolean;
  tags: boolean;
}

export interface CommittedLocks {
  keys: Set<string>;
  /** The refs read, by short name. */
  refs: string[];
}

const KEY = /^[0-9a-f]{64}$/;

export async function committedLockKeys(root: string, which: RefSelection): Promise<CommittedLocks> {
  const keys = new Set<string>();
  if (!which.branches && !which.tags) return { keys, refs: [] };
  const checkout = await openCheckout(root);
  if (checkout === null) throw new InputError(`${root} is not in a git repository, so it has no branches or tags to read lock records from`, 'leave out --all-branches and --all-tags');
  const { git } = checkout;
  const namespaces = [...(which.branches ? ['refs/heads'] : []), ...(which.tags ? ['refs/tags'] : [])];
  const refs = (await git.raw(['for-each-ref', '--format=%(refname:short)', ...namespaces])).split('\n').filter(Boolean);
  // The project may sit in a subdirectory of the repository.
  const lockDir = `${(await git.revparse(['--show-prefix'])).trim()}lockfiles`;
  const blobs = new Set<string>();
  for (const ref of refs) {
    // "<mode> blob <sha>\t<path>": every lock record of every profile on the ref.
    for (const line of (await git.raw(['ls-tree', '-r', '--full-tree', ref, '--', lockDir])).split('\n')) {
      const [meta, path] = line.split('\t');
      const [, type, sha] = meta?.split(' ') ?? [];
      if (type === 'blob' && sha && path?.endsWith('.json')) blobs.add(sha);
    }
  }
  for (const text of await readBlobs(root, [...blobs])) {
    try {
      const key = (JSON.parse(text) as { key?: unknown }).key;
      if (typeof key === 'string' && KEY.test(key)) keys.add(key);
    } catch {
      // A damaged record on some old ref names nothing to keep.
    }
  }
  return { keys, refs };
}

/** The blobs' contents, read by one `git cat-file --batch`. */
async function readBlobs(root: string, shas: string[]): Promise<string[]> {
  if (!shas.length) return [];
  // Loaded here, not at start-up: only gc reads old refs, and execa costs every command ~70 ms.
  const { execa } = await import('execa');
  const { stdout } = await execa('git', ['cat-file', '--batch'], { cwd: root, input: shas.join('\n') + '\n', encoding: 'buffer', stripFinalNewline: false });
  const out = Buffer.from(stdout);
  const texts: string[] = [];
  // Each object: "<sha> <type> <size>\n", then <size> bytes, then "\n".
  for (let at = 0; at < out.length; ) {
    const eol = out.indexOf(0x0a, at);
    const [, type, size] = out.subarray(at, eol).toString('utf8').split(' ').map((part, i) => (i === 2 ? Number(part) : part)) as [string, string, number];
    if (type === 'missing') {
      at = eol + 1;
      continue;
    }
    texts.push(out.subarray(eol + 1, eol + 1 + size).toString('utf8'));
    at = eol + 1 + size + 1;
  }
  return texts;
}
