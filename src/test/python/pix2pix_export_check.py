"""Loads networks that GenIJ trained and exported as latest_net_G.pth / latest_net_D.pth into the reference
modules (strict load_state_dict, as the reference's test.py does) and runs them in eval mode on the input
GenIJ saved, so that the Java side can compare. Also lists the parameter shapes of fresh reference modules.
Usage: pix2pix_export_check.py FOLDER  (FOLDER holds settings.json, G.pth, D.pth, input.safetensors)"""
import json
import os
import struct
import sys

import torch

from oracle_io import save_safetensors
from reference_nets import NLayerDiscriminator, UnetGenerator

torch.set_num_threads(1)
folder = sys.argv[1]
with open(os.path.join(folder, "settings.json")) as f:
    s = json.load(f)


def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, h in header.items():
        if name == "__metadata__":
            continue
        a, b = h["data_offsets"]
        out[name] = torch.frombuffer(bytearray(data[a:b]), dtype=torch.float32).reshape(h["shape"])
    return out


g = UnetGenerator(s["in"], s["out"], s["downs"], s["ngf"], "batch", use_dropout=True)
d = NLayerDiscriminator(s["in"] + s["out"], s["ndf"], 3, "batch")
shapes = {"G." + k: list(v.shape) for k, v in g.state_dict().items()}
shapes.update({"D." + k: list(v.shape) for k, v in d.state_dict().items()})
with open(os.path.join(folder, "reference_shapes.json"), "w") as f:
    json.dump(shapes, f)

g.load_state_dict(torch.load(os.path.join(folder, "G.pth")), strict=True)
d.load_state_dict(torch.load(os.path.join(folder, "D.pth")), strict=True)
g.eval()
d.eval()
x = read_safetensors(os.path.join(folder, "input.safetensors"))
with torch.no_grad():
    fake = g(x["a"])
    score = d(torch.cat([x["a"], fake], 1))
save_safetensors(os.path.join(folder, "reference_out.safetensors"), {"fake": fake, "score": score})
print("ok", fake.shape, score.shape)
