"""Reference images of pytorch_GAN_zoo's PGAN generator (pgan_nets.py) on random weights, saved as its ProgressiveGAN
saves itself: {'config': a models.utils.config.BaseConfig instance, 'netG', 'netD', 'avgG'} with avgG (what the zoo samples)
differing from netG, and config.alpha 0.25 (a checkpoint mid-transition). z from numpy's RandomState(seed).randn(1, D),
as GenIJ draws a seed's z. Writes pgan.pth, <case>.safetensors and cases.json.
Usage: pgan_oracle.py OUTPUT_FOLDER"""
import os
import sys
import types

import numpy as np
import torch

from oracle_io import save_index, save_safetensors
from pgan_nets import GNet

torch.set_num_threads(1)
out_dir = sys.argv[1]
os.makedirs(out_dir, exist_ok=True)

# the zoo's config class, at the module path its pickles name
for name in ("models", "models.utils", "models.utils.config"):
    sys.modules.setdefault(name, types.ModuleType(name))


class BaseConfig:
    pass


BaseConfig.__module__ = "models.utils.config"
sys.modules["models.utils.config"].BaseConfig = BaseConfig

DIM, D0, DEPTHS = 16, 16, [16, 12, 8]
torch.manual_seed(0)
g = GNet(DIM, D0, DEPTHS)
with torch.no_grad():
    for p in g.parameters():
        if p.dim() == 1:
            p.uniform_(-0.2, 0.2)
other = GNet(DIM, D0, DEPTHS)
config = BaseConfig()
config.depthScale0, config.depthOtherScales, config.alpha = D0, list(DEPTHS), 0.25
config.leakyReluLeak, config.perChannelNormalization, config.equalizedlR = 0.2, True, True
config.latentVectorDim, config.dimOutput, config.lossCriterion = DIM, 3, "WGANGP"
torch.save({"config": config, "netG": other.state_dict(), "netD": {}, "avgG": g.state_dict()}, os.path.join(out_dir, "pgan.pth"))


def z_of(seed):
    return torch.from_numpy(np.random.RandomState(seed).randn(1, DIM)).float()


cases = []


def case(name, seed, scales, zoo_alpha):
    with torch.no_grad():
        out = g(z_of(seed), scales, zoo_alpha)
    save_safetensors(os.path.join(out_dir, name + ".safetensors"), {"out": out})
    cases.append({"name": name, "kind": "pgan", "settings": {"seed": seed, "resolution": 4 << scales, "alpha": 1 - zoo_alpha}})


case("seed1_default", 1, 3, 0.25)  # the file's own stage: 32 px, alpha 0.25 (GenIJ's 0.75)
case("seed2_grown", 2, 3, 0.0)
case("seed3_16_mid", 3, 2, 0.6)
case("seed4_8", 4, 1, 0.0)
case("seed5_4", 5, 0, 0.0)
save_index(os.path.join(out_dir, "cases.json"), cases)
