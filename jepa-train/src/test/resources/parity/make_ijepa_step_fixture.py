"""Writes the I-JEPA training-step fixture read by org.jepa4j.train.IjepaStepParityTest.

Run once with PyTorch (written with Debian's python3-torch 1.13, CPU):
    /usr/bin/python3 make_ijepa_step_fixture.py
The outputs are committed; the Java test never needs Python. The transformer block, the random initialization and
the LR/WD schedules are those of make_step_fixture.py (the V-JEPA fixture), imported from it.

A tiny I-JEPA (facebookresearch/ijepa semantics, written from its description, not copied):
  encoder    Conv2d patch embedding (patch 4) + fixed 2D sin-cos positions (first half of the channels encodes
             the column, the second half the row, as the reference's meshgrid(w, h) does), 2 pre-norm blocks of
             width 16, 2 heads, MLP ratio 4, final LayerNorm (eps 1e-6)
  predictor  predictor_embed 16->8, ONE mask_token, fixed 2D sin-cos predictor_pos_embed, 2 blocks of width 8,
             2 heads (the reference uses the encoder's head count), predictor_norm, predictor_proj 8->16
  input      16 x 16 px images, 3 channels -> 4 x 4 = 16 tokens; batch 2; 1 context mask and 4 target blocks with
             fixed ids, every mask of one kind of equal length as the reference collator makes them
Three optimizer steps as src/train.py does them:
  lr = scheduler.step(); wd = wd_scheduler.step()               (warmup + cosine LR, cosine WD; init_opt)
  h = layer_norm(target_encoder(imgs)); h = apply_masks(h, masks_pred)
  h = repeat_interleave_batch(h, B, repeat=len(masks_enc))       [npred * B, Nt, D]   (no grad)
  z = predictor(encoder(imgs, masks_enc), masks_enc, masks_pred)  [npred * B, Nt, D]
      (the context repeated once per target block; block-major rows like apply_masks)
  loss = F.smooth_l1_loss(z, h)                                    (mean over every element, beta 1)
  backward; AdamW step (reference groups; no gradient clipping); zero_grad
  m = next(momentum schedule); target = m * target + (1 - m) * encoder
Outputs:
  ijepa_step_fixture.pt    {'encoder', 'predictor', 'target_encoder'}: initial state dicts (reference names);
                           {'final_encoder', 'final_predictor', 'final_target_encoder'}: after the three steps;
                           'inputs': {'imgs' [B, C, H, W], 'context_0' int64 [B, Nc],
                                      'target_j' int64 [B, Nt] for target block j}
  ijepa_step_fixture.json  per-step loss (and the mean per block)/lr/wd/momentum/gradient norms, the configuration
"""
import copy
import json
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import make_step_fixture as vj  # noqa: E402  Block, randomize, WarmupCosine, CosineWd, sincos_1d

SIZE, PATCH, CHANS = 16, 4, 3
G = SIZE // PATCH
N = G * G
WIDTH, DEPTH, HEADS = 16, 2, 2
PRED_WIDTH, PRED_DEPTH = 8, 2
BATCH = 2
NUM_CONTEXT, CONTEXT_LEN = 1, 6
NUM_TARGETS, TARGET_LEN = 4, 3
# the V-JEPA fixture's schedules (small ipe so that they move within three steps); no clipping in I-JEPA
IPE, EPOCHS, IPE_SCALE, WARMUP = vj.IPE, vj.EPOCHS, vj.IPE_SCALE, vj.WARMUP
START_LR, LR, FINAL_LR = vj.START_LR, vj.LR, vj.FINAL_LR
WD, FINAL_WD = vj.WD, vj.FINAL_WD
EMA = vj.EMA
STEPS = 3
ILL_CONDITIONED = 2.5e-6  # a quarter of the Java test's weight tolerance
assert WIDTH == vj.WIDTH and vj.MLP_RATIO == 4.0


def sincos_2d(width):
    """[1, N, width]: token id r * G + c; channels [sincos(c) (width/2), sincos(r) (width/2)]."""
    w, h = np.meshgrid(np.arange(G, dtype=np.float64), np.arange(G, dtype=np.float64))  # w varies along columns
    table = np.concatenate([vj.sincos_1d(width // 2, w), vj.sincos_1d(width // 2, h)], axis=1)
    return torch.tensor(table, dtype=torch.float32).unsqueeze(0)


def apply_masks(x, masks):
    """x [B, N, D], masks: list of [B, K] -> [len(masks) * B, K, D], mask-major (reference apply_masks)."""
    return torch.cat([torch.gather(x, 1, m.unsqueeze(-1).repeat(1, 1, x.size(-1))) for m in masks], dim=0)


def repeat_interleave_batch(x, b, repeat):
    """[n * b, ...] -> [n * repeat * b, ...]: each chunk of b rows repeated `repeat` times in place."""
    n = len(x) // b
    return torch.cat([torch.cat([x[i * b:(i + 1) * b] for _ in range(repeat)], dim=0) for i in range(n)], dim=0)


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.patch_embed = nn.Module()
        self.patch_embed.proj = nn.Conv2d(CHANS, WIDTH, kernel_size=PATCH, stride=PATCH)
        self.pos_embed = nn.Parameter(sincos_2d(WIDTH), requires_grad=False)
        self.blocks = nn.ModuleList([vj.Block(WIDTH, HEADS) for _ in range(DEPTH)])
        self.norm = nn.LayerNorm(WIDTH, eps=1e-6)

    def forward(self, x, masks=None):
        x = self.patch_embed.proj(x).flatten(2).transpose(1, 2) + self.pos_embed  # [B, N, D]
        if masks is not None:
            x = apply_masks(x, masks)  # [nenc * B, Nc, D]
        for blk in self.blocks:
            x = blk(x)
        return self.norm(x)


class Predictor(nn.Module):
    def __init__(self):
        super().__init__()
        self.predictor_embed = nn.Linear(WIDTH, PRED_WIDTH)
        self.mask_token = nn.Parameter(torch.zeros(1, 1, PRED_WIDTH))
        self.predictor_pos_embed = nn.Parameter(sincos_2d(PRED_WIDTH), requires_grad=False)
        self.predictor_blocks = nn.ModuleList([vj.Block(PRED_WIDTH, HEADS) for _ in range(PRED_DEPTH)])
        self.predictor_norm = nn.LayerNorm(PRED_WIDTH, eps=1e-6)
        self.predictor_proj = nn.Linear(PRED_WIDTH, WIDTH)

    def forward(self, x, masks_x, masks):
        b = len(x) // len(masks_x)
        x = self.predictor_embed(x)  # [nenc * B, Nc, d]
        x = x + apply_masks(self.predictor_pos_embed.repeat(b, 1, 1), masks_x)
        n_ctx = x.size(1)
        pos = apply_masks(self.predictor_pos_embed.repeat(b, 1, 1), masks)  # [npred * B, Nt, d]
        pos = repeat_interleave_batch(pos, b, repeat=len(masks_x))  # [npred * nenc * B, Nt, d]
        tok = self.mask_token.repeat(pos.size(0), pos.size(1), 1) + pos
        x = torch.cat([x.repeat(len(masks), 1, 1), tok], dim=1)
        for blk in self.predictor_blocks:
            x = blk(x)
        x = self.predictor_norm(x)[:, n_ctx:]
        return self.predictor_proj(x)  # [npred * nenc * B, Nt, D]


def fixed_masks():
    """Per row: a context of CONTEXT_LEN ids and NUM_TARGETS blocks of TARGET_LEN ids, all sorted; targets
    disjoint from the context (allow_overlap false), blocks may overlap each other as in the reference."""
    rng = np.random.RandomState(11)
    ctx = [[] for _ in range(NUM_CONTEXT)]
    tgt = [[] for _ in range(NUM_TARGETS)]
    for _ in range(BATCH):
        perm = rng.permutation(N)
        c, rest = perm[:CONTEXT_LEN], perm[CONTEXT_LEN:]
        ctx[0].append(sorted(c.tolist()))
        for j in range(NUM_TARGETS):
            tgt[j].append(sorted(rng.choice(rest, TARGET_LEN, replace=False).tolist()))
    as_t = lambda rows: torch.tensor(rows, dtype=torch.int64)  # noqa: E731
    return [as_t(r) for r in ctx], [as_t(r) for r in tgt]


def run_steps(encoder, predictor, target, imgs, masks_enc, masks_pred):
    """The STEPS training steps of src/train.py, in place; returns the per-step values."""
    optimizer = vj.reference_adamw(encoder, predictor)
    total = int(IPE_SCALE * EPOCHS * IPE)
    lr_s = vj.WarmupCosine(int(WARMUP * IPE), START_LR, LR, FINAL_LR, total)
    wd_s = vj.CosineWd(WD, FINAL_WD, total)
    mom_s = (EMA[0] + i * (EMA[1] - EMA[0]) / (IPE * EPOCHS * IPE_SCALE)
             for i in range(int(IPE * EPOCHS * IPE_SCALE) + 1))

    steps = []
    for _ in range(STEPS):
        lr, wd = lr_s.step(), wd_s.step()
        vj.set_lr_wd(optimizer, lr, wd)
        with torch.no_grad():
            h = target(imgs)
            h = F.layer_norm(h, (h.size(-1),))
            h = apply_masks(h, masks_pred)
            h = repeat_interleave_batch(h, BATCH, repeat=len(masks_enc))
        z = predictor(encoder(imgs, masks_enc), masks_enc, masks_pred)
        loss = F.smooth_l1_loss(z, h)
        with torch.no_grad():  # the same loss per target block (rows j*B .. (j+1)*B), for the per-set check
            blocks = [float(F.smooth_l1_loss(z[j * BATCH:(j + 1) * BATCH], h[j * BATCH:(j + 1) * BATCH]))
                      for j in range(NUM_TARGETS)]
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
        steps.append({"loss": float(loss), "block_losses": blocks, "lr": lr, "wd": wd, "momentum": m,
                      "encoder_grad_norm": enc_norm, "predictor_grad_norm": pred_norm})
        if next(encoder.parameters()).dtype == torch.float32:
            print(steps[-1])

    return steps


def ill_conditioned(initial, final32, imgs, masks_enc, masks_pred):
    """Elements where float32 PyTorch itself is not reproducible to the test's weight tolerance: the same steps in
    float64 from the same start; every final element whose float32 value differs from the float64 one by more than ILL_CONDITIONED. Such elements had a gradient near
    float32 rounding noise (e.g. |g| ~ 4e-9 against typical 1e-4), which AdamW divides by sqrt(v) + eps ~ |g| + 1e-8
    and so turns rounding noise into visible updates; the key part of every attn.qkv.bias is such noise only (its
    exact gradient is zero: softmax ignores q . b_k). Returns [{group, name, index, numel, float32, float64}]."""
    torch.set_default_dtype(torch.float64)
    try:
        enc, pred, tgt = Encoder(), Predictor(), Encoder()
        enc.load_state_dict(initial["encoder"])
        pred.load_state_dict(initial["predictor"])
        tgt.load_state_dict(initial["target_encoder"])
        for p in tgt.parameters():
            p.requires_grad = False
        run_steps(enc, pred, tgt, imgs.double(), masks_enc, masks_pred)
    finally:
        torch.set_default_dtype(torch.float32)
    return vj.ill_conditioned_elements(
        final32, (("final_encoder", enc), ("final_predictor", pred), ("final_target_encoder", tgt)), ILL_CONDITIONED)


def main():
    torch.manual_seed(0)
    gen = torch.Generator().manual_seed(4321)
    encoder, predictor = Encoder(), Predictor()
    vj.randomize(encoder, gen)
    vj.randomize(predictor, gen)
    target = copy.deepcopy(encoder)
    for p in target.parameters():
        p.requires_grad = False
    initial = {
        "encoder": {k: v.clone() for k, v in encoder.state_dict().items()},
        "predictor": {k: v.clone() for k, v in predictor.state_dict().items()},
        "target_encoder": {k: v.clone() for k, v in target.state_dict().items()},
    }
    imgs = torch.randn(BATCH, CHANS, SIZE, SIZE, generator=gen)
    masks_enc, masks_pred = fixed_masks()

    steps = run_steps(encoder, predictor, target, imgs, masks_enc, masks_pred)
    ill = ill_conditioned(initial, {"final_encoder": encoder.state_dict(), "final_predictor": predictor.state_dict(),
                                    "final_target_encoder": target.state_dict()}, imgs, masks_enc, masks_pred)

    out = dict(initial)
    out["final_encoder"] = encoder.state_dict()
    out["final_predictor"] = predictor.state_dict()
    out["final_target_encoder"] = target.state_dict()
    inputs = {"imgs": imgs}
    for i, m in enumerate(masks_enc):
        inputs["context_%d" % i] = m
    for j, m in enumerate(masks_pred):
        inputs["target_%d" % j] = m
    out["inputs"] = inputs
    torch.save(out, os.path.join(HERE, "ijepa_step_fixture.pt"))
    meta = {
        "torch_version": torch.__version__,
        "config": {"size": SIZE, "patch": PATCH, "width": WIDTH, "depth": DEPTH, "heads": HEADS,
                   "pred_width": PRED_WIDTH, "pred_depth": PRED_DEPTH, "pred_heads": HEADS, "ipe": IPE,
                   "epochs": EPOCHS, "ipe_scale": IPE_SCALE, "warmup": WARMUP, "start_lr": START_LR, "lr": LR,
                   "final_lr": FINAL_LR, "weight_decay": WD, "final_weight_decay": FINAL_WD, "ema": list(EMA),
                   "num_target_blocks": NUM_TARGETS},
        "imgs_shape": list(imgs.shape),
        "steps": steps,
        "ill_conditioned": ill,
    }
    with open(os.path.join(HERE, "ijepa_step_fixture.json"), "w") as f:
        json.dump(meta, f)


if __name__ == "__main__":
    main()
