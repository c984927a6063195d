"""Writes the V-JEPA 2 training-step fixture read by org.jepa4j.train.Vjepa2StepParityTest.

Run once with PyTorch (written with Debian's python3-torch 1.13, CPU):
    /usr/bin/python3 make_vjepa2_step_fixture.py
The outputs are committed; the Java test never needs Python. The MLP, the random initialization, the schedules and
the fixed mask sets are those of make_step_fixture.py (the V-JEPA 1 fixture), imported from it.

A tiny V-JEPA 2 (facebookresearch/vjepa2 semantics, written from its description, not copied):
  encoder    Conv3d tubelet embedding (tubelet 2, patch 2), NO absolute positions, 2 pre-norm blocks of width 24,
             2 heads (head dim 12), MLP ratio 4, final LayerNorm (eps 1e-6); attention rotates queries and keys
             with 3D RoPE of each token's id (src/models/utils/modules.py RoPEAttention)
  RoPE       head dim split into 3 chunks of d = 2 * ((head_dim // 3) // 2) channels (time, row, column), rest
             unrotated; omega_k = 1 / 10000^(k / (d/2)); sin/cos [.., d/2] TILED to d (the reference's
             repeat(1, 1, 1, 2) quirk the released weights depend on) while the partner is built PAIRWISE
             (y[2i] = -x[2i+1], y[2i+1] = x[2i]); out = x * cos + y * sin
  predictor  predictor_embed 24->12, 2 mask tokens, no positions table, 2 RoPE blocks of width 12, 2 heads
             (head dim 6), predictor_norm, predictor_proj 12->24; [context, mask tokens at the target ids] sorted
             by position id before the blocks and unsorted after (src/models/predictor.py)
  input      4 frames of 8 x 8 px, 3 channels -> 2 x 4 x 4 = 32 tokens; batch 2; 2 mask sets with fixed ids
Three optimizer steps as app/vjepa/train.py does them (one clip length, fpc group 0):
  lr = scheduler.step(); wd = wd_scheduler.step()       (warmup start_lr -> lr over 2 steps, then constant;
                                                         constant weight decay: final values equal the start)
  h  = layer_norm(target(clips))                                              (no grad)
  z_i = predictor(encoder(clips, ctx_i), ctx_i, tgt_i, mask_index=0)
      src/utils/wrappers.py PredictorMultiSeqWrapper passes mask_index = the index of the clip-length (fpc) group,
      not of the mask set: with one clip length every mask set uses mask_tokens[0] and the other tokens never get
      a gradient (PyTorch's AdamW then leaves them untouched, weight decay included)
  loss = sum_i mean(|z_i - h_i|^p) / p / num_sets                             (p = loss_exp = 1, L1)
  backward; AdamW with the reference groups; NO gradient clipping; zero_grad
  m = next(momentum schedule) (constant); target = m * target + (1 - m) * encoder
Outputs:
  vjepa2_step_fixture.pt    {'encoder', 'predictor'}: initial state dicts (reference names; the target encoder
                            starts as a copy of the encoder); {'final_encoder', 'final_predictor',
                            'final_target_encoder'}: after the three steps;
                            'inputs': {'clips' [B, C, T, H, W], 'context_i' / 'target_i' int64 [B, K] per set i}
  vjepa2_step_fixture.json  per-step loss (and per set)/lr/wd/momentum/gradient norms, the configuration, the
                            elements where float32 PyTorch differs from float64 PyTorch by more than 2.5e-6
"""
import copy
import json
import os
import sys
import zipfile

import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import make_step_fixture as vj  # noqa: E402  Mlp, randomize, WarmupCosine, CosineWd, fixed_masks, gather

FRAMES, TUBELET, SIZE, PATCH, CHANS = 4, 2, 8, 2, 3
GT, GH, GW = FRAMES // TUBELET, SIZE // PATCH, SIZE // PATCH
N = GT * GH * GW
WIDTH, DEPTH, HEADS = 24, 2, 2
PRED_WIDTH, PRED_DEPTH, PRED_HEADS = 12, 2, 2
NUM_MASK_TOKENS = 2
BATCH = 2
IPE, EPOCHS, IPE_SCALE, WARMUP = vj.IPE, vj.EPOCHS, vj.IPE_SCALE, vj.WARMUP  # 2 warmup steps
START_LR, LR = vj.START_LR, vj.LR
FINAL_LR = LR  # constant after warmup (the V-JEPA 2 recipe's final_lr equals lr)
WD = FINAL_WD = vj.WD
EMA = (0.95, 0.95)  # constant momentum (smaller than the recipe's 0.99925 so the target visibly moves)
LOSS_EXP = 1.0
STEPS = 3
ILL_CONDITIONED = 2.5e-6  # a quarter of the Java test's weight tolerance
assert N == vj.N and BATCH == vj.BATCH and vj.MLP_RATIO == 4.0


# ---------------------------------------------------------------- 3D RoPE (reference quirk)
def positions(ids):
    """ids [..] -> (frame, row, column) as floats"""
    per_frame = GH * GW
    t = ids // per_frame
    r = (ids - t * per_frame) // GW
    c = ids - t * per_frame - r * GW
    return t.to(torch.get_default_dtype()), r.to(torch.get_default_dtype()), c.to(torch.get_default_dtype())


def rotate(x, pos):
    """x [B, H, N, d], pos [B, H, N] or [N]: tiled sin/cos, pairwise partner."""
    d = x.size(-1)
    omega = torch.arange(d // 2, dtype=x.dtype) / (d / 2.0)
    omega = 1.0 / 10000 ** omega  # [d/2]
    freq = pos.unsqueeze(-1) * omega  # [.., N, d/2]
    sin = torch.cat([freq.sin(), freq.sin()], dim=-1)  # [.., N, d]  tiled, not interleaved
    cos = torch.cat([freq.cos(), freq.cos()], dim=-1)
    pairs = x.reshape(*x.shape[:-1], d // 2, 2)
    y = torch.stack((-pairs[..., 1], pairs[..., 0]), dim=-1).reshape(x.shape)  # pairwise partner
    return x * cos + y * sin


def rope(x, ids):
    """x [B, H, N, hd], ids [B, N] token ids -> x with its three chunks rotated by time, row, column."""
    hd = x.size(-1)
    d = 2 * ((hd // 3) // 2)
    t, r, c = (p.unsqueeze(1).expand(-1, x.size(1), -1) for p in positions(ids))  # [B, H, N]
    parts = [rotate(x[..., 0:d], t), rotate(x[..., d:2 * d], r), rotate(x[..., 2 * d:3 * d], c)]
    if 3 * d < hd:
        parts.append(x[..., 3 * d:])
    return torch.cat(parts, dim=-1)


class RopeAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.scale = (dim // heads) ** -0.5
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x, ids):
        b, n, c = x.shape
        qkv = self.qkv(x).reshape(b, n, 3, self.heads, c // self.heads).permute(2, 0, 3, 1, 4)
        q, k, v = rope(qkv[0], ids), rope(qkv[1], ids), qkv[2]  # [B, H, N, hd]
        a = ((q @ k.transpose(-2, -1)) * self.scale).softmax(dim=-1)
        return self.proj((a @ v).transpose(1, 2).reshape(b, n, c))


class Block(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim, eps=1e-6)
        self.attn = RopeAttention(dim, heads)
        self.norm2 = nn.LayerNorm(dim, eps=1e-6)
        self.mlp = vj.Mlp(dim, int(dim * vj.MLP_RATIO))

    def forward(self, x, ids):
        x = x + self.attn(self.norm1(x), ids)
        return x + self.mlp(self.norm2(x))


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.patch_embed = nn.Module()
        self.patch_embed.proj = nn.Conv3d(CHANS, WIDTH, kernel_size=(TUBELET, PATCH, PATCH),
                                          stride=(TUBELET, PATCH, PATCH))
        self.blocks = nn.ModuleList([Block(WIDTH, HEADS) for _ in range(DEPTH)])
        self.norm = nn.LayerNorm(WIDTH, eps=1e-6)

    def forward(self, x, ids=None):
        x = self.patch_embed.proj(x).flatten(2).transpose(1, 2)  # [B, N, D], ids t-major, rows, columns
        if ids is None:
            ids = torch.arange(N).unsqueeze(0).expand(x.size(0), -1)
        else:
            x = vj.gather(x, ids)  # [B, Nc, D]
        for blk in self.blocks:
            x = blk(x, ids)
        return self.norm(x)


class Predictor(nn.Module):
    def __init__(self):
        super().__init__()
        self.predictor_embed = nn.Linear(WIDTH, PRED_WIDTH)
        self.mask_tokens = nn.ParameterList([nn.Parameter(torch.zeros(1, 1, PRED_WIDTH))
                                             for _ in range(NUM_MASK_TOKENS)])
        self.predictor_blocks = nn.ModuleList([Block(PRED_WIDTH, PRED_HEADS) for _ in range(PRED_DEPTH)])
        self.predictor_norm = nn.LayerNorm(PRED_WIDTH, eps=1e-6)
        self.predictor_proj = nn.Linear(PRED_WIDTH, WIDTH)

    def forward(self, ctx, ctx_ids, tgt_ids, mask_index):
        b, nc = ctx.size(0), ctx.size(1)
        x = self.predictor_embed(ctx)  # [B, Nc, d]
        tok = self.mask_tokens[mask_index % NUM_MASK_TOKENS].repeat(b, tgt_ids.size(1), 1)  # [B, Nt, d]
        x = torch.cat([x, tok], dim=1)  # [B, N', d]
        ids = torch.cat([ctx_ids, tgt_ids], dim=1)  # [B, N']
        order = torch.argsort(ids, dim=1)
        ids = torch.gather(ids, 1, order)
        x = vj.gather(x, order)  # sorted by position id
        for blk in self.predictor_blocks:
            x = blk(x, ids)
        x = self.predictor_norm(x)
        x = vj.gather(x, torch.argsort(order, dim=1))[:, nc:]  # unsorted, targets only
        return self.predictor_proj(x)  # [B, Nt, D]


def run_steps(encoder, predictor, target, clips, mask_tensors):
    """The STEPS training steps of app/vjepa/train.py, in place; returns the per-step values."""
    optimizer = vj.reference_adamw(encoder, predictor)
    total = int(IPE_SCALE * EPOCHS * IPE)
    lr_s = vj.WarmupCosine(int(WARMUP * IPE), START_LR, LR, FINAL_LR, total)
    wd_s = vj.CosineWd(WD, FINAL_WD, total)
    length = IPE * EPOCHS * IPE_SCALE
    mom_s = (EMA[0] + i * (EMA[1] - EMA[0]) / length for i in range(int(length) + 1))

    steps = []
    for _ in range(STEPS):
        lr, wd = lr_s.step(), wd_s.step()
        vj.set_lr_wd(optimizer, lr, wd)
        with torch.no_grad():
            h = target(clips)
            h = F.layer_norm(h, (h.size(-1),))  # [B, N, D]
        set_losses = []
        for cids, tids in mask_tensors:
            z = predictor(encoder(clips, cids), cids, tids, mask_index=0)  # fpc group 0 (see the docstring)
            set_losses.append(torch.mean(torch.abs(z - vj.gather(h, tids)) ** LOSS_EXP) / LOSS_EXP)
        loss = sum(set_losses) / len(set_losses)
        loss.backward()
        enc_norm, pred_norm = (float(torch.norm(torch.stack([p.grad.norm() for p in mod.parameters()
                                                             if p.grad is not None])))
                               for mod in (encoder, predictor))
        optimizer.step()
        optimizer.zero_grad()
        m = next(mom_s)
        with torch.no_grad():
            for pq, pk in zip(encoder.parameters(), target.parameters()):
                pk.mul_(m).add_((1.0 - m) * pq.detach())
        steps.append({"loss": float(loss), "set_losses": [float(s) for s in set_losses], "lr": lr, "wd": wd,
                      "momentum": m, "encoder_grad_norm": enc_norm, "predictor_grad_norm": pred_norm})
        if next(encoder.parameters()).dtype == torch.float32:
            print(steps[-1])
    return steps


def ill_conditioned(initial, final32, clips, mask_tensors):
    """The same steps in float64 from the same start; every final element whose float32 value differs from the
    float64 one by more than ILL_CONDITIONED (see make_ijepa_step_fixture.py). Returns
    [{group, name, index, numel, float32, float64}]."""
    torch.set_default_dtype(torch.float64)
    try:
        enc, pred, tgt = Encoder(), Predictor(), Encoder()
        enc.load_state_dict(initial["encoder"])
        pred.load_state_dict(initial["predictor"])
        tgt.load_state_dict(initial["encoder"])
        for p in tgt.parameters():
            p.requires_grad = False
        run_steps(enc, pred, tgt, clips.double(), mask_tensors)
    finally:
        torch.set_default_dtype(torch.float32)
    return vj.ill_conditioned_elements(
        final32, (("final_encoder", enc), ("final_predictor", pred), ("final_target_encoder", tgt)), ILL_CONDITIONED)


def deflate(path):
    """Rewrites torch.save's zip (stored records) with deflated records, same names and order: float32 data
    shrinks by ~10% (exponent bytes repeat), which keeps the committed file under 250 KB. Readers that go through
    a zip library (torch.load, java.util.zip) read it unchanged."""
    with zipfile.ZipFile(path) as z:
        records = [(info.filename, z.read(info)) for info in z.infolist()]
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for name, data in records:
            z.writestr(name, data)


def main():
    torch.manual_seed(0)
    gen = torch.Generator().manual_seed(2024)
    encoder, predictor = Encoder(), Predictor()
    vj.randomize(encoder, gen)
    vj.randomize(predictor, gen)  # every mask token non-zero, so moving an unused one would show
    target = copy.deepcopy(encoder)
    for p in target.parameters():
        p.requires_grad = False
    initial = {
        "encoder": {k: v.clone() for k, v in encoder.state_dict().items()},
        "predictor": {k: v.clone() for k, v in predictor.state_dict().items()},
    }
    clips = torch.randn(BATCH, CHANS, FRAMES, SIZE, SIZE, generator=gen)
    mask_tensors = [(torch.tensor(c, dtype=torch.int64), torch.tensor(t, dtype=torch.int64))
                    for c, t in vj.fixed_masks()]

    steps = run_steps(encoder, predictor, target, clips, mask_tensors)
    final = {"final_encoder": encoder.state_dict(), "final_predictor": predictor.state_dict(),
             "final_target_encoder": target.state_dict()}
    ill = ill_conditioned(initial, final, clips, mask_tensors)

    out = dict(initial)
    out.update(final)
    inputs = {"clips": clips}
    for i, (cids, tids) in enumerate(mask_tensors):
        inputs["context_%d" % i] = cids
        inputs["target_%d" % i] = tids
    out["inputs"] = inputs
    path = os.path.join(HERE, "vjepa2_step_fixture.pt")
    torch.save(out, path)
    deflate(path)
    meta = {
        "torch_version": torch.__version__,
        "config": {"frames": FRAMES, "tubelet": TUBELET, "size": SIZE, "patch": PATCH, "width": WIDTH,
                   "depth": DEPTH, "heads": HEADS, "pred_width": PRED_WIDTH, "pred_depth": PRED_DEPTH,
                   "pred_heads": PRED_HEADS, "num_mask_tokens": NUM_MASK_TOKENS, "ipe": IPE, "epochs": EPOCHS,
                   "ipe_scale": IPE_SCALE, "warmup": WARMUP, "start_lr": START_LR, "lr": LR, "final_lr": FINAL_LR,
                   "weight_decay": WD, "final_weight_decay": FINAL_WD, "ema": list(EMA), "loss_exp": LOSS_EXP,
                   "mask_index": 0},
        "clips_shape": list(clips.shape),
        "steps": steps,
        "ill_conditioned": ill,
    }
    with open(os.path.join(HERE, "vjepa2_step_fixture.json"), "w") as f:
        json.dump(meta, f)


if __name__ == "__main__":
    main()
