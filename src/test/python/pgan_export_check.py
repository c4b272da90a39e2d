"""A ProGAN GenIJ grew, as written in pytorch_GAN_zoo's checkpoint layout: loads FOLDER/pgan_zoo.pth ({'config': dict,
'netG', 'netD', 'avgG'}) with strict=True into the zoo's GNet and DNet (pgan_nets.py), built from the config alone as
the zoo's ProgressiveGAN.load does, and writes FOLDER/check.safetensors: avgG's images of settings.json's z at every
grown scale (alpha 0), named image.<scales>, and D's logits on the last ones.
Usage: pgan_export_check.py FOLDER"""
import json
import os
import sys

import torch

from oracle_io import save_safetensors
from pgan_nets import DNet, GNet

torch.set_num_threads(1)
folder = sys.argv[1]
with open(os.path.join(folder, "settings.json")) as f:
    s = json.load(f)
ckpt = torch.load(os.path.join(folder, "pgan_zoo.pth"))
c = ckpt["config"]
assert isinstance(c, dict) and set(ckpt) == {"config", "netG", "netD", "avgG"}, list(ckpt)
depths = list(c["depthOtherScales"])
g = GNet(c["latentVectorDim"], c["depthScale0"], depths, dim_output=c["dimOutput"], leak=c["leakyReluLeak"])
g.load_state_dict(ckpt["netG"], strict=True)
avg = GNet(c["latentVectorDim"], c["depthScale0"], depths, dim_output=c["dimOutput"], leak=c["leakyReluLeak"])
avg.load_state_dict(ckpt["avgG"], strict=True)
d = DNet(c["depthScale0"], depths, dim_input=c["dimOutput"], leak=c["leakyReluLeak"])
d.load_state_dict(ckpt["netD"], strict=True)
z = torch.tensor(s["z"], dtype=torch.float32).reshape(-1, c["latentVectorDim"])
out = {}
with torch.no_grad():
    for scales in range(len(depths) + 1):
        out["image.%d" % scales] = avg(z, scales, 0.0)
    out["logits"] = d(out["image.%d" % len(depths)], c["alpha"])
out["alpha"] = torch.tensor([c["alpha"]], dtype=torch.float64)
save_safetensors(os.path.join(folder, "check.safetensors"), out)
