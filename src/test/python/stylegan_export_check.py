"""Loads the rosinality.pt that GenIJ's Train StyleGAN2 wrote (FOLDER/rosinality.pt) into rosinality's Generator
and Discriminator (rosinality_nets.py) with strict=True, widths from FOLDER/settings.json, and writes
FOLDER/check.safetensors: g_ema's images for the z rows in settings.json (its stored noise, truncation 1) and
D's logits for them.
Usage: stylegan_export_check.py FOLDER"""
import json
import os
import sys

import torch

from oracle_io import save_safetensors
from rosinality_nets import Discriminator, Generator

folder = sys.argv[1]
with open(os.path.join(folder, "settings.json")) as f:
    s = json.load(f)
channels = {int(k): int(v) for k, v in s["channels"].items()}
ckpt = torch.load(os.path.join(folder, "rosinality.pt"))
assert set(ckpt) == {"g", "d", "g_ema", "latent_avg"}, sorted(ckpt)
g = Generator(s["size"], s["latent"], s["n_mlp"], channels=channels)
g.load_state_dict(ckpt["g_ema"], strict=True)
Generator(s["size"], s["latent"], s["n_mlp"], channels=channels).load_state_dict(ckpt["g"], strict=True)
d = Discriminator(s["size"], channels=channels)
d.load_state_dict(ckpt["d"], strict=True)
with torch.no_grad():
    z = torch.tensor(s["z"], dtype=torch.float32).reshape(-1, s["latent"])
    img = g(z)
    logits = d(img)
save_safetensors(os.path.join(folder, "check.safetensors"), {"image": img, "logits": logits, "latent_avg": ckpt["latent_avg"]})
