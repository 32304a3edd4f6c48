// The Elo scale: Elo = 400·log10 γ for a Bradley–Terry strength γ, so a 400-Elo gap means
// 10:1 odds. Fits work in natural-log strengths θ = ln γ; these helpers convert and fix the
// arbitrary zero.

/** Elo points per unit of natural-log strength: 400 / ln 10 ≈ 173.7. */
export const ELO_PER_NAT = 400 / Math.LN10;

/** Expected score of a player `eloDiff` Elo above its opponent: 1 / (1 + 10^(−Δ/400)). */
export function expectedScore(eloDiff: number): number {
  return 1 / (1 + Math.pow(10, -eloDiff / 400));
}

/** Where the zero of the scale was put. */
export interface EloAnchor {
  /** The player whose Elo is 0. */
  player: string;
  /** True when it is the requested anchor; false when that was absent and the weakest player was used. */
  named: boolean;
}

/**
 * Shifts Elo values in place so the anchor is 0: the named player when present (the study
 * uses the uniform random player), else the weakest player.
 */
export function anchorElo(elo: Float64Array, players: readonly string[], anchor?: string): EloAnchor {
  let at = anchor === undefined ? -1 : players.indexOf(anchor);
  const named = at >= 0;
  if (!named) {
    at = 0;
    for (let i = 1; i < elo.length; i++) if (elo[i]! < elo[at]!) at = i;
  }
  const shift = elo[at]!;
  for (let i = 0; i < elo.length; i++) elo[i] = elo[i]! - shift;
  elo[at] = 0; // exactly, not x − x rounding
  return { player: players[at]!, named };
}
