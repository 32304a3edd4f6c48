// Who plays whom (SPEC-paper.md, "Evaluation"). Every (agent, checkpoint) is its own player,
// named `<agent>@<step>` with agent `<game>-w<width>-c<copy>`, e.g. `connect4-w16-c0@1150`.
//   training slices  every pair of agents at each checkpoint
//   agent slices     every pair of checkpoints of each agent
//   references       every fully trained agent against each reference player (the random
//                    player, the perfect solver, the Pentago benchmark), so that their levels
//                    sit on the same Elo axis as the agents
// All results enter one rating fit. Pairs are unordered: a match plays both orders.

export interface AgentRef {
  game: string;
  width: number;
  copy: number;
}

export function agentName(agent: AgentRef): string {
  return `${agent.game}-w${agent.width}-c${agent.copy}`;
}

export function checkpointPlayer(agent: string, step: number): string {
  return `${agent}@${step}`;
}

const AGENT = /^(?<game>[a-z0-9]+)-w(?<width>\d+)-c(?<copy>\d+)$/;
const CHECKPOINT_PLAYER = /^(?<agent>[a-z0-9]+-w\d+-c\d+)@(?<step>\d+)$/;

export function parseAgentName(name: string): AgentRef | undefined {
  const m = AGENT.exec(name);
  if (!m?.groups) return undefined;
  return { game: m.groups['game']!, width: Number(m.groups['width']), copy: Number(m.groups['copy']) };
}

/** A checkpoint player's agent (its name and parts) and step, undefined for reference players. */
export function parseCheckpointPlayer(name: string): (AgentRef & { agent: string; step: number }) | undefined {
  const m = CHECKPOINT_PLAYER.exec(name);
  if (!m?.groups) return undefined;
  const agent = m.groups['agent']!;
  return { agent, ...parseAgentName(agent)!, step: Number(m.groups['step']) };
}

/**
 * Agents in a fixed order that depends on the agents alone (game, width, copy), never on
 * which other agents exist: adding a width must not reorder the pairs of the others.
 */
export function compareAgents(x: string, y: string): number {
  const a = parseAgentName(x);
  const b = parseAgentName(y);
  if (!a || !b) return x < y ? -1 : x > y ? 1 : 0;
  return a.game.localeCompare(b.game) || a.width - b.width || a.copy - b.copy;
}

/** Checkpoint players by agent, then step; reference players after every agent, by name. */
export function comparePlayers(x: string, y: string): number {
  const a = parseCheckpointPlayer(x);
  const b = parseCheckpointPlayer(y);
  if (a && b) return compareAgents(a.agent, b.agent) || a.step - b.step;
  if (a) return -1;
  if (b) return 1;
  return x < y ? -1 : x > y ? 1 : 0;
}

export type Slice = 'training' | 'agent' | 'reference';

/** Two players who meet; `a` sorts before `b` (comparePlayers). */
export interface Pairing {
  a: string;
  b: string;
  slice: Slice;
}

export interface PairingPlan {
  /** Agent names (`<game>-w<width>-c<copy>`), any order. */
  agents: readonly string[];
  /** Checkpoint steps every agent has, any order; the largest is the fully trained agent. */
  steps: readonly number[];
  /** Reference players, e.g. ['random', 'solver']. */
  references: readonly string[];
}

function ordered(a: string, b: string, slice: Slice): Pairing {
  return comparePlayers(a, b) <= 0 ? { a, b, slice } : { a: b, b: a, slice };
}

function sortedAgents(plan: PairingPlan): string[] {
  const agents = [...new Set(plan.agents)].sort(compareAgents);
  for (const a of agents) if (!parseAgentName(a)) throw new RangeError(`pairings: '${a}' is not an agent name (<game>-w<width>-c<copy>)`);
  return agents;
}

function sortedSteps(plan: PairingPlan): number[] {
  return [...new Set(plan.steps)].sort((x, y) => x - y);
}

export function trainingSlicePairs(plan: PairingPlan): Pairing[] {
  const agents = sortedAgents(plan);
  const out: Pairing[] = [];
  for (const step of sortedSteps(plan)) {
    for (let i = 0; i < agents.length; i++) {
      for (let j = i + 1; j < agents.length; j++) {
        out.push({ a: checkpointPlayer(agents[i]!, step), b: checkpointPlayer(agents[j]!, step), slice: 'training' });
      }
    }
  }
  return out;
}

export function agentSlicePairs(plan: PairingPlan): Pairing[] {
  const steps = sortedSteps(plan);
  const out: Pairing[] = [];
  for (const agent of sortedAgents(plan)) {
    for (let i = 0; i < steps.length; i++) {
      for (let j = i + 1; j < steps.length; j++) {
        out.push({ a: checkpointPlayer(agent, steps[i]!), b: checkpointPlayer(agent, steps[j]!), slice: 'agent' });
      }
    }
  }
  return out;
}

export function referencePairs(plan: PairingPlan): Pairing[] {
  const steps = sortedSteps(plan);
  if (steps.length === 0) return [];
  const final = steps[steps.length - 1]!;
  const references = [...new Set(plan.references)].sort();
  return sortedAgents(plan).flatMap((agent) => references.map((r) => ordered(checkpointPlayer(agent, final), r, 'reference')));
}

/** Every pairing of the plan: training slices, agent slices, then reference games. */
export function allPairs(plan: PairingPlan): Pairing[] {
  return [...trainingSlicePairs(plan), ...agentSlicePairs(plan), ...referencePairs(plan)];
}
