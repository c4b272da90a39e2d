"""One CycleGAN step's losses and gradients as the reference computes them (junyanz/pytorch-CycleGAN-and-pix2pix,
cycle_gan_model.py: forward, backward_G with the discriminators frozen, backward_D_A and backward_D_B on the fakes of
that forward pass, LSGAN), on the networks GenIJ made and exported (FOLDER/G_A.pth, G_B.pth, D_A.pth, D_B.pth in the
reference's layout, loaded with strict=True into reference_nets.py's modules) and the images in FOLDER/inputs.safetensors;
settings in FOLDER/settings.json. Writes FOLDER/check.safetensors: the loss values and every parameter's gradient.
Usage: cyclegan_check.py FOLDER"""
import json
import os
import sys

import torch

from oracle_io import load_safetensors, save_safetensors
from reference_nets import NLayerDiscriminator, ResnetGenerator

folder = sys.argv[1]
with open(os.path.join(folder, "settings.json")) as f:
    s = json.load(f)
ca, cb, ngf, ndf, blocks = s["channels_a"], s["channels_b"], s["ngf"], s["ndf"], s["blocks"]
nets = {"G_A": ResnetGenerator(ca, cb, ngf, "instance", False, blocks), "G_B": ResnetGenerator(cb, ca, ngf, "instance", False, blocks),
        "D_A": NLayerDiscriminator(cb, ndf, 3, "instance"), "D_B": NLayerDiscriminator(ca, ndf, 3, "instance")}
for name, net in nets.items():
    net.load_state_dict(torch.load(os.path.join(folder, name + ".pth")), strict=True)
    net.train()
t = load_safetensors(os.path.join(folder, "inputs.safetensors"))
real_A, real_B = t["real_A"], t["real_B"]
lam, idt = s["lambda_cycle"], s["lambda_identity"]
mse, l1 = torch.nn.MSELoss(), torch.nn.L1Loss()
G_A, G_B, D_A, D_B = nets["G_A"], nets["G_B"], nets["D_A"], nets["D_B"]

# forward
fake_B = G_A(real_A)
rec_A = G_B(fake_B)
fake_A = G_B(real_B)
rec_B = G_A(fake_A)
# backward_G, the discriminators frozen
for d in (D_A, D_B):
    d.requires_grad_(False)
loss_idt_A = l1(G_A(real_B), real_B) * lam * idt
loss_idt_B = l1(G_B(real_A), real_A) * lam * idt
pa, pb = D_A(fake_B), D_B(fake_A)
loss_G_A = mse(pa, torch.ones_like(pa))
loss_G_B = mse(pb, torch.ones_like(pb))
loss_cycle_A = l1(rec_A, real_A) * lam
loss_cycle_B = l1(rec_B, real_B) * lam
loss_G = loss_G_A + loss_G_B + loss_cycle_A + loss_cycle_B + loss_idt_A + loss_idt_B
loss_G.backward()
out = {"g_total": loss_G.detach().reshape(1), "g_a": loss_G_A.detach().reshape(1), "cycle_a": loss_cycle_A.detach().reshape(1),
       "idt_a": loss_idt_A.detach().reshape(1)}
for name in ("G_A", "G_B"):
    for k, p in nets[name].named_parameters():
        out["grad." + name + "." + k] = p.grad.clone()
# backward_D_A and backward_D_B on this forward pass's fakes (the pool returns them while it fills)
for d in (D_A, D_B):
    d.requires_grad_(True)


def backward_d(d, real, fake):
    pr, pf = d(real), d(fake.detach())
    loss = (mse(pr, torch.ones_like(pr)) + mse(pf, torch.zeros_like(pf))) * 0.5
    loss.backward()
    return loss


out["d_a"] = backward_d(D_A, real_B, fake_B).detach().reshape(1)
out["d_b"] = backward_d(D_B, real_A, fake_A).detach().reshape(1)
for name in ("D_A", "D_B"):
    for k, p in nets[name].named_parameters():
        out["grad." + name + "." + k] = p.grad.clone()
save_safetensors(os.path.join(folder, "check.safetensors"), out)
