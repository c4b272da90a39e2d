"""Loads a PixelCNN++ that GenIJ trained and exported (FOLDER/exported.pth, with FOLDER/settings.json giving
nr_resnet, nr_filters, nr_logistic_mix, input_channels) into the reference's layout with strict=True, and writes the
negative log-likelihood per pixel of the image in settings.json (8-bit levels) and the gradient of its bits/dim with
respect to every parameter (weight_g, weight_v, bias; dropout off) as check.safetensors.
Usage: pixelcnn_export_check.py FOLDER"""
import json
import math
import os
import sys

import torch

from oracle_io import save_safetensors
from pixelcnn_nets import PixelCNN, nll_per_pixel

folder = sys.argv[1]
with open(os.path.join(folder, "settings.json")) as f:
    s = json.load(f)
net = PixelCNN(nr_resnet=s["nr_resnet"], nr_filters=s["nr_filters"], nr_logistic_mix=s["nr_logistic_mix"],
               input_channels=s["input_channels"])
state = torch.load(os.path.join(folder, "exported.pth"))
net.load_state_dict(state, strict=True)  # every key of the reference's model, no more
net.eval()
levels = torch.tensor(s["image"], dtype=torch.float32).reshape(1, s["input_channels"], s["height"], s["width"])
x = levels / 127.5 - 1.
nll = nll_per_pixel(x, net(x))
bits_per_dim = nll.sum() / (x.numel() * math.log(2))
bits_per_dim.backward()
out = {"nll": nll.detach()}
for k, p in net.named_parameters():
    out["grad." + k] = p.grad
save_safetensors(os.path.join(folder, "check.safetensors"), out)
