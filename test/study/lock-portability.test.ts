// The study's committed lock records key on a package built for one platform only where a
// stage runs that native code itself: the figures, which resvg draws. Anywhere else such a
// key makes the stage stale on every other platform, with nothing that differs in what it
// runs (as the report was, through the pipeline loader's esbuild).
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from '../engine/helpers.ts';

/** Every installed copy's manifest by package name, nested installs included. */
function installedManifests(modules: string, into = new Map<string, string[]>()): Map<string, string[]> {
  if (!existsSync(modules)) return into;
  for (const entry of readdirSync(modules)) {
    if (entry.startsWith('.')) continue;
    const names = entry.startsWith('@') ? readdirSync(join(modules, entry)).map((n) => `${entry}/${n}`) : [entry];
    for (const name of names) {
      const manifest = join(modules, name, 'package.json');
      if (existsSync(manifest)) into.set(name, [...(into.get(name) ?? []), manifest]);
      installedManifests(join(modules, name, 'node_modules'), into);
    }
  }
  return into;
}

const installed = installedManifests(join(REPO, 'node_modules'));

/**
 * Whether the package is a build for some platforms only: a manifest of it names an os or a
 * cpu, or it is not installed here (a record names only packages that its stage loaded, and
 * those that every platform installs are installed here too).
 */
function platformBuild(name: string): boolean {
  const manifests = installed.get(name);
  if (manifests === undefined) return true;
  return manifests.some((m) => {
    const { os, cpu } = JSON.parse(readFileSync(m, 'utf8')) as { os?: string[]; cpu?: string[] };
    return os !== undefined || cpu !== undefined;
  });
}

function lockRecords(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? lockRecords(join(dir, e.name)) : e.name.endsWith('.json') ? [join(dir, e.name)] : []));
}

describe('committed lock records', () => {
  it('key on platform builds only in the stages that run them', () => {
    const found: Record<string, string[]> = {};
    const records = lockRecords(join(REPO, 'lockfiles'));
    expect(records.length).toBeGreaterThan(100);
    for (const file of records) {
      const { id, material } = JSON.parse(readFileSync(file, 'utf8')) as { id: string; material: { packages: Record<string, string | null> } };
      const builds = Object.keys(material.packages).filter(platformBuild);
      if (builds.length > 0) found[id] = builds;
    }
    expect(Object.keys(found)).toEqual(['figures']);
    expect(found.figures).toHaveLength(1);
    expect(found.figures![0]).toMatch(/^@resvg\/resvg-js-/);
  });
});
