"""Reference outputs for GenIJ's SEAN generator (sean_nets.py) on random weights with non-trivial batch-norm
statistics, spectral-norm vectors u, v that are not converged, random blending and noise_var. Writes
<case>_net_G.pth (the state dict), <case>.safetensors and cases.json. Cases: the reference's test path (the style
image and its labels are the image's own: forward(input, rgb_img)); a style image with other labels and another size
(GenIJ's style + stylelabels); codes given per label (SEAN's <label>/ACE.npy); per-pixel noise given.
Usage: sean_oracle.py OUTPUT_FOLDER"""
import os
import sys

import numpy as np
import torch
import torch.nn as nn

from oracle_io import save_index, save_safetensors
from sean_nets import SEANGenerator
from spade_nets import input_semantics

torch.set_num_threads(1)
out_dir = sys.argv[1]
os.makedirs(out_dir, exist_ok=True)
cases = []
LABEL_NC, NGF, STYLE, ZNGF = 5, 2, 8, 4


def blocky_labels(h, w, n, seed, block=8):
    g = torch.Generator().manual_seed(seed)
    coarse = torch.randint(0, n, (1, 1, h // block, w // block), generator=g)
    return coarse.repeat_interleave(block, 2).repeat_interleave(block, 3)


torch.manual_seed(11)
g = SEANGenerator(LABEL_NC, NGF, crop_size=64, style_length=STYLE, zencoder_ngf=ZNGF)
g.train()
with torch.no_grad():
    for _ in range(2):
        sem = input_semantics(blocky_labels(64, 64, LABEL_NC, 1), LABEL_NC, False)
        g(sem, torch.rand(1, 3, 64, 64) * 2 - 1)
    for m in g.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.running_mean.uniform_(-0.5, 0.5)
            m.running_var.uniform_(0.5, 2.0)
    for name, p in g.named_parameters():
        if name.endswith("blending_gamma") or name.endswith("blending_beta") or name.endswith("noise_var"):
            p.uniform_(-1.0, 1.0)
g.eval()
torch.save(g.state_dict(), os.path.join(out_dir, "sean_net_G.pth"))

gen = torch.Generator().manual_seed(5)
labels = blocky_labels(64, 64, LABEL_NC, 2)
labels[labels == 4] = 3  # label 4 absent from the image: its code stays zero
sem = input_semantics(labels, LABEL_NC, False)
style = torch.randint(0, 256, (1, 3, 64, 64), generator=gen).float()
style_labels = blocky_labels(48, 40, LABEL_NC, 3)
style_labels[style_labels == 2] = 1  # label 2 absent from the style: a zero code where the image has it
other_style = torch.randint(0, 256, (1, 3, 48, 40), generator=gen).float()
codes = torch.randn(1, LABEL_NC, STYLE, generator=gen)
noise = [torch.randn(1, 64 // 2 ** k, 64 // 2 ** k, 1, generator=gen) for k in range(6)]  # one map per ACE call, drawn below
with torch.no_grad():
    own = g(sem, (style / 255 - 0.5) / 0.5)
    own_codes = g.Zencoder((style / 255 - 0.5) / 0.5, sem)
    other_codes = g.Zencoder((other_style / 255 - 0.5) / 0.5, input_semantics(style_labels, LABEL_NC, False))
    other = g(sem, codes=other_codes)
    given = g(sem, codes=codes)
    # noise per ACE call in the reference's order, each [1, W, H, 1] at that call's size
    sizes = []
    for block, size in (("head_0", 2), ("G_middle_0", 4), ("G_middle_1", 4), ("up_0", 8), ("up_1", 16), ("up_2", 32), ("up_3", 64)):
        calls = 3 if getattr(g, block).learned_shortcut else 2
        sizes += [size] * calls
    maps = [torch.randn(1, s, s, 1, generator=gen) for s in sizes]
    noisy = g(sem, codes=codes, noise=maps)
t = {"labels": labels.float(), "style": style, "style_labels": style_labels.float(), "other_style": other_style, "out_own": own,
     "codes_own": own_codes[0], "codes_other": other_codes[0], "out_other": other, "codes": codes[0], "out_codes": given,
     "out_noise": noisy}
for i, m in enumerate(maps):
    t["noise%d" % i] = m
save_safetensors(os.path.join(out_dir, "sean.safetensors"), t)
cases.append({"name": "sean", "kind": "sean", "settings": {"label_nc": LABEL_NC, "ngf": NGF, "style_length": STYLE,
              "noise_maps": len(maps)}})
save_index(os.path.join(out_dir, "cases.json"), cases)
