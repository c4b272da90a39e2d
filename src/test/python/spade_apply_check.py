"""A SPADE generator trained by GenIJ, as NVlabs/SPADE's test.py would apply it: FOLDER/latest_net_G.pth loaded with
strict=True into the reference's SPADEGenerator (settings in FOLDER/settings.json), in eval mode (running statistics,
the stored spectral vectors), on the label map in FOLDER/labels.safetensors ('labels', [1, 1, H, W] class values).
Writes FOLDER/out.safetensors ('out', [1, 3, H, W]).
Usage: spade_apply_check.py FOLDER"""
import json
import os
import sys

import torch

from oracle_io import load_safetensors, save_safetensors
from spade_nets import SPADEGenerator, input_semantics

folder = sys.argv[1]
with open(os.path.join(folder, "settings.json")) as f:
    s = json.load(f)
labels = load_safetensors(os.path.join(folder, "labels.safetensors"))["labels"]
h, w = labels.shape[2], labels.shape[3]
g = SPADEGenerator(s["classes"], s["ngf"], crop_size=w, aspect_ratio=w / h)
g.load_state_dict(torch.load(os.path.join(folder, "latest_net_G.pth")), strict=True)
g.eval()
with torch.no_grad():
    out = g(input_semantics(labels, s["classes"], False))
save_safetensors(os.path.join(folder, "out.safetensors"), {"out": out})
