"""NVIDIA's TensorFlow-era seeds as run_generator.py draws them: rnd = np.random.RandomState(seed); z = rnd.randn(1, zdim);
then each noise variable in layer order, rnd.randn(1, 1, r, r). Settings (seed, zdim, sizes) in FOLDER/settings.json;
writes FOLDER/noise.safetensors (z and map_<i>). Usage: numpy_seeded_noise.py FOLDER"""
import json
import os
import sys

import numpy as np
import torch

from oracle_io import save_safetensors

folder = sys.argv[1]
with open(os.path.join(folder, "settings.json")) as f:
    s = json.load(f)
rnd = np.random.RandomState(s["seed"])
out = {"z": torch.from_numpy(rnd.randn(1, s["zdim"]))}
for i, r in enumerate(s["sizes"]):
    out["map_%d" % i] = torch.from_numpy(rnd.randn(1, 1, r, r))
save_safetensors(os.path.join(folder, "noise.safetensors"), out)
