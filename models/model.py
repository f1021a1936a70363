"""Engram-MoE-tiny: a byte-level decoder with Engram memory (DeepSeek, arXiv 2601.07372) and MoE FFNs.

Written for torch 1.13 (Debian bookworm `python3-torch`) and ONNX opset 17. Every float parameter is an
nn.Parameter; nothing float is stored in buffers, so the exported graph's float initializers are exactly the
trainable weights (export uses do_constant_folding=False; RoPE frequencies and masks are computed in-graph).

Per layer (pre-norm):  h += Engram(h, ids)   [Engram layers only]
                       h += Attention(RMSNorm(h))
                       h += FFN(RMSNorm(h))  [SwiGLU, or MoE with a softmax router on MoE layers]

Engram (paper §2, Eqs. 1-5; official demo engram_demo_v1.py):
  x'_t = P(x_t)                       tokenizer compression: ASCII A-Z -> a-z, \t \n \r -> space
  z_{t,n,k} = (sum_j x'_{t-j} a_{n,k,j} + b_{n,k}) mod S    one hash per (order n, head k); left pad = 256.
      (multiplicative-additive instead of the demo's multiplicative-XOR: opset 17 has no BitwiseXor;
       the heads differ by their random odd multipliers, all sub-tables have the same prime size S)
  e_t = concat_{n,k} E[z_{t,n,k} + offset_{n,k}]      in R^dim, rows of dim/(orders*heads)
  k = W_K e, v = W_V e, alpha = sigmoid(RMSNorm(h).RMSNorm(k)/sqrt(d)), v~ = alpha v
  Y = SiLU(CausalDepthwiseConv(RMSNorm(v~); kernel 4, dilation max order)) + v~    (conv zero-init)
Parameters: table S*dim, W_V dim*d, W_K dim*d, 3 RMSNorms 3d, conv d*kernel  (= Archlens `engram` kind, M = 1).
"""
import math
from dataclasses import dataclass, field, asdict
from typing import List

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

PAD_ID = 256  # hash-only left padding id (outside the byte range)


@dataclass
class Config:
    vocab: int = 256
    d_model: int = 128
    n_layers: int = 4
    n_heads: int = 4
    d_ff: int = 256                      # dense SwiGLU layers
    moe_layers: List[int] = field(default_factory=lambda: [1, 3])
    moe_experts: int = 4
    moe_top_k: int = 2
    moe_d_ff: int = 128
    engram_layers: List[int] = field(default_factory=lambda: [1, 2])
    engram_orders: List[int] = field(default_factory=lambda: [3, 6])  # byte N-grams (see README)
    engram_heads: int = 2
    engram_slots: int = 8191             # prime
    engram_dim: int = 64
    engram_kernel: int = 4
    rope_theta: float = 10000.0
    hash_seed: int = 0

    def to_dict(self):
        return asdict(self)


class RMSNorm(nn.Module):
    def __init__(self, d, eps=1e-6):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(d))

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight


def canonical_ids(ids):
    """Tokenizer compression P (paper §2.1): lowercase ASCII letters, map tab/newline/CR to space."""
    upper = (ids >= 65) & (ids <= 90)
    x = torch.where(upper, ids + 32, ids)
    ws = (ids == 9) | (ids == 10) | (ids == 13)
    return torch.where(ws, torch.full_like(x, 32), x)


def hash_params(cfg: Config, layer_id: int):
    """Random odd multipliers a_{n,k,j} < 2^20 and offsets b_{n,k} < S per (order, head), seeded per layer
    like the demo (seed + 10007 * layer_id)."""
    rng = np.random.default_rng(cfg.hash_seed + 10007 * layer_id)
    subs = []
    for n in cfg.engram_orders:
        for _ in range(cfg.engram_heads):
            mult = [int(2 * rng.integers(1, 1 << 19) + 1) for _ in range(n)]
            subs.append({'order': n, 'mult': mult, 'add': int(rng.integers(0, cfg.engram_slots))})
    return subs


class Engram(nn.Module):
    def __init__(self, cfg: Config, layer_id: int):
        super().__init__()
        d = cfg.d_model
        self.d = d
        self.slots = cfg.engram_slots
        self.subs = hash_params(cfg, layer_id)
        self.n_sub = len(self.subs)
        assert cfg.engram_dim % self.n_sub == 0
        self.row = cfg.engram_dim // self.n_sub
        self.max_order = max(cfg.engram_orders)
        self.kernel = cfg.engram_kernel
        self.dilation = self.max_order
        self.table = nn.Embedding(self.n_sub * self.slots, self.row)
        nn.init.normal_(self.table.weight, std=0.5)
        self.w_k = nn.Linear(cfg.engram_dim, d, bias=False)
        self.w_v = nn.Linear(cfg.engram_dim, d, bias=False)
        self.norm_h = RMSNorm(d)
        self.norm_k = RMSNorm(d)
        self.norm_v = RMSNorm(d)
        self.conv = nn.Conv1d(d, d, self.kernel, groups=d, bias=False, dilation=self.dilation)
        nn.init.zeros_(self.conv.weight)  # paper Table 5: conv zero-init

    def hash_ids(self, ids):
        x = canonical_ids(ids)
        shifted = [x] + [F.pad(x, (j, 0), value=PAD_ID)[:, :-j] for j in range(1, self.max_order)]
        idx = []
        for s, sub in enumerate(self.subs):
            acc = shifted[0] * sub['mult'][0] + sub['add']
            for j in range(1, sub['order']):
                acc = acc + shifted[j] * sub['mult'][j]
            idx.append(torch.remainder(acc, self.slots) + s * self.slots)
        return torch.stack(idx, dim=-1)  # [B, T, n_sub]

    def forward(self, h, ids):
        e = self.table(self.hash_ids(ids)).flatten(2)  # [B, T, dim]
        k = self.w_k(e)
        v = self.w_v(e)
        alpha = torch.sigmoid((self.norm_h(h) * self.norm_k(k)).sum(-1, keepdim=True) / math.sqrt(self.d))
        vt = alpha * v
        u = self.norm_v(vt).transpose(1, 2)
        u = F.pad(u, ((self.kernel - 1) * self.dilation, 0))
        y = F.silu(self.conv(u)).transpose(1, 2) + vt
        return y, alpha.squeeze(-1)


class Attention(nn.Module):
    def __init__(self, cfg: Config):
        super().__init__()
        d = cfg.d_model
        self.h = cfg.n_heads
        self.hd = d // cfg.n_heads
        self.theta = cfg.rope_theta
        self.wq = nn.Linear(d, d, bias=False)
        self.wk = nn.Linear(d, d, bias=False)
        self.wv = nn.Linear(d, d, bias=False)
        self.wo = nn.Linear(d, d, bias=False)

    def rope(self, x, T):
        half = self.hd // 2
        inv = torch.pow(self.theta, -torch.arange(0, half, dtype=torch.float32) * (2.0 / self.hd))
        pos = torch.arange(0, T, dtype=torch.float32)
        ang = pos.unsqueeze(1) * inv.unsqueeze(0)  # [T, half]
        cos, sin = torch.cos(ang), torch.sin(ang)
        x1, x2 = x[..., :half], x[..., half:]
        return torch.cat([x1 * cos - x2 * sin, x1 * sin + x2 * cos], dim=-1)

    def forward(self, x):
        B, T, d = x.shape
        q = self.wq(x).view(B, T, self.h, self.hd).transpose(1, 2)
        k = self.wk(x).view(B, T, self.h, self.hd).transpose(1, 2)
        v = self.wv(x).view(B, T, self.h, self.hd).transpose(1, 2)
        q, k = self.rope(q, T), self.rope(k, T)
        scores = q @ k.transpose(-1, -2) / math.sqrt(self.hd)
        ar = torch.arange(0, T)
        future = ar.unsqueeze(0) > ar.unsqueeze(1)
        scores = scores.masked_fill(future, -1e9)
        probs = torch.softmax(scores, dim=-1)
        out = (probs @ v).transpose(1, 2).reshape(B, T, d)
        return self.wo(out), probs


class SwiGLU(nn.Module):
    def __init__(self, d, f):
        super().__init__()
        self.w_gate = nn.Linear(d, f, bias=False)
        self.w_up = nn.Linear(d, f, bias=False)
        self.w_down = nn.Linear(f, d, bias=False)

    def forward(self, x):
        return self.w_down(F.silu(self.w_gate(x)) * self.w_up(x))


class MoE(nn.Module):
    """Softmax router over E SwiGLU experts, top-k, weights renormalised over the chosen k (Mixtral-style).
    Computed densely (every expert on every token, masked): identical outputs, simple export."""

    def __init__(self, cfg: Config):
        super().__init__()
        self.k = cfg.moe_top_k
        self.router = nn.Linear(cfg.d_model, cfg.moe_experts, bias=False)
        self.experts = nn.ModuleList([SwiGLU(cfg.d_model, cfg.moe_d_ff) for _ in range(cfg.moe_experts)])

    def forward(self, x):
        probs = torch.softmax(self.router(x), dim=-1)  # [B, T, E]
        kth = torch.topk(probs, self.k, dim=-1).values[..., -1:]
        w = probs * (probs >= kth).to(probs.dtype)
        w = w / w.sum(-1, keepdim=True)
        out = 0
        for e, expert in enumerate(self.experts):
            out = out + w[..., e:e + 1] * expert(x)
        return out, probs


class Block(nn.Module):
    def __init__(self, cfg: Config, i: int, use_engram: bool):
        super().__init__()
        self.engram = Engram(cfg, i) if (use_engram and i in cfg.engram_layers) else None
        self.norm_attn = RMSNorm(cfg.d_model)
        self.attn = Attention(cfg)
        self.norm_ffn = RMSNorm(cfg.d_model)
        self.is_moe = i in cfg.moe_layers
        self.ffn = MoE(cfg) if self.is_moe else SwiGLU(cfg.d_model, cfg.d_ff)

    def forward(self, h, ids, gates, i):
        if self.engram is not None:
            y, alpha = self.engram(h, ids)
            h = h + y
            gates[f'engram_alpha_l{i}'] = alpha
        a, p = self.attn(self.norm_attn(h))
        gates[f'attn_probs_l{i}'] = p
        h = h + a
        if self.is_moe:
            f, mp = self.ffn(self.norm_ffn(h))
            gates[f'moe_probs_l{i}'] = mp
        else:
            f = self.ffn(self.norm_ffn(h))
        return h + f


class EngramMoETiny(nn.Module):
    def __init__(self, cfg: Config, use_engram: bool = True):
        super().__init__()
        self.cfg = cfg
        self.use_engram = use_engram
        self.embed = nn.Embedding(cfg.vocab, cfg.d_model)
        nn.init.normal_(self.embed.weight, std=0.02)
        self.layers = nn.ModuleList([Block(cfg, i, use_engram) for i in range(cfg.n_layers)])
        self.norm = RMSNorm(cfg.d_model)
        self.lm_head = nn.Linear(cfg.d_model, cfg.vocab, bias=False)
        for name, p in self.named_parameters():
            if p.dim() == 2 and 'table' not in name and 'embed' not in name:
                nn.init.normal_(p, std=0.02)
            if name.endswith('wo.weight') or name.endswith('w_down.weight'):
                nn.init.normal_(p, std=0.02 / math.sqrt(2 * cfg.n_layers))

    def forward(self, ids):
        gates = {}
        h = self.embed(ids)
        for i, layer in enumerate(self.layers):
            h = layer(h, ids, gates, i)
        return self.lm_head(self.norm(h)), gates

    def gate_names(self):
        """Graph output names after `logits`, in the order of the gate naming convention (docs/gates.md)."""
        names = []
        for i, layer in enumerate(self.layers):
            if layer.engram is not None:
                names.append(f'engram_alpha_l{i}')
        for i, layer in enumerate(self.layers):
            if layer.is_moe:
                names.append(f'moe_probs_l{i}')
        names += [f'attn_probs_l{i}' for i in range(len(self.layers))]
        return names
