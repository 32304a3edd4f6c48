// The pipeline's graph as text, Mermaid or Graphviz dot.
import type { Project } from './project.ts';

export function renderDag(project: Project, format: 'text' | 'mermaid' | 'dot'): string {
  const edges = project.stages.flatMap((s) => s.upstream.map((u) => [u, s.id] as const));
  if (format === 'mermaid') {
    const node = (id: string) => `  ${safe(id)}["${id}"]`;
    return ['graph LR', ...project.stages.map((s) => node(s.id)), ...edges.map(([a, b]) => `  ${safe(a)} --> ${safe(b)}`)].join('\n');
  }
  if (format === 'dot') {
    return ['digraph pipeline {', '  rankdir=LR;', ...project.stages.map((s) => `  "${s.id}";`), ...edges.map(([a, b]) => `  "${a}" -> "${b}";`), '}'].join('\n');
  }
  return project.stages.map((s) => (s.upstream.length ? `${s.id} ← ${s.upstream.join(', ')}` : s.id)).join('\n');
}

function safe(id: string): string {
  return id.replace(/[^A-Za-z0-9_]/g, '_');
}
