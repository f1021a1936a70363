/**
 * Nelder–Mead simplex minimisation (Nelder & Mead 1965) with the dimension-adaptive coefficients of Gao & Han
 * 2012 ("Implementing the Nelder-Mead simplex algorithm with adaptive parameters"), for the calibration fit.
 */
export interface Minimum { x: number[]; value: number; evaluations: number }

export function nelderMead(f: (x: number[]) => number, x0: readonly number[], opts: { step?: number; maxEvaluations?: number; tolerance?: number } = {}): Minimum {
  const n = x0.length;
  const [alpha, gamma, rho, sigma] = [1, 1 + 2 / n, 0.75 - 1 / (2 * n), 1 - 1 / n];
  const step = opts.step ?? 0.2, max = opts.maxEvaluations ?? 200 * n, tol = opts.tolerance ?? 1e-7;
  let evaluations = 0;
  const score = (x: number[]): { x: number[]; v: number } => { evaluations++; return { x, v: f(x) }; };
  let simplex = [score([...x0]), ...x0.map((_, i) => score(x0.map((v, j) => (i === j ? v + step : v))))];
  const along = (c: number[], p: number[], t: number): number[] => c.map((ci, i) => ci + t * (p[i] - ci));
  while (evaluations < max) {
    simplex.sort((a, b) => a.v - b.v);
    if (simplex[n].v - simplex[0].v < tol) break;
    const centroid = Array.from({ length: n }, (_, i) => simplex.slice(0, n).reduce((s, p) => s + p.x[i], 0) / n);
    const worst = simplex[n];
    const r = score(along(centroid, worst.x, -alpha));
    if (r.v < simplex[0].v) {
      const e = score(along(centroid, worst.x, -alpha * gamma));
      simplex[n] = e.v < r.v ? e : r;
    } else if (r.v < simplex[n - 1].v) simplex[n] = r;
    else {
      const c = r.v < worst.v ? score(along(centroid, worst.x, -alpha * rho)) : score(along(centroid, worst.x, rho));
      if (c.v < Math.min(r.v, worst.v)) simplex[n] = c;
      else simplex = [simplex[0], ...simplex.slice(1).map((p) => score(along(simplex[0].x, p.x, sigma)))];
    }
  }
  simplex.sort((a, b) => a.v - b.v);
  return { x: simplex[0].x, value: simplex[0].v, evaluations };
}
