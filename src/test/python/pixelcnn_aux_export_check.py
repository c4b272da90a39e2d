"""Loads a Grayscale or Pyramid PixelCNN that GenIJ trained (FOLDER/exported.pth, weight-normed, GenIJ's keys; with
FOLDER/settings.json giving the variant and its settings) into the oracle's model with strict=True, and writes the
nats per pixel of the image in settings.json (8-bit levels) and the gradient of its bits/dim with respect to every
parameter (dropout off) as check.safetensors. Usage: pixelcnn_aux_export_check.py FOLDER"""
import json
import math
import os
import sys

import torch

from oracle_io import save_safetensors
from pixelcnn_aux_nets import GrayscalePixelCNN, PyramidPixelCNN

folder = sys.argv[1]
with open(os.path.join(folder, "settings.json")) as f:
    s = json.load(f)
if s["variant"] == "grayscale":
    net = GrayscalePixelCNN(s["input_channels"], s["nr_resnet"], s["nr_filters"], s["nr_logistic_mix"],
                            s["conditional_blocks"], s["conditioning_levels"], s["conditioning_blocks"])
else:
    net = PyramidPixelCNN(s["input_channels"], s["pyramid_levels"], s["nr_filters"], s["nr_logistic_mix"],
                          s["conditional_blocks"], s["conditioning_levels"], s["conditioning_blocks"])
net.load_state_dict(torch.load(os.path.join(folder, "exported.pth")), strict=True)
net.eval()
levels = torch.tensor(s["image"], dtype=torch.float32).reshape(1, s["input_channels"], s["height"], s["width"])
nats = net.nats(levels)
bits_per_dim = nats.sum() / (levels.numel() * math.log(2))
bits_per_dim.backward()
out = {"nats": nats.detach()}
for k, p in net.named_parameters():
    out["grad." + k] = p.grad
save_safetensors(os.path.join(folder, "check.safetensors"), out)
