// Vega-Lite spec → SVG (vega's headless renderer, no browser) → PNG (resvg). Same spec, same
// bytes: vega numbers clip paths and gradients from a process-wide counter, so ids are
// renamed after the figure in order of appearance; resvg draws text only with the DejaVu Sans
// files of the dejavu-fonts-ttf package (pinned), never the system's fonts, so the PNG is the
// same on a machine whatever fonts it has installed (macOS has no DejaVu at all).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Resvg, type ResvgRenderOptions } from '@resvg/resvg-js';
import * as vega from 'vega';
import * as vegaLite from 'vega-lite';
import type { VegaLiteSpec } from './figure-specs.ts';

export interface RenderOptions {
  /** Prefix of every id in the SVG, so figures inlined in one page cannot clash. */
  idPrefix?: string;
  /** Receives vega-lite's and vega's warnings (default: ignored). */
  onWarning?: (message: string) => void;
}

function collectingLogger(onWarning: (message: string) => void) {
  let level = vega.Warn;
  const logger = {
    level(l?: number) {
      if (l === undefined) return level;
      level = l;
      return logger;
    },
    error(...args: unknown[]): never {
      throw new Error(args.map(String).join(' '));
    },
    warn(...args: unknown[]) {
      onWarning(args.map(String).join(' '));
      return logger;
    },
    info() {
      return logger;
    },
    debug() {
      return logger;
    },
  };
  return logger;
}

/** Renames every `id="…"` and its `url(#…)` / `href="#…"` references to `<prefix>-<n>`. */
export function deterministicIds(svg: string, prefix: string): string {
  const renamed = new Map<string, string>();
  for (const m of svg.matchAll(/\sid="([^"]+)"/g)) {
    if (!renamed.has(m[1]!)) renamed.set(m[1]!, `${prefix}-${renamed.size + 1}`);
  }
  if (renamed.size === 0) return svg;
  const escaped = [...renamed.keys()].map((id) => id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const pattern = new RegExp(`(\\sid="|url\\(#|href="#)(${escaped.join('|')})(?=[")])`, 'g');
  return svg.replace(pattern, (_all, lead: string, id: string) => `${lead}${renamed.get(id)}`);
}

/** Renders a Vega-Lite spec to an SVG document string. */
export async function renderSvg(spec: VegaLiteSpec, options: RenderOptions = {}): Promise<string> {
  const onWarning = options.onWarning ?? (() => {});
  const logger = collectingLogger(onWarning);
  const compiled = vegaLite.compile(spec as unknown as vegaLite.TopLevelSpec, { logger: logger as never }).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logger: logger as never });
  try {
    const svg = await view.toSVG();
    return deterministicIds(svg, options.idPrefix ?? 'fig');
  } finally {
    view.finalize();
  }
}

const DEJAVU_TTF = join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');

/** The fonts resvg draws text with: the shipped DejaVu Sans files, and nothing else. */
export function figureFonts(): ResvgRenderOptions['font'] {
  const fontFiles = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf', 'DejaVuSans-Oblique.ttf'].map((f) => join(DEJAVU_TTF, f));
  return { fontFiles, loadSystemFonts: false, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' };
}

/** Rasterises an SVG string to PNG bytes at `scale` × its own size. */
export function svgToPng(svg: string, scale = 2): Uint8Array {
  const resvg = new Resvg(svg, {
    font: figureFonts(),
    fitTo: { mode: 'zoom', value: scale },
    background: 'white',
  });
  return new Uint8Array(resvg.render().asPng());
}

/** Both renderings of one spec. */
export async function renderFigure(spec: VegaLiteSpec, options: RenderOptions = {}): Promise<{ svg: string; png: Uint8Array }> {
  const svg = await renderSvg(spec, options);
  return { svg, png: svgToPng(svg) };
}
