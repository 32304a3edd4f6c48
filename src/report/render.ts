// Vega-Lite spec → SVG (vega's headless renderer, no browser) → PNG (resvg). Same spec, same
// bytes: vega numbers clip paths and gradients from a process-wide counter, so ids are
// renamed after the figure in order of appearance; resvg is given the font files explicitly
// where DejaVu Sans is installed, so the PNG does not depend on what else fontconfig finds.
import { existsSync } from 'node:fs';
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

const DEJAVU_DIRS = [
  '/usr/share/fonts/truetype/dejavu',
  '/usr/share/fonts/TTF',
  '/usr/share/fonts/dejavu',
  '/usr/share/fonts/dejavu-sans-fonts',
];
const DEJAVU_FILES = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf', 'DejaVuSans-Oblique.ttf'];

/** The fonts resvg draws text with: DejaVu Sans files when installed, else whatever the system has. */
export function figureFonts(): ResvgRenderOptions['font'] {
  for (const dir of DEJAVU_DIRS) {
    const files = DEJAVU_FILES.map((f) => `${dir}/${f}`).filter((f) => existsSync(f));
    if (files.length > 0 && files[0]!.endsWith('/DejaVuSans.ttf')) {
      return { fontFiles: files, loadSystemFonts: false, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' };
    }
  }
  return { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' };
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
