// Reads a directory the figures stage wrote back into report figures: every
// <game>-fig<N>.data.json (validated) with the SVG beside it.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readJsonValidated } from '../engine/json.ts';
import type { ReportFigureData } from '../../schemas/types/report-figure-data.ts';
import type { ReportFigure } from './html.ts';

const SCHEMA = join(import.meta.dirname, '..', '..', 'schemas', 'report-figure-data.schema.json');

export function loadFigureDirectory(dir: string): ReportFigure[] {
  const figures: ReportFigure[] = [];
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.data.json'))
    .sort()) {
    const name = file.slice(0, -'.data.json'.length);
    const svgFile = join(dir, `${name}.svg`);
    if (!existsSync(svgFile)) throw new Error(`report: ${join(dir, file)} has no ${name}.svg beside it; rerun the figures stage`);
    figures.push({ name, data: readJsonValidated<ReportFigureData>(SCHEMA, join(dir, file)), svg: readFileSync(svgFile, 'utf8') });
  }
  return figures;
}
