// The git checkout a project lives in, for the facts and files the engine takes from git.
// Git names paths from the repository's top level (status, ls-files --full-name); the engine
// names them from the project's root, which may be a subdirectory of the repository.
import { realpathSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { SimpleGit } from 'simple-git';

export interface Checkout {
  git: SimpleGit;
  /** A path as git names it, relative to the project root ('../…' when outside the project). */
  projectPath(topLevelPath: string): string;
}

/** The checkout holding `root`, or null when `root` is not inside a git repository. */
export async function openCheckout(root: string): Promise<Checkout | null> {
  // Loaded on first use, so commands that never ask git do not pay for it.
  const { simpleGit } = await import('simple-git');
  const git = simpleGit(root);
  if (!(await git.checkIsRepo().catch(() => false))) return null;
  // Both real paths: git reports its top level resolved, and root may be reached through a link.
  const top = realpathSync((await git.revparse(['--show-toplevel'])).trim());
  const project = realpathSync(root);
  return { git, projectPath: (p) => relative(project, join(top, p)).split(sep).join('/') };
}
