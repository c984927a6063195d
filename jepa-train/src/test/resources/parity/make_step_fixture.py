"""Writes the V-JEPA training-step fixture read by org.jepa4j.train.StepParityTest.

Run once with PyTorch (written with Debian's python3-torch 1.13.1, CPU):
    /usr/bin/python3 make_step_fixture.py
The outputs are committed; the Java test never needs Python.

A tiny V-JEPA 1 (facebookresearch/jepa semantics, written from its description, not copied):
  encoder    Conv3d tubelet embedding (tubelet 2, patch 4) + fixed 3D sin-cos positions (uniform_power),
             2 pre-norm blocks of width 16, 2 heads, MLP ratio 4, final LayerNorm (eps 1e-6)
  predictor  predictor_embed 16->8, 2 mask tokens, fixed 3D sin-cos predictor_pos_embed, 2 blocks of width 8,
             2 heads, predictor_norm, predictor_proj 8->16
  input      4 frames of 16 x 16 px, 3 channels -> 2 x 4 x 4 = 32 tokens; batch 2; 2 mask sets with fixed ids
Three optimizer steps as app/vjepa/train.py does them:
  lr = lr_schedule.step(); wd = wd_schedule.step()            (warmup + cosine LR, cosine WD)
  h  = layer_norm(target(clips)) gathered at each set's target ids          (no grad)
  z  = predictor(encoder(clips, ctx_i), ctx_i, tgt_i, mask_index=i)
  loss = sum_i mean(|z_i - h_i|^p) / p / num_sets                           (p = loss_exp = 1)
  backward; clip_grad_norm_(encoder.parameters(), c); clip_grad_norm_(predictor.parameters(), c)
  AdamW with the reference groups (no weight decay on biases and 1-D parameters)
  m = next(momentum schedule); target = m * target + (1 - m) * encoder
Outputs:
  step_fixture.pt    {'encoder', 'predictor', 'target_encoder'}: initial state dicts (reference names);
                     {'final_encoder', 'final_predictor', 'final_target_encoder'}: after the three steps;
                     'inputs': {'clips' [B, C, T, H, W], 'context_i' / 'target_i' int64 [B, K] per mask set i}
  step_fixture.json  per-step loss/lr/wd/momentum/gradient norms, the configuration
"""
import copy
import json
import math
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))

# geometry and sizes
FRAMES, TUBELET, SIZE, PATCH, CHANS = 4, 2, 16, 4, 3
GT, GH, GW = FRAMES // TUBELET, SIZE // PATCH, SIZE // PATCH
N = GT * GH * GW
WIDTH, DEPTH, HEADS = 16, 2, 2
PRED_WIDTH, PRED_DEPTH, PRED_HEADS = 8, 2, 2
MLP_RATIO = 4.0
NUM_MASK_TOKENS = 2
BATCH = 2
# optimization (ipe small so the schedules move within three steps)
IPE, EPOCHS, IPE_SCALE, WARMUP = 2, 2, 1.25, 1.0
START_LR, LR, FINAL_LR = 2e-3, 1e-2, 1e-4
WD, FINAL_WD = 0.04, 0.4
EMA = (0.9, 1.0)
CLIP = 0.01
INIT_STD = 0.25  # larger than the reference 0.02 so that the encoder gets gradients of a visible size
LOSS_EXP = 1.0
STEPS = 3


# ---------------------------------------------------------------- fixed positions (V-JEPA 1, uniform_power)
def sincos_1d(dim, pos):
    omega = np.arange(dim // 2, dtype=np.float64) / (dim / 2.0)
    omega = 1.0 / 10000 ** omega
    out = np.outer(pos.reshape(-1), omega)
    return np.concatenate([np.sin(out), np.cos(out)], axis=1)


def sincos_3d(width):
    d = int(math.ceil(width / 6) * 2)
    t, h, w = np.meshgrid(np.arange(GT, dtype=np.float64), np.arange(GH, dtype=np.float64),
                          np.arange(GW, dtype=np.float64), indexing="ij")  # token id = t*GH*GW + h*GW + w
    table = np.concatenate([sincos_1d(d, t), sincos_1d(d, h), sincos_1d(d, w)], axis=1)[:, :width]
    return torch.tensor(table, dtype=torch.float32).unsqueeze(0)  # [1, N, width]


def gather(x, ids):
    """x [B, N, D], ids [B, K] -> [B, K, D]"""
    return torch.gather(x, 1, ids.unsqueeze(-1).expand(-1, -1, x.size(-1)))


# ---------------------------------------------------------------- modules
class Attention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.scale = (dim // heads) ** -0.5
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x):
        b, n, c = x.shape
        qkv = self.qkv(x).reshape(b, n, 3, self.heads, c // self.heads).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]  # [B, H, N, hd]
        a = (q @ k.transpose(-2, -1)) * self.scale
        a = a.softmax(dim=-1)
        return self.proj((a @ v).transpose(1, 2).reshape(b, n, c))


class Mlp(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.fc1 = nn.Linear(dim, hidden)
        self.fc2 = nn.Linear(hidden, dim)

    def forward(self, x):
        return self.fc2(F.gelu(self.fc1(x)))


class Block(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim, eps=1e-6)
        self.attn = Attention(dim, heads)
        self.norm2 = nn.LayerNorm(dim, eps=1e-6)
        self.mlp = Mlp(dim, int(dim * MLP_RATIO))

    def forward(self, x):
        x = x + self.attn(self.norm1(x))
        return x + self.mlp(self.norm2(x))


class PatchEmbed(nn.Module):
    def __init__(self):
        super().__init__()
        self.proj = nn.Conv3d(CHANS, WIDTH, kernel_size=(TUBELET, PATCH, PATCH), stride=(TUBELET, PATCH, PATCH))

    def forward(self, x):
        return self.proj(x).flatten(2).transpose(1, 2)  # [B, N, D], ids t-major then rows then columns


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.patch_embed = PatchEmbed()
        self.pos_embed = nn.Parameter(sincos_3d(WIDTH), requires_grad=False)
        self.blocks = nn.ModuleList([Block(WIDTH, HEADS) for _ in range(DEPTH)])
        self.norm = nn.LayerNorm(WIDTH, eps=1e-6)

    def forward(self, x, ids=None):
        x = self.patch_embed(x) + self.pos_embed  # [B, N, D]
        if ids is not None:
            x = gather(x, ids)  # [B, Nc, D]
        for blk in self.blocks:
            x = blk(x)
        return self.norm(x)


class Predictor(nn.Module):
    def __init__(self):
        super().__init__()
        self.predictor_embed = nn.Linear(WIDTH, PRED_WIDTH)
        self.mask_tokens = nn.ParameterList([nn.Parameter(torch.zeros(1, 1, PRED_WIDTH))
                                             for _ in range(NUM_MASK_TOKENS)])
        self.predictor_pos_embed = nn.Parameter(sincos_3d(PRED_WIDTH), requires_grad=False)
        self.predictor_blocks = nn.ModuleList([Block(PRED_WIDTH, PRED_HEADS) for _ in range(PRED_DEPTH)])
        self.predictor_norm = nn.LayerNorm(PRED_WIDTH, eps=1e-6)
        self.predictor_proj = nn.Linear(PRED_WIDTH, WIDTH)

    def forward(self, ctx, ctx_ids, tgt_ids, mask_index):
        b = ctx.size(0)
        pos = self.predictor_pos_embed.repeat(b, 1, 1)  # [B, N, d]
        x = self.predictor_embed(ctx) + gather(pos, ctx_ids)  # [B, Nc, d]
        tok = self.mask_tokens[mask_index % NUM_MASK_TOKENS].repeat(b, tgt_ids.size(1), 1)
        tok = tok + gather(pos, tgt_ids)  # [B, Nt, d]
        x = torch.cat([x, tok], dim=1)
        for blk in self.predictor_blocks:
            x = blk(x)
        x = self.predictor_norm(x)[:, ctx.size(1):]
        return self.predictor_proj(x)  # [B, Nt, D]


def randomize(module, gen):
    """Truncated-normal Linear/Conv weights (std INIT_STD), then every trainable tensor gets a random offset so
    that biases, LayerNorm affines and mask tokens are non-trivial too."""
    with torch.no_grad():
        for name, p in module.named_parameters():
            if not p.requires_grad:
                continue
            if p.dim() >= 2 and "mask_tokens" not in name:
                p.copy_(torch.fmod(torch.randn(p.shape, generator=gen), 2.0) * INIT_STD)
            elif "norm" in name and name.endswith("weight"):
                p.copy_(1.0 + 0.1 * torch.randn(p.shape, generator=gen))
            else:
                p.copy_(0.05 * torch.randn(p.shape, generator=gen))


# ---------------------------------------------------------------- schedules (reference semantics)
class WarmupCosine:
    def __init__(self, warmup_steps, start, ref, final, t_max):
        self.warmup, self.start, self.ref, self.final = warmup_steps, start, ref, final
        self.t = t_max - warmup_steps
        self.n = 0

    def step(self):
        self.n += 1
        if self.n < self.warmup:
            return self.start + self.n / max(1, self.warmup) * (self.ref - self.start)
        progress = (self.n - self.warmup) / max(1, self.t)
        return max(self.final, self.final + (self.ref - self.final) * 0.5 * (1.0 + math.cos(math.pi * progress)))


class CosineWd:
    def __init__(self, ref, final, t_max):
        self.ref, self.final, self.t, self.n = ref, final, t_max, 0

    def step(self):
        self.n += 1
        wd = self.final + (self.ref - self.final) * 0.5 * (1.0 + math.cos(math.pi * self.n / self.t))
        return max(self.final, wd) if self.final <= self.ref else min(self.final, wd)


def momentum_schedule():
    length = IPE * EPOCHS * IPE_SCALE
    for i in range(int(length) + 1):
        yield EMA[0] + i * (EMA[1] - EMA[0]) / length


def fixed_masks():
    """Two mask sets; each row its own sorted ids; context and target of a set are disjoint."""
    rng = np.random.RandomState(7)
    sets = []
    for nc, nt in ((20, 12), (10, 22)):
        ctx, tgt = [], []
        for _ in range(BATCH):
            perm = rng.permutation(N)
            ctx.append(sorted(perm[:nc].tolist()))
            tgt.append(sorted(perm[nc:nc + nt].tolist()))
        sets.append((ctx, tgt))
    return sets


def reference_adamw(encoder, predictor):
    """AdamW with the references' parameter groups: no weight decay on biases and 1-D parameters."""
    def groups(decay):
        return [[p for n, p in mod.named_parameters() if (("bias" not in n) and (p.dim() != 1)) == decay]
                for mod in (encoder, predictor)]

    enc_d, pred_d = groups(True)
    enc_nd, pred_nd = groups(False)
    return torch.optim.AdamW([
        {"params": enc_d}, {"params": pred_d},
        {"params": enc_nd, "WD_exclude": True, "weight_decay": 0},
        {"params": pred_nd, "WD_exclude": True, "weight_decay": 0},
    ], betas=(0.9, 0.999), eps=1e-8)


def set_lr_wd(optimizer, lr, wd):
    """One step's scheduled values, as the references set them (the excluded groups keep weight decay 0)."""
    for g in optimizer.param_groups:
        g["lr"] = lr
        if not g.get("WD_exclude", False):
            g["weight_decay"] = wd


def ill_conditioned_elements(final32, modules, threshold):
    """Elements where the float32 run's final weights differ from the float64 run's (modules) by > threshold."""
    out = []
    for group, mod in modules:
        for name, v64 in mod.state_dict().items():
            v32 = final32[group][name].double().reshape(-1)
            v64 = v64.reshape(-1)
            for i in torch.nonzero((v32 - v64).abs() > threshold).reshape(-1).tolist():
                out.append({"group": group, "name": name, "index": i, "numel": v64.numel(),
                            "float32": float(v32[i]), "float64": float(v64[i])})
    print("ill-conditioned elements:", len(out))
    return out


def main():
    torch.manual_seed(0)
    gen = torch.Generator().manual_seed(1234)
    encoder, predictor = Encoder(), Predictor()
    randomize(encoder, gen)
    randomize(predictor, gen)
    target = copy.deepcopy(encoder)
    for p in target.parameters():
        p.requires_grad = False
    initial = {
        "encoder": {k: v.clone() for k, v in encoder.state_dict().items()},
        "predictor": {k: v.clone() for k, v in predictor.state_dict().items()},
        "target_encoder": {k: v.clone() for k, v in target.state_dict().items()},
    }

    clips = torch.randn(BATCH, CHANS, FRAMES, SIZE, SIZE, generator=gen)
    masks = fixed_masks()
    mask_tensors = [(torch.tensor(c, dtype=torch.int64), torch.tensor(t, dtype=torch.int64)) for c, t in masks]

    optimizer = reference_adamw(encoder, predictor)
    total = int(IPE_SCALE * EPOCHS * IPE)
    lr_s = WarmupCosine(int(WARMUP * IPE), START_LR, LR, FINAL_LR, total)
    wd_s = CosineWd(WD, FINAL_WD, total)
    mom_s = momentum_schedule()

    steps = []
    for _ in range(STEPS):
        lr, wd = lr_s.step(), wd_s.step()
        set_lr_wd(optimizer, lr, wd)
        with torch.no_grad():
            h = target(clips)
            h = F.layer_norm(h, (h.size(-1),))  # [B, N, D]
        set_losses = []
        for i, (cids, tids) in enumerate(mask_tensors):
            z = predictor(encoder(clips, cids), cids, tids, mask_index=i)
            set_losses.append(torch.mean(torch.abs(z - gather(h, tids)) ** LOSS_EXP) / LOSS_EXP)
        loss = sum(set_losses) / len(set_losses)
        optimizer.zero_grad()
        loss.backward()
        enc_norm = float(torch.nn.utils.clip_grad_norm_(encoder.parameters(), CLIP))
        pred_norm = float(torch.nn.utils.clip_grad_norm_(predictor.parameters(), CLIP))
        optimizer.step()
        m = next(mom_s)
        with torch.no_grad():
            for pq, pk in zip(encoder.parameters(), target.parameters()):
                pk.mul_(m).add_((1.0 - m) * pq.detach())
        steps.append({"loss": float(loss), "set_losses": [float(s) for s in set_losses], "lr": lr, "wd": wd,
                      "momentum": m, "encoder_grad_norm": enc_norm, "predictor_grad_norm": pred_norm})
        print(steps[-1])

    out = dict(initial)
    out["final_encoder"] = encoder.state_dict()
    out["final_predictor"] = predictor.state_dict()
    out["final_target_encoder"] = target.state_dict()
    inputs = {"clips": clips}
    for i, (cids, tids) in enumerate(mask_tensors):
        inputs["context_%d" % i] = cids
        inputs["target_%d" % i] = tids
    out["inputs"] = inputs
    torch.save(out, os.path.join(HERE, "step_fixture.pt"))
    meta = {
        "torch_version": torch.__version__,
        "config": {"frames": FRAMES, "tubelet": TUBELET, "size": SIZE, "patch": PATCH, "width": WIDTH,
                   "depth": DEPTH, "heads": HEADS, "pred_width": PRED_WIDTH, "pred_depth": PRED_DEPTH,
                   "pred_heads": PRED_HEADS, "num_mask_tokens": NUM_MASK_TOKENS, "ipe": IPE, "epochs": EPOCHS,
                   "ipe_scale": IPE_SCALE, "warmup": WARMUP, "start_lr": START_LR, "lr": LR, "final_lr": FINAL_LR,
                   "weight_decay": WD, "final_weight_decay": FINAL_WD, "ema": list(EMA), "clip_grad": CLIP,
                   "loss_exp": LOSS_EXP},
        "clips_shape": list(clips.shape),
        "steps": steps,
    }
    with open(os.path.join(HERE, "step_fixture.json"), "w") as f:
        json.dump(meta, f)


if __name__ == "__main__":
    main()
