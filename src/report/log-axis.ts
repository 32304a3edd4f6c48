// Tick values and labels for log axes. Vega's default log ticks label every 1…9 multiple and
// print large numbers as "1e+15"; the paper's figures label decades as powers of ten. Axes
// spanning less than two decades get 1-2-5 ticks instead, so that they show more than one.

const SUPERSCRIPT_DIGITS = '⁰¹²³⁴⁵⁶⁷⁸⁹';

/** A Vega expression printing a tick value as 10ⁿ (n from log10, rounded). */
export function powerOfTenLabelExpr(): string {
  let expr = "format(round(log(datum.value) / LN10), 'd')";
  for (let d = 0; d <= 9; d++) expr = `replace(${expr}, regexp('${d}', 'g'), '${SUPERSCRIPT_DIGITS[d]}')`;
  expr = `replace(${expr}, regexp('-', 'g'), '⁻')`;
  return `'10' + ${expr}`;
}

/** Decades 10^k from the one at or below min to the one at or above max. */
export function decadeTicks(min: number, max: number): number[] {
  const ticks: number[] = [];
  for (let k = Math.floor(Math.log10(min)); k <= Math.ceil(Math.log10(max)); k++) ticks.push(Number(`1e${k}`));
  return ticks;
}

/** 1, 2, 5 × 10^k within the decades enclosing [min, max]. */
export function oneTwoFiveTicks(min: number, max: number): number[] {
  const ticks: number[] = [];
  for (let k = Math.floor(Math.log10(min)); k <= Math.ceil(Math.log10(max)); k++) {
    for (const m of [1, 2, 5]) ticks.push(Number(`${m}e${k}`));
  }
  return ticks.filter((t) => t >= min / 1.0001 && t <= max * 1.0001);
}

export interface LogAxis {
  /** Vega-Lite scale (log, domain rounded out to the ticks). */
  scale: Record<string, unknown>;
  /** Vega-Lite axis properties (tick values, labels). */
  axis: Record<string, unknown>;
}

/**
 * A log axis over values in [min, max]: decades as 10ⁿ when the range spans at least two
 * decades; otherwise 1-2-5 ticks in SI notation (2k, 5k, 10k), which reads well for sizes.
 */
export function logAxis(min: number, max: number, title: string): LogAxis {
  if (!(min > 0 && max >= min)) throw new RangeError(`logAxis(${title}): need 0 < min ≤ max, got [${min}, ${max}]`);
  const decades = Math.log10(max / min);
  if (decades >= 2) {
    // A small margin rather than whole decades, so the data fill the plot.
    const domain = [min / 10 ** 0.12, max * 10 ** 0.12];
    const all = decadeTicks(min, max).filter((t) => t >= domain[0]! && t <= domain[1]!);
    // Past eight decades every other one is labelled, or the labels collide.
    const values = all.length > 9 ? all.filter((_, i) => (all.length - 1 - i) % 2 === 0) : all;
    return {
      scale: { type: 'log', domain },
      axis: { title, values, labelExpr: powerOfTenLabelExpr() },
    };
  }
  const lo = Number(`1e${Math.floor(Math.log10(min))}`);
  const hi = Number(`1e${Math.ceil(Math.log10(max))}`);
  // Pad by a quarter of the range (in log) rather than to whole decades, so the data fill the plot.
  const pad = Math.max(decades, 0.3) / 4;
  const domain = [Math.max(lo, min / 10 ** pad), Math.min(hi, max * 10 ** pad)];
  return {
    scale: { type: 'log', domain },
    axis: { title, values: oneTwoFiveTicks(domain[0]!, domain[1]!), format: '~s' },
  };
}
