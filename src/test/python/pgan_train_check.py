"""One iteration of pytorch_GAN_zoo's ProgressiveGAN.optimizeParameters (WGANGP, lambdaGP, epsilonD, minibatch std)
on networks GenIJ made and exported in the zoo's checkpoint layout: loads FOLDER/exported.pth ({'config': dict,
'netG', 'netD', 'avgG'}) with strict=True into the zoo's GNet and DNet (pgan_nets.py), takes GenIJ's random draws
from FOLDER/inputs.safetensors (real, z_d, mix, z_g) and writes FOLDER/check.safetensors in float64 with PyTorch's
double backward: d.value (D's loss incl. the penalty), d.gp, d.grad.<key>; g.value, g.grad.<key>; the avgG image of
z_g; the faded real batch; the zoo's alpha schedule for settings.json's jumps.
Usage: pgan_train_check.py FOLDER"""
import json
import os
import sys

import torch

from oracle_io import load_safetensors, save_safetensors
from pgan_nets import DNet, GNet, alpha_schedule, faded_real

torch.set_num_threads(1)
folder = sys.argv[1]
with open(os.path.join(folder, "settings.json")) as f:
    s = json.load(f)
ckpt = torch.load(os.path.join(folder, "exported.pth"))
config = ckpt["config"]
assert isinstance(config, dict), "config is a plain dict"
depths = list(config["depthOtherScales"])
assert depths == s["depths"], (depths, s["depths"])
assert config["latentVectorDim"] == s["latent"] and config["depthScale0"] == s["depth0"] and config["dimOutput"] == s["channels"]
assert config["lossCriterion"] == "WGANGP" and config["miniBatchStdDev"] is True
leak, alpha = config["leakyReluLeak"], s["alpha"]
g = GNet(s["latent"], s["depth0"], depths, dim_output=s["channels"], leak=leak).double()
g.load_state_dict(ckpt["netG"], strict=True)
d = DNet(s["depth0"], depths, dim_input=s["channels"], leak=leak).double()
d.load_state_dict(ckpt["netD"], strict=True)
avg = GNet(s["latent"], s["depth0"], depths, dim_output=s["channels"], leak=leak).double()
avg.load_state_dict(ckpt["avgG"], strict=True)
inputs = {k: v.double() for k, v in load_safetensors(os.path.join(folder, "inputs.safetensors")).items()}
real, n = inputs["real"], inputs["real"].shape[0]
scales = len(depths)
out = {}

# the discriminator's update, in the zoo's order
pred_real = d(real, alpha)
loss_d = -pred_real[:, 0].sum()
fake = g(inputs["z_d"], scales, alpha).detach()
loss_d = loss_d + d(fake, alpha)[:, 0].sum()
mix = inputs["mix"].reshape(n, 1).expand(n, real[0].numel()).reshape(real.shape)
interpolates = (mix * real + (1 - mix) * fake).requires_grad_(True)
decision = d(interpolates, alpha)[:, 0].sum()
grads = torch.autograd.grad(decision, interpolates, create_graph=True, retain_graph=True)[0].reshape(n, -1)
gp = ((grads.pow(2).sum(1).sqrt() - 1.0) ** 2).sum() * s["lambda_gp"]
gp.backward(retain_graph=True)
loss_d = loss_d + (pred_real[:, 0] ** 2).sum() * s["epsilon_d"]
loss_d.backward()
out["d.value"] = (loss_d + gp).detach().reshape(1)
out["d.gp"] = gp.detach().reshape(1)
for k, p in d.named_parameters():
    out["d.grad." + k] = torch.zeros_like(p) if p.grad is None else p.grad.clone()  # a fromRGB the blend does not use
    p.grad = None

# the generator's update
loss_g = -d(g(inputs["z_g"], scales, alpha), alpha)[:, 0].sum()
loss_g.backward()
out["g.value"] = loss_g.detach().reshape(1)
for k, p in g.named_parameters():
    out["g.grad." + k] = torch.zeros_like(p) if p.grad is None else p.grad.clone()

with torch.no_grad():
    out["avg.image"] = avg(inputs["z_g"], scales, alpha)
    out["faded"] = faded_real(inputs["raw"], alpha)
out["schedule"] = torch.tensor(alpha_schedule(s["jumps"], s["jump_size"], s["schedule_length"]), dtype=torch.float64)
save_safetensors(os.path.join(folder, "check.safetensors"), out)
