/**
 * Compute-optimal sizing for dense Transformers only: the Chinchilla parametric fit (Hoffmann et al. 2022,
 * "Training Compute-Optimal Large Language Models", §3.3 approach 3, Eq. 2 and App. D.2):
 *   L(N, D) = E + A / N^α + B / D^β,  E = 1.69, A = 406.4, B = 410.7, α = 0.34, β = 0.28,
 * minimised under C ≈ 6·N·D (Eq. 4): N_opt = G·(C/6)^(β/(α+β)), D_opt = (C/6)^(α/(α+β)) / G, G = (αA / βB)^(1/(α+β)).
 * The fit was made on MassiveText with dense decoder-only Transformers; it is not applied to any other architecture.
 */
import type { ModelInstance } from '../semantic/instances';

export const CHINCHILLA = { E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28 } as const;

const DENSE_TRANSFORMER = new Set(['embedding', 'lm_head', 'rmsnorm', 'layernorm', 'linear', 'mlp', 'gated_mlp', 'attention']);

export interface ComputeOptimal {
  readonly budgetFlops: number;
  readonly params: number;
  readonly tokens: number;
  /** Loss the fit predicts for the compute-optimal N, D and for the model's own N at the D asked for. */
  readonly optimalLoss: number;
  readonly modelLoss: number;
  readonly source: string;
}

/** True when every block is a dense-Transformer kind (the only architectures the fit was made on). */
export function isDenseTransformer(model: ModelInstance): boolean {
  return model.blocks.length > 0 && model.blocks.every((b) => DENSE_TRANSFORMER.has(b.kind)) && model.blocks.some((b) => b.kind === 'attention');
}

export function chinchillaLoss(n: number, d: number): number {
  const c = CHINCHILLA;
  return c.E + c.A / n ** c.alpha + c.B / d ** c.beta;
}

export function computeOptimal(budgetFlops: number): { params: number; tokens: number } {
  const { A, B, alpha, beta } = CHINCHILLA;
  const G = ((alpha * A) / (beta * B)) ** (1 / (alpha + beta));
  return { params: G * (budgetFlops / 6) ** (beta / (alpha + beta)), tokens: (budgetFlops / 6) ** (alpha / (alpha + beta)) / G };
}

/** The fit for a model trained on `tokens` with `params` parameters: its budget 6·N·D, the optimum there, both losses. */
export function chinchillaFor(model: ModelInstance, params: number, tokens: number): ComputeOptimal | undefined {
  if (!isDenseTransformer(model)) return undefined;
  const budgetFlops = 6 * params * tokens;
  const opt = computeOptimal(budgetFlops);
  return {
    budgetFlops, ...opt, optimalLoss: chinchillaLoss(opt.params, opt.tokens), modelLoss: chinchillaLoss(params, tokens),
    source: 'Hoffmann et al. 2022, approach 3 (E 1.69, A 406.4, B 410.7, α 0.34, β 0.28); dense Transformers on MassiveText only',
  };
}
