"""Writes the world-model (V-JEPA 2-AC predictor) training-step fixture read by org.jepa4j.train.AcStepParityTest.

Run once with PyTorch (written with the PyTorch 2.13 CPU wheel):
    python3 make_ac_step_fixture.py
The outputs are committed; the Java test never needs Python. The predictor is the one of
jepa-core/src/test/resources/world/make_ac_fixture.py (itself checked against the reference code), imported from
there; the AdamW groups, the per-step lr/wd setting, the cosine weight decay and the ill-conditioned listing are
those of make_step_fixture.py.

Three optimizer steps as app/vjepa_droid/train.py does them (written from its behaviour, not copied):
  lr = WSD schedule (warmup 2 steps start_lr -> lr, stable, linear decay to final_lr over the last 2 of 4 steps)
  wd = cosine weight-decay schedule over 4 steps
  h    = the clip's layer-normed frozen-encoder tokens, frames 0..T-1 (here given directly: random, layer-normed)
  z_tf = LN(P(h[:, :-HW], actions, states[:, :-1]))                       teacher forcing
  z    = cat(h[:, :HW], z_tf[:, :HW]); for n in 1..auto_steps-1: z = cat(z, LN(P(z, a[:, :n+1], s[:, :n+1]))[-HW:])
  loss = mean(|z_tf - h[:, HW:]|) + mean(|z[:, HW:] - h[:, HW:(auto_steps+1)*HW]|)      (loss_exp 1)
  backward; AdamW with the reference groups (no decay on biases and 1-D parameters); NO gradient clipping;
  zero_grad. extrinsics_encoder (built, unused) never gets a gradient, so AdamW leaves it untouched.
Config: the 4 x 3 grid, head dim 20, 5-D actions predictor of ac_fixture.json (max 4 steps), clips of T = 4 frames,
batch 2, auto_steps 3.
Outputs:
  ac_step_fixture.pt    {'predictor': initial state dict, 'final_predictor': after three steps,
                        'inputs': {'h' [B, T*HW, E], 'actions' [B, T-1, A], 'states' [B, T, A]}}
  ac_step_fixture.json  per-step loss / loss_tf / loss_rollout / lr / wd / grad_norm, the configuration and the
                        elements where float32 PyTorch differs from float64 PyTorch by more than 2.5e-6
"""
import copy
import json
import math
import os
import sys

import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "..", "..", "jepa-core", "src", "test", "resources", "world"))
import make_ac_fixture as ac  # noqa: E402  AcPredictor, randomize, BASE
import make_step_fixture as vj  # noqa: E402  CosineWd, set_lr_wd, ill_conditioned_elements

CFG = dict(ac.BASE)
T, BATCH, AUTO_STEPS, LOSS_EXP = 4, 2, 3, 1.0
WARMUP, ANNEAL, TOTAL = 2, 2, 4
START_LR, LR, FINAL_LR = 1e-3, 4e-3, 0.0
WD, FINAL_WD = 0.04, 0.01
STEPS = 3
ILL_CONDITIONED = 2.5e-6


class Wsd:
    """Warmup-stable-decay (src/utils/schedulers.py WSDSchedule semantics)."""

    def __init__(self, warmup, anneal, total, start, ref, final):
        self.warmup, self.anneal, self.start, self.ref, self.final = warmup, anneal, start, ref, final
        self.t_max = total - warmup - anneal
        self.n = 0

    def step(self):
        self.n += 1
        if self.n < self.warmup:
            return self.start + self.n / max(1, self.warmup) * (self.ref - self.start)
        if self.n < self.t_max + self.warmup:
            return self.ref
        progress = (self.n - (self.t_max + self.warmup)) / max(1, self.anneal)
        return self.ref + progress * (self.final - self.ref)


def adamw(predictor):
    decay = [p for n, p in predictor.named_parameters() if ("bias" not in n) and (p.dim() != 1)]
    no_decay = [p for n, p in predictor.named_parameters() if ("bias" in n) or (p.dim() == 1)]
    return torch.optim.AdamW([{"params": decay}, {"params": no_decay, "WD_exclude": True, "weight_decay": 0}],
                             betas=(0.9, 0.999), eps=1e-8)


def losses(predictor, h, actions, states, hw):
    def step(z, a, s):
        return F.layer_norm(predictor(z, a, s), (z.size(-1),))

    z_tf = step(h[:, :-hw], actions, states[:, :-1])
    z = torch.cat([h[:, :hw], z_tf[:, :hw]], dim=1)
    for n in range(1, AUTO_STEPS):
        nxt = step(z, actions[:, :n + 1], states[:, :n + 1])[:, -hw:]
        z = torch.cat([z, nxt], dim=1)
    z_ar = z[:, hw:]

    def loss_fn(z, h):
        target = h[:, hw:z.size(1) + hw]
        return torch.mean(torch.abs(z - target) ** LOSS_EXP) / LOSS_EXP

    return loss_fn(z_tf, h), loss_fn(z_ar, h)


def run(predictor, inputs, dtype):
    predictor = predictor.to(dtype)
    h, a, s = (inputs[k].to(dtype) for k in ("h", "actions", "states"))
    opt = adamw(predictor)
    lr_s = Wsd(WARMUP, ANNEAL, TOTAL, START_LR, LR, FINAL_LR)
    wd_s = vj.CosineWd(WD, FINAL_WD, TOTAL)
    hw = predictor.gh * predictor.gw
    log = []
    for _ in range(STEPS):
        lr, wd = lr_s.step(), wd_s.step()
        vj.set_lr_wd(opt, lr, wd)
        jloss, sloss = losses(predictor, h, a, s, hw)
        loss = jloss + sloss
        loss.backward()
        norm = math.sqrt(sum(float((p.grad.double() ** 2).sum()) for p in predictor.parameters()
                             if p.grad is not None))
        opt.step()
        opt.zero_grad()
        log.append({"loss": loss.item(), "loss_tf": jloss.item(), "loss_rollout": sloss.item(), "lr": lr, "wd": wd,
                    "grad_norm": norm})
    return predictor, log


def main():
    torch.manual_seed(0)
    gen = torch.Generator().manual_seed(4321)
    predictor = ac.AcPredictor(CFG)
    ac.randomize(predictor, gen, std=0.1)
    hw = predictor.gh * predictor.gw
    a_dim = CFG["action_embed_dim"]
    inputs = {
        "h": F.layer_norm(torch.randn(BATCH, T * hw, CFG["embed_dim"], generator=gen), (CFG["embed_dim"],)),
        "actions": torch.randn(BATCH, T - 1, a_dim, generator=gen),
        "states": torch.randn(BATCH, T, a_dim, generator=gen),
    }
    initial = copy.deepcopy(predictor.state_dict())
    final32, log = run(copy.deepcopy(predictor), inputs, torch.float32)
    final64, _ = run(copy.deepcopy(predictor).double(), inputs, torch.float64)
    assert torch.equal(final32.extrinsics_encoder.weight, initial["extrinsics_encoder.weight"])
    ill = vj.ill_conditioned_elements({"final_predictor": final32.state_dict()},
                                      [("final_predictor", final64)], ILL_CONDITIONED)
    torch.save({"predictor": initial, "final_predictor": final32.state_dict(), "inputs": inputs},
               os.path.join(HERE, "ac_step_fixture.pt"))
    config = dict(CFG, clip_frames=T, batch=BATCH, auto_steps=AUTO_STEPS, loss_exp=LOSS_EXP, warmup_steps=WARMUP,
                  anneal_steps=ANNEAL, total_steps=TOTAL, start_lr=START_LR, lr=LR, final_lr=FINAL_LR,
                  weight_decay=WD, final_weight_decay=FINAL_WD, steps=STEPS)
    with open(os.path.join(HERE, "ac_step_fixture.json"), "w") as f:
        json.dump({"config": config, "steps": log, "ill_conditioned": ill}, f, indent=1)
    for i, r in enumerate(log):
        print(f"step {i + 1}: loss {r['loss']:.6f} (tf {r['loss_tf']:.6f}, rollout {r['loss_rollout']:.6f}) "
              f"lr {r['lr']:.4g} wd {r['wd']:.4g} grad {r['grad_norm']:.4g}")
    moved = max(float((final32.state_dict()[k] - initial[k]).abs().max()) for k in initial)
    print(f"largest weight change {moved:.3g}")


if __name__ == "__main__":
    main()
