"""rosinality's train.py losses on a StyleGAN2 that GenIJ made and exported in rosinality's layout: loads
FOLDER/exported.pt (g, d, g_ema, latent_avg) with strict=True into rosinality's Generator and Discriminator
(rosinality_nets.py, widths from FOLDER/settings.json), takes every random draw GenIJ used from FOLDER/inputs.safetensors,
and writes FOLDER/check.safetensors: for each phase (d: the logistic loss, r1: weight * R1, g: the non-saturating loss,
pl: weight * path penalty) its value and the gradient of every parameter, in float64 with PyTorch's double backward.
Generator gradients are given in NVIDIA's keys and parametrisation (GenIJ's): a modulated convolution's weight is
rosinality's divided by sqrt(fan_in), so its gradient is rosinality's times sqrt(fan_in).
Usage: stylegan_train_check.py FOLDER"""
import json
import math
import os
import sys

import torch

from oracle_io import load_safetensors, save_safetensors
from rosinality_nets import (Discriminator, Generator, d_logistic_loss, d_r1_loss, g_nonsaturating_loss,
                             g_path_regularize, mixed_latents, synthesis)

folder = sys.argv[1]
with open(os.path.join(folder, "settings.json")) as f:
    s = json.load(f)
channels = {int(k): int(v) for k, v in s["channels"].items()}
ckpt = torch.load(os.path.join(folder, "exported.pt"))
g = Generator(s["size"], s["latent"], s["n_mlp"], channels=channels).double()
g.load_state_dict(ckpt["g"], strict=True)
d = Discriminator(s["size"], channels=channels).double()
d.load_state_dict(ckpt["d"], strict=True)
ema = Generator(s["size"], s["latent"], s["n_mlp"], channels=channels)
ema.load_state_dict(ckpt["g_ema"], strict=True)
inputs = {k: v.double() for k, v in load_safetensors(os.path.join(folder, "inputs.safetensors")).items()}


def latents(prefix):
    z2 = inputs.get(prefix + ".z2")
    return mixed_latents(g, inputs[prefix + ".z1"], z2, int(inputs[prefix + ".cutoff"].item()))


def noise(prefix):
    return [inputs["%s.noise.%d" % (prefix, i)] for i in range(g.num_layers)]


def nvidia_grads(out, phase):
    """g's gradients under NVIDIA's keys (the inverse of GenIJ's RosinalityLayout)."""
    named = dict(g.named_parameters())

    def grad(k):
        p = named[k]
        return torch.zeros_like(p) if p.grad is None else p.grad

    def conv(src, dst):
        w = named[src + "conv.weight"]
        fan = w.shape[2] * w.shape[3] * w.shape[4]
        out[phase + ".grad." + dst + "weight"] = grad(src + "conv.weight")[0] * math.sqrt(fan)
        out[phase + ".grad." + dst + "affine.weight"] = grad(src + "conv.modulation.weight")
        out[phase + ".grad." + dst + "affine.bias"] = grad(src + "conv.modulation.bias")
        out[phase + ".grad." + dst + "noise_strength"] = grad(src + "noise.weight").reshape([])
        out[phase + ".grad." + dst + "bias"] = grad(src + "activate.bias")

    def rgb(src, dst):
        out[phase + ".grad." + dst + "weight"] = grad(src + "conv.weight")[0]
        out[phase + ".grad." + dst + "affine.weight"] = grad(src + "conv.modulation.weight")
        out[phase + ".grad." + dst + "affine.bias"] = grad(src + "conv.modulation.bias")
        out[phase + ".grad." + dst + "bias"] = grad(src + "bias").reshape(-1)

    for k in range(s["n_mlp"]):
        out[phase + ".grad.mapping.fc%d.weight" % k] = grad("style.%d.weight" % (k + 1))
        out[phase + ".grad.mapping.fc%d.bias" % k] = grad("style.%d.bias" % (k + 1))
    out[phase + ".grad.synthesis.b4.const"] = grad("input.input")[0]
    conv("conv1.", "synthesis.b4.conv1.")
    rgb("to_rgb1.", "synthesis.b4.torgb.")
    res, j = 8, 0
    while res <= s["size"]:
        conv("convs.%d." % (2 * j), "synthesis.b%d.conv0." % res)
        conv("convs.%d." % (2 * j + 1), "synthesis.b%d.conv1." % res)
        rgb("to_rgbs.%d." % j, "synthesis.b%d.torgb." % res)
        res, j = res * 2, j + 1


def d_grads(out, phase):
    for k, p in d.named_parameters():
        out[phase + ".grad." + k] = torch.zeros_like(p) if p.grad is None else p.grad


def zero():
    for p in list(g.parameters()) + list(d.parameters()):
        p.grad = None


out = {}
real = inputs["real"]
# the discriminator's step (the generator is not trained there)
with torch.no_grad():
    fake = synthesis(g, latents("d"), noise("d"))
loss = d_logistic_loss(d(real), d(fake))
loss.backward()
out["d.value"] = loss.detach().reshape(1)
d_grads(out, "d")
zero()
# R1, weighted as the trainer weights it
x = real.clone().requires_grad_(True)
r1 = d_r1_loss(d(x), x)
(s["r1_weight"] * r1).backward()
out["r1.value"] = r1.detach().reshape(1)
d_grads(out, "r1")
zero()
# the generator's step
loss = g_nonsaturating_loss(d(synthesis(g, latents("g"), noise("g"))))
loss.backward()
out["g.value"] = loss.detach().reshape(1)
nvidia_grads(out, "g")
zero()
# path-length regularisation
lat = latents("pl")
img = synthesis(g, lat, noise("pl"))
penalty, mean, lengths = g_path_regularize(img, lat, inputs["pl.mean"].reshape([]), inputs["pl.y"], decay=s["decay"])
(s["pl_weight"] * penalty).backward()
out["pl.value"] = penalty.detach().reshape(1)
out["pl.mean"] = mean.reshape(1)
out["pl.lengths"] = lengths.detach()
nvidia_grads(out, "pl")
zero()
# the averaged generator gives GenIJ's image for a z (float32, constant noise)
with torch.no_grad():
    out["ema.image"] = ema(inputs["ema.z"].float())
save_safetensors(os.path.join(folder, "check.safetensors"), out)
