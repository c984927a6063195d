"""Writes the PyTorch checkpoint fixtures read by TorchCheckpointTest and ReferenceWeightsTest.

Run once with any PyTorch >= 1.6 (written with Debian's python3-torch 1.13.1, CPU):
    /usr/bin/python3 make_fixtures.py
The outputs are committed; the Java tests never need Python.

flat.pt / flat.json   a flat state dict covering the dtypes and layouts torch.save emits (float32, float16,
                      bfloat16, int64, bool, a scalar, a Parameter, a transposed view, a strided view, a view with
                      a storage offset, several tensors sharing one storage); flat.json holds the expected shapes,
                      dtypes and row-major values.
vjepa_tiny.pt         a V-JEPA-style training checkpoint {'encoder', 'predictor', 'target_encoder', 'opt',
                      'scaler', 'epoch', 'loss', 'batch_size', 'lr', 'args'} for a tiny ViT (width 16, depth 2,
                      patch 4, tubelet 2, image 8, 2 frames) and predictor (width 8, depth 1, 2 mask tokens), with
                      reference names prefixed 'module.' (DDP) and the fixed sin-cos tables the reference stores.
                      Weights follow value(name, i) = ((i * 37 + sum of the name's char codes + salt) % 101 - 50) / 500
                      (salt 0 encoder, 1 target_encoder, 2 predictor; name without the 'module.' prefix), which the
                      Java test recomputes.
evil.pt               a checkpoint whose pickle calls os.system (posix.system): must be refused, never run.
"""
import argparse
import json
import os

import torch

HERE = os.path.dirname(os.path.abspath(__file__))


def flat():
    base = torch.arange(20, dtype=torch.float32) * 0.5 - 3.0
    grid = torch.arange(6, dtype=torch.float32).reshape(2, 3) + 0.125
    sd = {
        "f32": torch.arange(12, dtype=torch.float32).reshape(3, 4) * 0.25 - 1.0,
        "f16": torch.tensor([[0.5, -1.25, 3.0], [65504.0, 1e-4, 0.0]], dtype=torch.float16),
        "bf16": torch.tensor([1.0, -2.5, 3.140625, 1e20], dtype=torch.bfloat16),
        "i64": torch.tensor([-3, 2 ** 40, 7], dtype=torch.int64),
        "mask": torch.tensor([True, False, True]),
        "scalar": torch.tensor(3.5),
        "param": torch.nn.Parameter(torch.tensor([[0.25, 0.75]])),
        "grid": grid,
        "transposed": grid.t(),  # [3, 2], strides (1, 3), shares grid's storage
        "base": base,
        "slice": base[5:11].view(2, 3),  # storage offset 5, shares base's storage
        "every_other": base[1::4],  # offset 1, stride 4
    }
    torch.save(sd, os.path.join(HERE, "flat.pt"))
    expected = {}
    for k, v in sd.items():
        v = v.detach()
        values = v.to(torch.float64).reshape(-1).tolist() if v.dtype != torch.int64 else v.reshape(-1).tolist()
        expected[k] = {"dtype": str(v.dtype).replace("torch.", ""), "shape": list(v.shape), "values": values}
    with open(os.path.join(HERE, "flat.json"), "w") as f:
        json.dump(expected, f, indent=1)


def formula(name, shape, salt):
    n = 1
    for d in shape:
        n *= d
    h = sum(ord(c) for c in name) + salt
    values = [((i * 37 + h) % 101 - 50) / 500.0 for i in range(n)]
    return torch.tensor(values, dtype=torch.float32).reshape(shape)


def block_shapes(b, width):
    return {
        b + "norm1.weight": (width,), b + "norm1.bias": (width,),
        b + "attn.qkv.weight": (3 * width, width), b + "attn.qkv.bias": (3 * width,),
        b + "attn.proj.weight": (width, width), b + "attn.proj.bias": (width,),
        b + "norm2.weight": (width,), b + "norm2.bias": (width,),
        b + "mlp.fc1.weight": (4 * width, width), b + "mlp.fc1.bias": (4 * width,),
        b + "mlp.fc2.weight": (width, 4 * width), b + "mlp.fc2.bias": (width,),
    }


def vit_shapes(width, depth, patch, tubelet, chans):
    shapes = {"patch_embed.proj.weight": (width, chans, tubelet, patch, patch), "patch_embed.proj.bias": (width,)}
    for i in range(depth):
        shapes.update(block_shapes("blocks.%d." % i, width))
    shapes.update({"norm.weight": (width,), "norm.bias": (width,)})
    return shapes


def predictor_shapes(enc_width, width, depth, mask_tokens):
    shapes = {"predictor_embed.weight": (width, enc_width), "predictor_embed.bias": (width,)}
    for i in range(mask_tokens):
        shapes["mask_tokens.%d" % i] = (1, 1, width)
    for i in range(depth):
        shapes.update(block_shapes("predictor_blocks.%d." % i, width))
    shapes.update({"predictor_norm.weight": (width,), "predictor_norm.bias": (width,),
                   "predictor_proj.weight": (enc_width, width), "predictor_proj.bias": (enc_width,)})
    return shapes


def state_dict(shapes, salt, tokens, width, table):
    sd = {"module." + k: formula(k, s, salt) for k, s in shapes.items()}
    sd["module." + table] = torch.zeros(1, tokens, width)  # fixed sin-cos buffer: ignored by the loader
    return sd


def vjepa():
    tokens = (2 // 2) * (8 // 4) * (8 // 4)
    enc = vit_shapes(16, 2, 4, 2, 3)
    pred = predictor_shapes(16, 8, 1, 2)
    ckpt = {
        "encoder": state_dict(enc, 0, tokens, 16, "pos_embed"),
        "predictor": state_dict(pred, 2, tokens, 8, "predictor_pos_embed"),
        "target_encoder": state_dict(enc, 1, tokens, 16, "pos_embed"),
        "opt": {"state": {0: {"step": torch.tensor(3.0), "exp_avg": torch.zeros(2)}},
                "param_groups": [{"lr": 1e-3, "betas": (0.9, 0.999), "weight_decay": 0.04, "params": [0]}]},
        "scaler": None,
        "epoch": 3,
        "loss": 0.5,
        "batch_size": 4,
        "lr": 1e-3,
        "args": argparse.Namespace(model_name="vit_tiny", patch_size=4),
    }
    torch.save(ckpt, os.path.join(HERE, "vjepa_tiny.pt"))


class Evil:
    def __reduce__(self):
        return os.system, ("echo this must never run",)


def evil():
    torch.save({"weight": torch.zeros(2), "payload": Evil()}, os.path.join(HERE, "evil.pt"))


if __name__ == "__main__":
    flat()
    vjepa()
    evil()
