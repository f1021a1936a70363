/** Generates a large, valid `.arch` file (block definitions and hybrid models) of about `lines` lines. */
export function syntheticArch(lines: number): string {
  const out: string[] = ['# synthetic benchmark file', 'let width = 4Ki', ''];
  let i = 0;
  while (out.length < lines) {
    out.push(
      `# layer definition ${i}`,
      `block Layer${i}(heads = 32, d_ff = 14_336) {`,
      '  rmsnorm',
      '  attention(heads: heads, kv_heads: 8, head_dim: 128)',
      '  rmsnorm',
      '  gated_mlp(d_ff: d_ff, act: silu)',
      '}',
      '',
      `model Hybrid${i} {`,
      '  vocab = 128_256',
      '  d_model = width',
      '  context = 8Ki',
      '  embedding',
      '  layers 32 {',
      `    Layer${i}(heads: 32) at every 4`,
      '    mamba(d_state: 16, expand: 2) at not every 4',
      '    moe(experts: 16, top_k: 2, d_ff: 14_336) at every 2 from 1',
      '  }',
      '  rmsnorm',
      '  lm_head',
      '}',
      '',
    );
    i++;
  }
  return out.join('\n');
}
