"""Reference images of rosinality's first StyleGAN (stylegan_v1_nets.py) on random weights: a training checkpoint
train_step-4.model ({generator, discriminator, g_optimizer, d_optimizer, g_running}; g_running differs from generator,
and is what is sampled), z from numpy's RandomState(seed).randn(1, D) as GenIJ draws a seed's z, and for noise=random
the maps GenIJ draws: one RandomState(seed) stream, a block's map after another. Writes <case>.safetensors, cases.json, and seed5_noise.npz (seed 5's maps as a noisefile).
Usage: stylegan_v1_oracle.py OUTPUT_FOLDER"""
import os
import sys

import numpy as np
import torch

from oracle_io import save_index, save_safetensors
from stylegan_v1_nets import StyledGenerator

torch.set_num_threads(1)
out_dir = sys.argv[1]
os.makedirs(out_dir, exist_ok=True)
WIDTHS, FUSED, DIM, MLP = [16, 16, 12, 8, 8], [False, False, False, True, True], 24, 3
torch.manual_seed(0)
g = StyledGenerator(WIDTHS, FUSED, DIM, MLP)
with torch.no_grad():  # noise weights and AdaIN styles that matter
    for name, p in g.named_parameters():
        if "noise" in name:
            p.uniform_(-1, 1)
        elif "adain" in name and name.endswith("bias"):
            p.add_(0.3 * torch.randn_like(p))
g.eval()
other = StyledGenerator(WIDTHS, FUSED, DIM, MLP)
torch.save({"generator": other.state_dict(), "discriminator": {}, "g_optimizer": {}, "d_optimizer": {}, "g_running": g.state_dict()},
           os.path.join(out_dir, "train_step-4.model"))


def z_of(seed):
    return torch.from_numpy(np.random.RandomState(seed).randn(1, DIM)).float()


def noise_of(seed, step):
    rnd = np.random.RandomState(seed)
    return [torch.from_numpy(rnd.randn(1, 1, 4 << i, 4 << i)).float() for i in range(step + 1)]


cases = []


def case(name, seed, step, alpha=1.0, noise="none", psi=1.0, mean=None, mix_seed=None, mix_blocks=()):
    with torch.no_grad():
        s = g.map(z_of(seed))
        styles = [s] * (step + 1)
        if mix_seed is not None:
            m = g.map(z_of(mix_seed))
            styles = [m if i in mix_blocks else s for i in range(step + 1)]
        if psi != 1:
            styles = [mean + psi * (x - mean) for x in styles]
        maps = noise_of(seed, step) if noise == "random" else [None] * (step + 1)
        out = g.generator(styles, maps, step, alpha)
    t = {"out": out}
    if mean is not None:
        t["mean"] = mean
    save_safetensors(os.path.join(out_dir, name + ".safetensors"), t)
    cases.append({"name": name, "kind": "stylegan_v1", "settings": {"seed": seed, "resolution": 4 << step, "alpha": alpha, "noise": noise,
                                                                        "psi": psi}})


with torch.no_grad():
    mean = g.map(torch.randn(64, DIM)).mean(0, keepdim=True)
# the noise of seed 5 at 32 px as a noisefile (one [1, 1, s, s] array per block, in block order), and one block short
maps = [m.numpy() for m in noise_of(5, 3)]
np.savez(os.path.join(out_dir, "seed5_noise.npz"), *maps)
np.savez(os.path.join(out_dir, "short_noise.npz"), *maps[:3])
case("seed3_32", 3, 3)
case("seed5_32_random_noise", 5, 3, noise="random")
case("seed7_16_alpha", 7, 2, alpha=0.35, noise="random")
case("seed2_64_truncated", 2, 4, psi=0.6, mean=mean)
case("seed4_mixed", 4, 3, mix_seed=9, mix_blocks=(0, 1))
save_index(os.path.join(out_dir, "cases.json"), cases)
