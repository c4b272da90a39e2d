"""Reference outputs for GenIJ's MUNIT and UNIT generators (munit_nets.py) on random weights: MUNIT a->b with the
style of a B image (encoded by gen_b's style encoder) and with a given style code, b->a; UNIT a->b. Checkpoints are
written as the references save them ({'a': gen_a.state_dict(), 'b': gen_b.state_dict()}); the UNIT one also carries
the running statistics PyTorch 0.3 saved for every instance norm (unused). The input is 50x38: the outputs are the
reference's 48x36 (4 * floor(side / 4)).
Usage: munit_oracle.py OUTPUT_FOLDER"""
import os
import sys

import torch

from oracle_io import save_safetensors
from munit_nets import AdaINGen, VAEGen

torch.set_num_threads(1)
out_dir = sys.argv[1]
os.makedirs(out_dir, exist_ok=True)


def randomise(g, seed):
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in g.named_parameters():
            if name.endswith("bias") or name.endswith("beta"):
                p.add_(torch.randn(p.shape, generator=gen) * 0.1)


torch.manual_seed(21)
gens = {k: AdaINGen(3, 4, 3, 2, 2, 8).eval() for k in "ab"}
for i, g in enumerate(gens.values()):
    randomise(g, 30 + i)
torch.save({k: g.state_dict() for k, g in gens.items()}, os.path.join(out_dir, "munit_gen.pt"))
gen = torch.Generator().manual_seed(7)
# 8-bit images as the references read them: (v / 255 - 0.5) / 0.5
image = (torch.randint(0, 256, (1, 3, 50, 38), generator=gen).float() / 255 - 0.5) / 0.5
style_image = (torch.randint(0, 256, (1, 3, 40, 40), generator=gen).float() / 255 - 0.5) / 0.5
code = torch.randn(1, 3, 1, 1, generator=gen)
with torch.no_grad():
    content, _ = gens["a"].encode(image)
    _, style = gens["b"].encode(style_image)
    t = {"image": image, "style_image": style_image, "code": code, "style_b": style,
         "ab_style": gens["b"].decode(content, style), "ab_code": gens["b"].decode(content, code)}
    content_b, _ = gens["b"].encode(image)
    _, style_a = gens["a"].encode(style_image)
    t["ba_style"] = gens["a"].decode(content_b, style_a)

torch.manual_seed(22)
units = {k: VAEGen(3, 4, 2, 2).eval() for k in "ab"}
for i, g in enumerate(units.values()):
    randomise(g, 40 + i)
saved = {}
for k, g in units.items():
    sd = g.state_dict()
    for name, m in g.named_modules():
        if isinstance(m, torch.nn.InstanceNorm2d):  # what PyTorch 0.3 saved for every instance norm
            sd[name + ".running_mean"] = torch.zeros(m.num_features)
            sd[name + ".running_var"] = torch.ones(m.num_features)
    saved[k] = sd
torch.save(saved, os.path.join(out_dir, "unit_gen.pt"))
with torch.no_grad():
    t["unit_ab"] = units["b"].decode(units["a"].encode(image))
    t["unit_ba"] = units["a"].decode(units["b"].encode(image))
save_safetensors(os.path.join(out_dir, "munit.safetensors"), t)
