"""PyTorch twin of the reference V-JEPA training step, timed on the CPU (the baseline of
`jepa4j bench --only train_step_memory`).

Written from the behaviour of facebookresearch/jepa (app/vjepa/train.py and src/), not copied from it. One step:
    h   = layer_norm(target_encoder(clips))                         no grad, then gathered per mask set
    z_i = encoder(clips, context_i)   (patch embedding + positions of all tokens, then the context gathered)
    p_i = predictor(z_i, context_i, target_i, mask_index=i)          (mask token + positions of all tokens gathered)
    loss = sum_i mean(|p_i - h_i| ** loss_exp) / loss_exp / num_sets  (+ 0 * the variance regulariser, as the
                                                                       reference computes and back-propagates it)
    loss.backward(); clip_grad_norm_(encoder, 10); clip_grad_norm_(predictor, 10)
    AdamW (torch.optim.AdamW, the reference's four parameter groups, lr / wd set per step); zero_grad()
    EMA: for each encoder/target pair, target.mul_(m).add_((1 - m) * encoder)
The reference's logging (gradient / optimizer statistics) is not part of the step and is not timed.

Shapes (defaults, the issue's): ViT-S/16 (width 384, 6 heads, depth 12), predictor depth 12 width 384 12 heads,
fixed 3D sin-cos positions (uniform power), 4 clips x 16 frames x 112 px (8 x 7 x 7 = 392 tokens), tubelet 2,
the two reference mask sets (8 blocks of 0.15, 2 blocks of 0.7, aspect 0.75-1.5), float32.

Usage:
    python3 vjepa_step_twin.py [--batch 4] [--frames 16] [--size 112] [--steps 6] [--warmup 2] [--threads 2]
                               [--masks masks.json] [--phases] [--json] [--serve] [--model 384,12,6,384,12,12]
--masks reads the mask sets of every step from a JSON file ({"steps": [[{"context": [[ids]], "target": [[ids]]},
...], ...]}, cycled), so that jepa4j and the twin train on the same masks; without it the twin draws them with
the reference multiblock 3D generator. --phases times each phase of the step (separate steps, timers between the
phases). --json prints one JSON object on the last line of standard output. --serve builds the model, prints
"ready", then runs one step per line read from standard input ("step", or "phases" for a step with phase timers)
and answers each with one JSON line ({"seconds": ..., "phases": {...}}): jepa4j's benchmark alternates its own
steps with the twin's this way, so both see the same load of a shared machine.
"""
import argparse
import json
import math
import statistics
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

PATCH, TUBELET, CHANS = 16, 2, 3
WIDTH, DEPTH, HEADS = 384, 12, 6
PRED_WIDTH, PRED_DEPTH, PRED_HEADS = 384, 12, 12
MLP_RATIO = 4.0
NUM_MASK_TOKENS = 2
CLIP_GRAD = 10.0
LOSS_EXP = 1.0
MASK_SETS = ({"blocks": 8, "spatial": 0.15, "aspect": (0.75, 1.5)},
             {"blocks": 2, "spatial": 0.7, "aspect": (0.75, 1.5)})


# ------------------------------------------------------------------------------------------------ positions
def sincos_1d(dim, pos):
    omega = 1.0 / 10000 ** (np.arange(dim // 2, dtype=np.float64) / (dim / 2.0))
    out = np.outer(pos.reshape(-1), omega)
    return np.concatenate([np.sin(out), np.cos(out)], axis=1)


def sincos_3d(width, gt, gh, gw):
    """[1, N, width], token id = t*gh*gw + h*gw + w; uniform power: 2*ceil(width/6) channels per axis."""
    d = int(math.ceil(width / 6) * 2)
    t, h, w = np.meshgrid(np.arange(gt, dtype=np.float64), np.arange(gh, dtype=np.float64),
                          np.arange(gw, dtype=np.float64), indexing="ij")
    table = np.concatenate([sincos_1d(d, t), sincos_1d(d, h), sincos_1d(d, w)], axis=1)[:, :width]
    return torch.tensor(table, dtype=torch.float32).unsqueeze(0)


def gather_tokens(x, ids):
    """x [B, N, D], ids [B, K] -> [B, K, D] (the reference repeats the index over D, then gathers)."""
    return torch.gather(x, 1, ids.unsqueeze(-1).repeat(1, 1, x.size(-1)))


# ------------------------------------------------------------------------------------------------ modules
class Attention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x):
        b, n, c = x.shape
        qkv = self.qkv(x).reshape(b, n, 3, self.heads, c // self.heads).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]  # [B, H, N, hd] each
        x = F.scaled_dot_product_attention(q, k, v, dropout_p=0.0)
        return self.proj(x.transpose(1, 2).reshape(b, n, c))


class Mlp(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.fc1 = nn.Linear(dim, hidden)
        self.act = nn.GELU()
        self.fc2 = nn.Linear(hidden, dim)

    def forward(self, x):
        return self.fc2(self.act(self.fc1(x)))


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


def init_weights(module, depth_blocks):
    for m in module.modules():
        if isinstance(m, (nn.Linear, nn.Conv3d)):
            nn.init.trunc_normal_(m.weight, std=0.02)
            if m.bias is not None:
                nn.init.zeros_(m.bias)
        elif isinstance(m, nn.LayerNorm):
            nn.init.ones_(m.weight)
            nn.init.zeros_(m.bias)
    with torch.no_grad():
        for i, blk in enumerate(depth_blocks):
            blk.attn.proj.weight.div_(math.sqrt(2.0 * (i + 1)))
            blk.mlp.fc2.weight.div_(math.sqrt(2.0 * (i + 1)))


class Encoder(nn.Module):
    def __init__(self, grid):
        super().__init__()
        self.patch_embed = nn.Conv3d(CHANS, WIDTH, kernel_size=(TUBELET, PATCH, PATCH),
                                     stride=(TUBELET, PATCH, PATCH))
        self.pos_embed = nn.Parameter(sincos_3d(WIDTH, *grid), requires_grad=False)
        self.blocks = nn.ModuleList([Block(WIDTH, HEADS) for _ in range(DEPTH)])
        self.norm = nn.LayerNorm(WIDTH, eps=1e-6)
        init_weights(self, self.blocks)

    def forward(self, x, ids=None):
        x = self.patch_embed(x).flatten(2).transpose(1, 2)  # [B, N, D]
        x = x + self.pos_embed
        if ids is not None:
            x = gather_tokens(x, ids)  # [B, Nc, D]
        for blk in self.blocks:
            x = blk(x)
        return self.norm(x)


class Predictor(nn.Module):
    def __init__(self, grid):
        super().__init__()
        self.num_patches = grid[0] * grid[1] * grid[2]
        self.predictor_embed = nn.Linear(WIDTH, PRED_WIDTH)
        self.mask_tokens = nn.ParameterList([nn.Parameter(torch.zeros(1, 1, PRED_WIDTH))
                                             for _ in range(NUM_MASK_TOKENS)])
        self.predictor_pos_embed = nn.Parameter(sincos_3d(PRED_WIDTH, *grid), requires_grad=False)
        self.predictor_blocks = nn.ModuleList([Block(PRED_WIDTH, PRED_HEADS) for _ in range(PRED_DEPTH)])
        self.predictor_norm = nn.LayerNorm(PRED_WIDTH, eps=1e-6)
        self.predictor_proj = nn.Linear(PRED_WIDTH, WIDTH)
        init_weights(self, self.predictor_blocks)

    def forward(self, ctx, ctx_ids, tgt_ids, mask_index):
        b, nc = ctx.size(0), ctx.size(1)
        x = self.predictor_embed(ctx)  # [B, Nc, d]
        x += gather_tokens(self.predictor_pos_embed.repeat(b, 1, 1), ctx_ids)
        tok = self.mask_tokens[mask_index % NUM_MASK_TOKENS].repeat(b, self.num_patches, 1)
        tok = gather_tokens(tok, tgt_ids)  # [B, Nt, d]
        tok += gather_tokens(self.predictor_pos_embed.repeat(b, 1, 1), tgt_ids)
        x = torch.cat([x, tok], dim=1)  # [B, Nc + Nt, d]
        for blk in self.predictor_blocks:
            x = blk(x)
        x = self.predictor_norm(x)[:, nc:]
        return self.predictor_proj(x)  # [B, Nt, D]


def reference_adamw(encoder, predictor):
    """torch.optim.AdamW with the reference groups: biases and 1-D parameters without weight decay."""
    def group(mod, decay):
        return [p for n, p in mod.named_parameters()
                if p.requires_grad and (("bias" not in n) and (p.dim() != 1)) == decay]
    return torch.optim.AdamW([
        {"params": group(encoder, True)}, {"params": group(predictor, True)},
        {"params": group(encoder, False), "WD_exclude": True, "weight_decay": 0},
        {"params": group(predictor, False), "WD_exclude": True, "weight_decay": 0},
    ], betas=(0.9, 0.999), eps=1e-8)


# ------------------------------------------------------------------------------------------------ masks
def reference_masks(batch, grid, rng):
    """The reference multiblock 3D masks: per set one block size for the batch, npred blocks per sample,
    target = union of the blocks, context = the rest, both cut to the batch's shortest."""
    gt, gh, gw = grid
    sets = []
    for spec in MASK_SETS:
        keep = int(gh * gw * spec["spatial"])
        ar = spec["aspect"][0] + rng.random() * (spec["aspect"][1] - spec["aspect"][0])
        h = min(gh, int(round(math.sqrt(keep * ar))))
        w = min(gw, int(round(math.sqrt(keep / ar))))
        ctx, tgt = [], []
        for _ in range(batch):
            while True:
                m = np.ones((gt, gh, gw), dtype=np.int32)
                for _ in range(spec["blocks"]):
                    top, left = rng.integers(0, gh - h + 1), rng.integers(0, gw - w + 1)
                    m[:, top:top + h, left:left + w] = 0
                m = m.reshape(-1)
                if m.sum() > 0:
                    break
            ctx.append(np.nonzero(m)[0])
            tgt.append(np.nonzero(m == 0)[0])
        kc, kt = min(len(c) for c in ctx), min(len(t) for t in tgt)
        sets.append((torch.tensor(np.stack([c[:kc] for c in ctx]), dtype=torch.int64),
                     torch.tensor(np.stack([t[:kt] for t in tgt]), dtype=torch.int64)))
    return sets


def masks_from_file(path):
    with open(path) as f:
        steps = json.load(f)["steps"]
    return [[(torch.tensor(s["context"], dtype=torch.int64), torch.tensor(s["target"], dtype=torch.int64))
             for s in step] for step in steps]


# ------------------------------------------------------------------------------------------------ the step
class Step:
    def __init__(self, grid):
        torch.manual_seed(0)
        self.encoder = Encoder(grid)
        self.predictor = Predictor(grid)
        self.target = Encoder(grid)
        self.target.load_state_dict(self.encoder.state_dict())
        for p in self.target.parameters():
            p.requires_grad = False
        self.optimizer = reference_adamw(self.encoder, self.predictor)
        self.n = 0

    def schedules(self):
        self.n += 1
        lr = 1e-4 + 1e-6 * self.n
        wd = 0.04 + 1e-5 * self.n
        for g in self.optimizer.param_groups:
            g["lr"] = lr
            if not g.get("WD_exclude", False):
                g["weight_decay"] = wd
        return 0.998 + 1e-6 * self.n

    def run(self, clips, masks, timer=None):
        tick = timer or (lambda name: None)
        m = self.schedules()
        tick(None)
        with torch.no_grad():
            h = self.target(clips)
            h = F.layer_norm(h, (h.size(-1),))
            h = [gather_tokens(h, t) for _, t in masks]
        tick("target")
        z = [self.encoder(clips, c) for c, _ in masks]
        tick("encoder")
        z = [self.predictor(zi, c, t, i) for i, (zi, (c, t)) in enumerate(zip(z, masks))]
        tick("predictor")
        loss_jepa = 0.0
        for zi, hi in zip(z, h):
            loss_jepa += torch.mean(torch.abs(zi - hi) ** LOSS_EXP) / LOSS_EXP
        loss_jepa /= len(masks)
        pstd_z = sum([torch.sqrt(zi.var(dim=1) + 0.0001) for zi in z]) / len(z)
        loss_reg = torch.mean(F.relu(1.0 - pstd_z))
        loss = loss_jepa + 0.0 * loss_reg
        tick("loss")
        loss.backward()
        tick("backward")
        torch.nn.utils.clip_grad_norm_(self.encoder.parameters(), CLIP_GRAD)
        torch.nn.utils.clip_grad_norm_(self.predictor.parameters(), CLIP_GRAD)
        self.optimizer.step()
        self.optimizer.zero_grad()
        tick("clip_adamw")
        with torch.no_grad():
            for q, k in zip(self.encoder.parameters(), self.target.parameters()):
                k.data.mul_(m).add_((1.0 - m) * q.detach().data)
        tick("ema")
        return float(loss.detach())


PHASES = ("target", "encoder", "predictor", "loss", "backward", "clip_adamw", "ema")


def timed(step, clips, masks, with_phases):
    """Runs one step; returns its wall seconds, its process CPU seconds (all threads) and, with_phases, the wall
    and CPU seconds of each phase."""
    marks, cpu_marks = {}, {}
    t0, c0 = time.perf_counter(), time.process_time()
    last = [t0, c0]

    def timer(name):
        now, cpu = time.perf_counter(), time.process_time()
        if name is not None:
            marks[name] = now - last[0]
            cpu_marks[name] = cpu - last[1]
        last[0], last[1] = now, cpu
    step.run(clips, masks, timer if with_phases else None)
    return time.perf_counter() - t0, time.process_time() - c0, marks, cpu_marks


def serve(step, clips, masks):
    """One step per command line on stdin, one JSON answer per step on stdout."""
    print("ready", flush=True)
    n = 0
    for line in sys.stdin:
        cmd = line.strip()
        if cmd not in ("step", "phases"):
            break
        seconds, cpu, marks, cpu_marks = timed(step, clips, masks[n % len(masks)], cmd == "phases")
        n += 1
        answer = {"seconds": seconds, "cpuSeconds": cpu}
        if marks:
            answer["phases"] = marks
            answer["phasesCpu"] = cpu_marks
        print(json.dumps(answer), flush=True)
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--batch", type=int, default=4)
    ap.add_argument("--frames", type=int, default=16)
    ap.add_argument("--size", type=int, default=112)
    ap.add_argument("--steps", type=int, default=6)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--masks", default=None)
    ap.add_argument("--phases", action="store_true")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--serve", action="store_true")
    ap.add_argument("--model", default="384,12,6,384,12,12",
                    help="width,depth,heads,pred_width,pred_depth,pred_heads (smaller for quick runs)")
    args = ap.parse_args()
    global WIDTH, DEPTH, HEADS, PRED_WIDTH, PRED_DEPTH, PRED_HEADS
    WIDTH, DEPTH, HEADS, PRED_WIDTH, PRED_DEPTH, PRED_HEADS = (int(v) for v in args.model.split(","))
    torch.set_num_threads(args.threads)
    grid = (args.frames // TUBELET, args.size // PATCH, args.size // PATCH)
    step = Step(grid)
    clips = torch.randn(args.batch, CHANS, args.frames, args.size, args.size)
    rng = np.random.default_rng(0)
    total = args.warmup + args.steps
    if args.masks:
        given = masks_from_file(args.masks)
        masks = [given[i % len(given)] for i in range(total)]
    else:
        masks = [reference_masks(args.batch, grid, rng) for _ in range(total)]
    if args.serve:
        return serve(step, clips, masks)
    times, cpus, phases = [], [], {p: [] for p in PHASES}
    for s in range(total):
        elapsed, cpu, marks, _ = timed(step, clips, masks[s], args.phases)
        if s >= args.warmup:
            times.append(elapsed)
            cpus.append(cpu)
            if args.phases:
                for p in PHASES:
                    phases[p].append(marks[p])
    result = {"secondsPerStep": statistics.median(times), "stepSeconds": times,
              "cpuSecondsPerStep": statistics.median(cpus), "threads": args.threads,
              "torch": torch.__version__,
              "shapes": {"batch": args.batch, "frames": args.frames, "size": args.size,
                         "tokens": grid[0] * grid[1] * grid[2],
                         "contextLengths": [int(c.shape[1]) for c, _ in masks[-1]],
                         "targetLengths": [int(t.shape[1]) for _, t in masks[-1]]}}
    if args.phases:
        result["phases"] = {p: statistics.mean(v) for p, v in phases.items()}
    if args.json:
        print(json.dumps(result))
    else:
        print("PyTorch %s twin of the V-JEPA step, %d threads: %.3f s/step (median of %d: %s), CPU %.3f s/step" % (
            torch.__version__, args.threads, result["secondsPerStep"], len(times),
            ", ".join("%.3f" % t for t in times), result["cpuSecondsPerStep"]))
        if args.phases:
            print("  " + ", ".join("%s %.3f" % (p, v) for p, v in result["phases"].items())
                  + " (mean s; sum %.3f)" % sum(result["phases"].values()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
