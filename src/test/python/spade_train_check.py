"""One SPADE training iteration as NVlabs/SPADE's train.py runs it (pix2pix_model.py's compute_generator_loss and
compute_discriminator_loss, loss.py's hinge GANLoss, feature matching with L1), on the networks GenIJ made and
exported in the reference's layout (FOLDER/G.pth, D.pth, loaded with strict=True), in float64, on the batch in
FOLDER/inputs.safetensors (one-hot labels 'seg' and images 'real'); settings in FOLDER/settings.json.
Writes FOLDER/check.safetensors: the four losses, G's gradients after the generator's backward pass, D's after the
discriminator's, and both networks' buffers after the iteration (spectral vectors, running statistics).
Usage: spade_train_check.py FOLDER"""
import json
import os
import sys

import torch
import torch.nn.functional as F

from oracle_io import load_safetensors, save_safetensors
from spade_nets import MultiscaleDiscriminator, SPADEGenerator

folder = sys.argv[1]
with open(os.path.join(folder, "settings.json")) as f:
    s = json.load(f)
G = SPADEGenerator(s["classes"], s["ngf"], s["crop_size"])
D = MultiscaleDiscriminator(s["classes"] + 3, s["ndf"], s["layers_d"], s["num_d"])
G.load_state_dict(torch.load(os.path.join(folder, "G.pth")), strict=True)
D.load_state_dict(torch.load(os.path.join(folder, "D.pth")), strict=True)
G.double().train()
D.double().train()
t = load_safetensors(os.path.join(folder, "inputs.safetensors"))
seg, real = t["seg"].double(), t["real"].double()
lam = s["lambda_feat"]


def discriminate(fake):
    both = torch.cat([torch.cat([seg, fake], 1), torch.cat([seg, real], 1)], 0)
    n = seg.size(0)
    out = D(both)
    return [[x[:n] for x in scale] for scale in out], [[x[n:] for x in scale] for scale in out]


# the generator's step
fake = G(seg)
pred_fake, pred_real = discriminate(fake)
num_d = len(pred_fake)
g_gan = sum(-torch.mean(p[-1]) for p in pred_fake) / num_d
g_feat = torch.zeros(())
for i in range(num_d):
    for j in range(len(pred_fake[i]) - 1):
        g_feat = g_feat + F.l1_loss(pred_fake[i][j], pred_real[i][j].detach()) * lam / num_d
total = g_gan + g_feat
out = {"g_gan": g_gan.detach().reshape(1), "g_feat": g_feat.detach().reshape(1)}
vgg_file = os.path.join(folder, "vgg.pth")
if os.path.exists(vgg_file):
    # loss.py's VGGLoss: VGG-19's relu1_1 .. relu5_1 of fake and (detached) real, L1, weights 1/32 .. 1, times lambda_vgg;
    # the images enter as they are (-1..1 RGB). The VGG here is the weights given, in Gatys' naming.
    vgg = {k: v.double() for k, v in torch.load(vgg_file).items()}
    blocks = [["1_1", "1_2"], ["2_1", "2_2"], ["3_1", "3_2", "3_3", "3_4"], ["4_1", "4_2", "4_3", "4_4"], ["5_1", "5_2", "5_3", "5_4"]]

    # relu_k_1 only is asked for, but each block runs all its convolutions before pooling
    def vgg_features_full(x):
        feats = []
        for b, block in enumerate(blocks):
            if b > 0:
                x = F.max_pool2d(x, 2, 2)
            for name in block:
                x = F.relu(F.conv2d(x, vgg["conv%s.weight" % name], vgg["conv%s.bias" % name], padding=1))
                if name.endswith("_1"):
                    feats.append(x)
            if len(feats) == 5:
                break
        return feats
    fx, fy = vgg_features_full(fake), vgg_features_full(real)
    weights = [1.0 / 32, 1.0 / 16, 1.0 / 8, 1.0 / 4, 1.0]
    g_vgg = sum(w * F.l1_loss(a, b.detach()) for w, a, b in zip(weights, fx, fy)) * s["lambda_vgg"]
    total = total + g_vgg
    out["g_vgg"] = g_vgg.detach().reshape(1)
total.backward()
for k, p in G.named_parameters():
    out["gradG." + k] = p.grad.clone()

# the discriminator's step, on a fake made anew without gradients (G still in training mode)
D.zero_grad()
with torch.no_grad():
    fresh = G(seg).detach()
pred_fake, pred_real = discriminate(fresh)
zero = torch.zeros(())
d_fake = sum(-torch.mean(torch.min(-p[-1] - 1, zero)) for p in pred_fake) / num_d
d_real = sum(-torch.mean(torch.min(p[-1] - 1, zero)) for p in pred_real) / num_d
(d_fake + d_real).backward()
out["d_fake"] = d_fake.detach().reshape(1)
out["d_real"] = d_real.detach().reshape(1)
for k, p in D.named_parameters():
    out["gradD." + k] = p.grad.clone()
for prefix, net in (("G.", G), ("D.", D)):
    for k, b in net.state_dict().items():
        if not k.endswith("num_batches_tracked") and k not in dict(net.named_parameters()):
            out[prefix + k] = b.clone()
save_safetensors(os.path.join(folder, "check.safetensors"), {k: v.double() for k, v in out.items()})
