"""Writes the action-conditioned predictor fixtures read by org.jepa4j.core.world.AcPredictorParityTest.

Run once with PyTorch (written with the PyTorch 2.13 CPU wheel; any PyTorch >= 2.0 with
F.scaled_dot_product_attention works):
    python3 make_ac_fixture.py
The outputs are committed; the Java tests never need Python.

The model is V-JEPA 2-AC's predictor (facebookresearch/vjepa2 src/models/ac_predictor.py with the ACBlock /
ACRoPEAttention / build_action_block_causal_attention_mask of src/models/utils/modules.py), written here from
its behaviour, not copied:
  per step t: [action_encoder(a_t), state_encoder(s_t), (extrinsics_encoder(e_t)), predictor_embed(tokens of t)]
  block-causal boolean mask (a token of step t attends every token of steps <= t), built for T steps
  pre-norm blocks (LayerNorm eps 1e-6, fused qkv with bias, GELU MLP ratio 4 or SwiGLU with use_silu)
  RoPE on q and k: head dim h, three axes (time, row, column) of d = 2*((h//3)//2) channels each in that order,
                   the rest unrotated; omega_i = 1/10000^(i/(d/2)); sin/cos of [.., d/2] TILED (repeated) to d;
                   partner pairwise (x0, x1) -> (-x1, x0); rows scaled by grid_h/H (= 1) and columns by grid_h/W;
                   conditioning tokens rotated on time only (their first d channels by step t, the rest untouched)
  conditioning tokens dropped, then predictor_norm and predictor_proj
Weights are random and scaled up (std 0.25 for weights, visible biases and LayerNorm affines) so every path
matters.

Checked against the reference code itself (facebookresearch/vjepa2 at c2963a4, vit_ac_predictor with these
weights, prefixes stripped, strict load): predictions identical (max difference 0.0) on both fixtures.

Outputs (torch.save, so they load through the Java TorchCheckpoint):
  ac_fixture.pt      {'predictor': state dict with keys prefixed 'module.backbone.', 'encoder': {} (a released
                     checkpoint holds both), 'inputs': {'tokens', 'actions', 'states'}, 'outputs': {'predictions'}}
                     config ac_fixture.json: img_size [16, 12], patch 4 (a 4 x 3 grid), num_frames 8, tubelet 2
                     (4 steps at most; the inputs hold 3), embed 24, predictor width 40 with 2 heads (head dim 20:
                     6/6/6 rotated + 2 unrotated), depth 2, action_embed_dim 5
  ac_fixture_ext.pt  the same layout with keys prefixed 'module.': use_extrinsics (3 conditioning tokens,
                     extrinsics of 4 values) and use_silu (wide SwiGLU), 2 steps of at most 4; config
                     ac_fixture_ext.json
"""
import json
import math
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))


def rotate(x, pos):
    """x [B, heads, N, d] rotated by positions pos [N] (floats), the reference's tiled-frequency convention."""
    d = x.size(-1)
    omega = torch.arange(d // 2, dtype=x.dtype) / (d / 2.0)
    omega = 1.0 / 10000 ** omega  # [d/2]
    angle = pos[:, None].to(x.dtype) * omega[None, :]  # [N, d/2]
    sin = torch.cat([angle.sin(), angle.sin()], dim=-1)  # tiled, not interleaved
    cos = torch.cat([angle.cos(), angle.cos()], dim=-1)
    pairs = x.unflatten(-1, (-1, 2))
    partner = torch.stack((-pairs[..., 1], pairs[..., 0]), dim=-1).flatten(-2)
    return x * cos + partner * sin


class SwiGlu(nn.Module):
    def __init__(self, dim, hidden, wide):
        super().__init__()
        if wide:
            hidden = int(2 * hidden / 3)
            hidden = (hidden + 7) // 8 * 8
        self.fc1 = nn.Linear(dim, hidden)
        self.fc2 = nn.Linear(dim, hidden)
        self.fc3 = nn.Linear(hidden, dim)

    def forward(self, x):
        return self.fc3(F.silu(self.fc1(x)) * self.fc2(x))


class Mlp(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.fc1 = nn.Linear(dim, hidden)
        self.fc2 = nn.Linear(hidden, dim)

    def forward(self, x):
        return self.fc2(F.gelu(self.fc1(x)))


class AcAttention(nn.Module):
    def __init__(self, dim, heads, grid_h, grid_w, use_rope):
        super().__init__()
        self.heads = heads
        self.head_dim = dim // heads
        self.qkv = nn.Linear(dim, 3 * dim, bias=True)
        self.proj = nn.Linear(dim, dim)
        self.grid_h, self.grid_w = grid_h, grid_w
        self.use_rope = use_rope
        self.third = 2 * ((self.head_dim // 3) // 2)

    def rope(self, x, steps, cond):
        """x [B, heads, T*(K+HW), h]: rotate every token by its (time, row, column)."""
        hw = self.grid_h * self.grid_w
        per = cond + hw
        b, h, n, hd = x.shape
        x = x.reshape(b, h, steps, per, hd)
        cond_part, patch_part = x[:, :, :, :cond], x[:, :, :, cond:]
        d = self.third
        # conditioning tokens: time only, on the first d channels
        c = cond_part.reshape(b, h, steps * cond, hd)
        t_cond = torch.arange(steps).repeat_interleave(cond).float()
        c = torch.cat([rotate(c[..., :d], t_cond), c[..., d:]], dim=-1).reshape(b, h, steps, cond, hd)
        # patch tokens: (frame, row * gh/H, column * gh/W) of their id
        ids = torch.arange(steps * hw)
        frame = (ids // hw).float()
        row = ((ids % hw) // self.grid_w).float() * (self.grid_h / self.grid_h)
        col = (ids % self.grid_w).float() * (self.grid_h / self.grid_w)
        p = patch_part.reshape(b, h, steps * hw, hd)
        parts = [rotate(p[..., :d], frame), rotate(p[..., d:2 * d], row), rotate(p[..., 2 * d:3 * d], col)]
        if 3 * d < hd:
            parts.append(p[..., 3 * d:])
        p = torch.cat(parts, dim=-1).reshape(b, h, steps, hw, hd)
        return torch.cat([c, p], dim=3).reshape(b, h, n, hd)

    def forward(self, x, mask, steps, cond):
        b, n, dim = x.shape
        q, k, v = self.qkv(x).view(b, n, 3, self.heads, self.head_dim).permute(2, 0, 3, 1, 4)
        if self.use_rope:
            q, k = self.rope(q, steps, cond), self.rope(k, steps, cond)
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
        return self.proj(out.transpose(1, 2).reshape(b, n, dim))


class AcBlock(nn.Module):
    def __init__(self, dim, heads, mlp_ratio, grid_h, grid_w, use_rope, use_silu, wide_silu):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim, eps=1e-6)
        self.attn = AcAttention(dim, heads, grid_h, grid_w, use_rope)
        self.norm2 = nn.LayerNorm(dim, eps=1e-6)
        hidden = int(dim * mlp_ratio)
        self.mlp = SwiGlu(dim, hidden, wide_silu) if use_silu else Mlp(dim, hidden)

    def forward(self, x, mask, steps, cond):
        x = x + self.attn(self.norm1(x), mask, steps, cond)
        return x + self.mlp(self.norm2(x))


def block_causal_mask(steps, per_step):
    n = steps * per_step
    step_of = torch.arange(n) // per_step
    return step_of[None, :] <= step_of[:, None]  # [N, N], True = may attend


class AcPredictor(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        h, w = cfg["img_size"]
        self.gh, self.gw = h // cfg["patch_size"], w // cfg["patch_size"]
        dim, a = cfg["predictor_embed_dim"], cfg["action_embed_dim"]
        self.predictor_embed = nn.Linear(cfg["embed_dim"], dim)
        self.action_encoder = nn.Linear(a, dim)
        self.state_encoder = nn.Linear(a, dim)
        self.extrinsics_encoder = nn.Linear(a - 1, dim)
        self.predictor_blocks = nn.ModuleList([
            AcBlock(dim, cfg["num_heads"], cfg["mlp_ratio"], self.gh, self.gw, cfg["use_rope"], cfg["use_silu"],
                    cfg["wide_silu"]) for _ in range(cfg["depth"])])
        self.predictor_norm = nn.LayerNorm(dim, eps=1e-6)
        self.predictor_proj = nn.Linear(dim, cfg["embed_dim"])
        self.max_steps = cfg["num_frames"] // cfg["tubelet_size"]

    def forward(self, tokens, actions, states, extrinsics=None):
        cfg = self.cfg
        hw = self.gh * self.gw
        x = self.predictor_embed(tokens)
        b, n, dim = x.shape
        steps = n // hw
        assert steps <= self.max_steps
        cond = [self.action_encoder(actions).unsqueeze(2), self.state_encoder(states).unsqueeze(2)]
        if cfg["use_extrinsics"]:
            cond.append(self.extrinsics_encoder(extrinsics).unsqueeze(2))
        k = len(cond)
        x = torch.cat(cond + [x.view(b, steps, hw, dim)], dim=2).flatten(1, 2)
        mask = None
        if cfg["is_frame_causal"]:
            # built once for the maximum number of steps and cut to this sequence, as the reference does
            mask = block_causal_mask(self.max_steps, k + hw)[: x.size(1), : x.size(1)]
        for blk in self.predictor_blocks:
            x = blk(x, mask, steps, k)
        x = x.reshape(b, steps, k + hw, dim)[:, :, k:].flatten(1, 2)
        return self.predictor_proj(self.predictor_norm(x))


def randomize(model, gen, std=0.25):
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("norm1.weight") or name.endswith("norm2.weight") or name.endswith("norm.weight"):
                p.copy_(1.0 + 0.2 * torch.randn(p.shape, generator=gen))
            elif p.dim() == 1:
                p.copy_(0.1 * torch.randn(p.shape, generator=gen))
            else:
                p.copy_(std * torch.randn(p.shape, generator=gen) / math.sqrt(p.shape[1] / 16.0))


def write(name, cfg, prefix, batch, steps, seed):
    gen = torch.Generator().manual_seed(seed)
    model = AcPredictor(cfg)
    randomize(model, gen)
    hw = model.gh * model.gw
    a = cfg["action_embed_dim"]
    inputs = {
        "tokens": torch.randn(batch, steps * hw, cfg["embed_dim"], generator=gen),
        "actions": torch.randn(batch, steps, a, generator=gen),
        "states": torch.randn(batch, steps, a, generator=gen),
    }
    if cfg["use_extrinsics"]:
        inputs["extrinsics"] = torch.randn(batch, steps, a - 1, generator=gen)
    with torch.no_grad():
        out = model(inputs["tokens"], inputs["actions"], inputs["states"], inputs.get("extrinsics"))
        ref64 = model.double()(*[inputs[k].double() for k in ("tokens", "actions", "states")],
                               inputs["extrinsics"].double() if "extrinsics" in inputs else None)
    model.float()
    print(f"{name}: predictions {tuple(out.shape)}, float32 vs float64 max diff "
          f"{(out.double() - ref64).abs().max().item():.2e}, max |value| {out.abs().max().item():.2f}")
    sd = {prefix + k: v.clone() for k, v in model.state_dict().items()}
    torch.save({"predictor": sd, "encoder": {}, "epoch": 0, "inputs": inputs,
                "outputs": {"predictions": out}}, os.path.join(HERE, name + ".pt"))
    with open(os.path.join(HERE, name + ".json"), "w") as f:
        json.dump(cfg, f, indent=1)


BASE = {
    "img_size": [16, 12], "patch_size": 4, "num_frames": 8, "tubelet_size": 2, "embed_dim": 24,
    "predictor_embed_dim": 40, "depth": 2, "num_heads": 2, "mlp_ratio": 4.0, "action_embed_dim": 5,
    "use_rope": True, "is_frame_causal": True, "use_extrinsics": False, "use_silu": False, "wide_silu": True,
}

if __name__ == "__main__":
    torch.manual_seed(0)
    write("ac_fixture", BASE, "module.backbone.", batch=2, steps=3, seed=11)
    write("ac_fixture_ext", dict(BASE, use_extrinsics=True, use_silu=True), "module.", batch=2, steps=2, seed=12)
