"""Reference outputs for GenIJ's OASIS generator (oasis_nets.py) on random weights: z broadcast from a
seed (numpy's RandomState, as GenIJ draws it), and a spatial z map with another seed's z in one label's
region (OASIS's region resampling). Writes <case>_EMA.pth, <case>.safetensors, cases.json.
Usage: oasis_oracle.py OUTPUT_FOLDER"""
import os
import sys

import numpy as np
import torch
import torch.nn as nn

from oasis_nets import OASIS_Generator
from oracle_io import save_index, save_safetensors
from spade_nets import input_semantics

torch.set_num_threads(1)
out_dir = sys.argv[1]
os.makedirs(out_dir, exist_ok=True)
torch.manual_seed(3)
label_nc, ch, z_dim, h, w = 6, 2, 8, 64, 96
g = OASIS_Generator(label_nc, ch, z_dim=z_dim)
g.train()
with torch.no_grad():
    for _ in range(2):  # move u and v off their initial values, as training does
        g(torch.rand(1, label_nc, h, w), torch.randn(1, z_dim))
    for m in g.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.running_mean.uniform_(-0.5, 0.5)
            m.running_var.uniform_(0.5, 2.0)
g.eval()
torch.save(g.state_dict(), os.path.join(out_dir, "oasis_EMA.pth"))
gen = torch.Generator().manual_seed(4)
labels = torch.randint(0, label_nc, (1, 1, h // 8, w // 8), generator=gen).repeat_interleave(8, 2).repeat_interleave(8, 3)
sem = input_semantics(labels, label_nc, False)
z1 = torch.from_numpy(np.random.RandomState(11).randn(1, z_dim)).float()
z2 = torch.from_numpy(np.random.RandomState(12).randn(1, z_dim)).float()
zmap = z1.view(1, z_dim, 1, 1).expand(1, z_dim, h, w).clone()
region = (labels == 2).expand(1, z_dim, h, w)
zmap[region] = z2.view(1, z_dim, 1, 1).expand(1, z_dim, h, w)[region]
with torch.no_grad():
    out = g(sem, z1)
    out_regions = g(sem, zmap)
save_safetensors(os.path.join(out_dir, "oasis.safetensors"), {"labels": labels.float(), "out": out, "out_regions": out_regions})
save_index(os.path.join(out_dir, "cases.json"), [{"name": "oasis", "kind": "oasis", "settings": {
    "label_nc": label_nc, "ch": ch, "z_dim": z_dim, "seed": 11, "region_label": 2, "region_seed": 12,
    "parameter_count": sum(p.numel() for p in g.parameters())}}])
