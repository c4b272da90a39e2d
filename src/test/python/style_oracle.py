"""Reference results for GenIJ's style transfer, computed with Debian's python3-torch by our own
re-implementations of the reference forward passes (Gatys' PytorchNeuralStyleTransfer, naoto0804's
pytorch-AdaIN, pytorch/examples' fast_neural_style). Random-init weights stand in for released ones.
Usage: style_oracle.py OUTPUT_FOLDER"""
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

from oracle_io import save_index, save_safetensors

torch.set_num_threads(1)
out_dir = sys.argv[1]
os.makedirs(out_dir, exist_ok=True)
cases = []

# ---------------------------------------------------------------- Gatys
BLOCKS = [["1_1", "1_2"], ["2_1", "2_2"], ["3_1", "3_2", "3_3", "3_4"], ["4_1", "4_2", "4_3", "4_4"],
          ["5_1", "5_2", "5_3", "5_4"]]
WIDTHS = [16, 32, 64, 128, 128]  # VGG-19 at a quarter width keeps the test fast

torch.manual_seed(10)
vgg = {}
cin = 3
for b, block in enumerate(BLOCKS):
    for name in block:
        conv = nn.Conv2d(cin, WIDTHS[b], 3, padding=1)
        vgg["conv%s.weight" % name] = conv.weight.detach().double()
        vgg["conv%s.bias" % name] = conv.bias.detach().double()
        cin = WIDTHS[b]
save_safetensors(os.path.join(out_dir, "gatys_vgg.safetensors"), vgg)


def vgg_forward(x, layers):
    out, y = {}, x
    for b, block in enumerate(BLOCKS):
        if b > 0:
            y = F.max_pool2d(y, 2, 2)
        for name in block:
            y = F.relu(F.conv2d(y, vgg["conv%s.weight" % name], vgg["conv%s.bias" % name], padding=1))
            key = "r" + name.replace("_", "")
            if key in layers:
                out[key] = y
    return out


def gram(f):
    b, c, h, w = f.shape
    flat = f.view(b, c, h * w)
    return torch.bmm(flat, flat.transpose(1, 2)) / (h * w)


style_layers, content_layer = ["r11", "r21", "r31", "r41", "r51"], "r42"
torch.manual_seed(11)
# smooth random images, centred like Caffe inputs (0..255 minus a mean). In float64: L-BFGS's second
# step divides by the difference of two gradients a tiny step apart, which amplifies float32 rounding
# differences between libtorch builds chaotically; float64 compares the algorithms themselves.
content = F.interpolate(torch.rand(1, 3, 10, 12) * 255 - 120, size=(40, 48), mode="bilinear", align_corners=False).double()
style = F.interpolate(torch.rand(1, 3, 6, 7) * 255 - 120, size=(36, 44), mode="bilinear", align_corners=False).double()
with torch.no_grad():
    style_targets = {l: gram(f) for l, f in vgg_forward(style, style_layers).items()}
    content_target = vgg_forward(content, [content_layer])[content_layer]
weights = {l: 1e3 / vgg_forward(style, [l])[l].shape[1] ** 2 for l in style_layers}

image = content.clone().requires_grad_(True)
optimizer = torch.optim.LBFGS([image])  # Gatys' settings: the defaults, max_iter 20 per step
losses = []
budget = 60


def closure():
    optimizer.zero_grad()
    f = vgg_forward(image, style_layers + [content_layer])
    loss = F.mse_loss(f[content_layer], content_target)
    for l in style_layers:
        loss = loss + weights[l] * F.mse_loss(gram(f[l]), style_targets[l])
    loss.backward()
    losses.append(loss.item())
    return loss


while len(losses) < budget:
    optimizer.param_groups[0]["max_iter"] = min(20, budget - len(losses))
    optimizer.param_groups[0]["max_eval"] = optimizer.param_groups[0]["max_iter"]
    before = len(losses)
    optimizer.step(closure)
    if len(losses) == before:
        break
save_safetensors(os.path.join(out_dir, "gatys.safetensors"),
                 {"content": content, "style": style, "losses": torch.tensor(losses, dtype=torch.float64),
                  "result": image.detach()})
cases.append({"name": "gatys", "evaluations": len(losses)})

# ---------------------------------------------------------------- AdaIN (naoto0804/pytorch-AdaIN, net.py)
def kaiming(seq):
    """Activations that keep their scale through ReLUs, so comparisons are not of vanishing numbers."""
    for m in seq.modules():
        if isinstance(m, nn.Conv2d):
            nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
            nn.init.uniform_(m.bias, -0.1, 0.1)
    return seq


def pad():
    return nn.ReflectionPad2d((1, 1, 1, 1))


torch.manual_seed(20)
encoder_full = kaiming(nn.Sequential(
    nn.Conv2d(3, 3, 1), pad(), nn.Conv2d(3, 64, 3), nn.ReLU(), pad(), nn.Conv2d(64, 64, 3), nn.ReLU(),
    nn.MaxPool2d(2, 2, 0, ceil_mode=True), pad(), nn.Conv2d(64, 128, 3), nn.ReLU(), pad(), nn.Conv2d(128, 128, 3), nn.ReLU(),
    nn.MaxPool2d(2, 2, 0, ceil_mode=True), pad(), nn.Conv2d(128, 256, 3), nn.ReLU(), pad(), nn.Conv2d(256, 256, 3), nn.ReLU(),
    pad(), nn.Conv2d(256, 256, 3), nn.ReLU(), pad(), nn.Conv2d(256, 256, 3), nn.ReLU(),
    nn.MaxPool2d(2, 2, 0, ceil_mode=True), pad(), nn.Conv2d(256, 512, 3), nn.ReLU(),  # relu4_1 is module 30
    pad(), nn.Conv2d(512, 512, 3), nn.ReLU(), pad(), nn.Conv2d(512, 512, 3), nn.ReLU(), pad(), nn.Conv2d(512, 512, 3), nn.ReLU()))
decoder = kaiming(nn.Sequential(
    pad(), nn.Conv2d(512, 256, 3), nn.ReLU(), nn.Upsample(scale_factor=2, mode="nearest"),
    pad(), nn.Conv2d(256, 256, 3), nn.ReLU(), pad(), nn.Conv2d(256, 256, 3), nn.ReLU(), pad(), nn.Conv2d(256, 256, 3), nn.ReLU(),
    pad(), nn.Conv2d(256, 128, 3), nn.ReLU(), nn.Upsample(scale_factor=2, mode="nearest"),
    pad(), nn.Conv2d(128, 128, 3), nn.ReLU(), pad(), nn.Conv2d(128, 64, 3), nn.ReLU(), nn.Upsample(scale_factor=2, mode="nearest"),
    pad(), nn.Conv2d(64, 64, 3), nn.ReLU(), pad(), nn.Conv2d(64, 3, 3)))
# the released files are legacy-format state dicts of these Sequentials
torch.save(encoder_full.state_dict(), os.path.join(out_dir, "vgg_normalised.pth"), _use_new_zipfile_serialization=False)
torch.save(decoder.state_dict(), os.path.join(out_dir, "decoder.pth"), _use_new_zipfile_serialization=False)
encoder = nn.Sequential(*list(encoder_full.children())[:31])


def calc_mean_std(feat, eps=1e-5):
    n, c = feat.size()[:2]
    var = feat.view(n, c, -1).var(dim=2) + eps
    return feat.view(n, c, -1).mean(dim=2).view(n, c, 1, 1), var.sqrt().view(n, c, 1, 1)


def adain(content_feat, style_feat):
    size = content_feat.size()
    sm, ss = calc_mean_std(style_feat)
    cm, cs = calc_mean_std(content_feat)
    return (content_feat - cm.expand(size)) / cs.expand(size) * ss.expand(size) + sm.expand(size)


def feat_flatten_mean_std(feat):
    flat = feat.view(3, -1)
    return flat, flat.mean(dim=-1, keepdim=True), flat.std(dim=-1, keepdim=True)


def mat_sqrt(x):
    u, d, v = torch.svd(x)
    return torch.mm(torch.mm(u, d.pow(0.5).diag()), v.t())


def coral(source, target):
    sf, sm, ss = feat_flatten_mean_std(source)
    sn = (sf - sm.expand_as(sf)) / ss.expand_as(sf)
    s_cov = torch.mm(sn, sn.t()) + torch.eye(3)
    tf, tm, ts = feat_flatten_mean_std(target)
    tn = (tf - tm.expand_as(tf)) / ts.expand_as(tf)
    t_cov = torch.mm(tn, tn.t()) + torch.eye(3)
    out = torch.mm(mat_sqrt(t_cov), torch.mm(torch.inverse(mat_sqrt(s_cov)), sn))
    return (out * ts.expand_as(sn) + tm.expand_as(sn)).view(source.size())


def transfer(content, styles, alpha=1.0, weights=None):
    """test.py's style_transfer; several styles are encoded one by one so that they may differ in size."""
    with torch.no_grad():
        cf = encoder(content)
        feats = [adain(cf, encoder(s)) for s in styles]
        feat = feats[0] if weights is None else sum(w * f for w, f in zip(weights, feats))
        return decoder(feat * alpha + cf * (1 - alpha))


torch.manual_seed(21)
smooth = lambda h, w: F.interpolate(torch.rand(1, 3, h // 4, w // 4), size=(h, w), mode="bilinear", align_corners=False)
content, style1, style2 = smooth(64, 48), smooth(56, 40), smooth(48, 72)
save_safetensors(os.path.join(out_dir, "adain_images.safetensors"), {"content": content, "style1": style1, "style2": style2})
adain_cases = {
    "adain_alpha1": transfer(content, [style1]),
    "adain_alpha05": transfer(content, [style1], alpha=0.5),
    "adain_interpolation": transfer(content, [style1, style2], weights=[0.3, 0.7]),
    "adain_preserve_color": transfer(content, [coral(style1[0], content[0]).unsqueeze(0)]),
}
adain_cases["coral"] = coral(style1[0], content[0]).unsqueeze(0)
for name, out in adain_cases.items():
    save_safetensors(os.path.join(out_dir, name + ".safetensors"), {"y": out})
cases.append({"name": "adain", "outputs": list(adain_cases.keys())})


# ---------------------------------------------------------------- fast neural style (pytorch/examples)
from style_nets import TransformerNet  # noqa: E402

torch.manual_seed(30)
net = TransformerNet()
for m in net.modules():
    if isinstance(m, nn.InstanceNorm2d):  # non-trivial affine parameters
        nn.init.uniform_(m.weight, 0.5, 1.5)
        nn.init.uniform_(m.bias, -0.5, 0.5)
sd = net.state_dict()
# old checkpoints (PyTorch < 0.4) carry running statistics the examples' loader deletes
stale = dict(sd)
for name in ["in1", "in2", "in3", "in4", "in5"]:
    stale[name + ".running_mean"] = torch.zeros(sd[name + ".weight"].shape)
    stale[name + ".running_var"] = torch.ones(sd[name + ".weight"].shape)
torch.save(stale, os.path.join(out_dir, "fast_style.pth"), _use_new_zipfile_serialization=False)
torch.manual_seed(31)
fast_inputs = {"a": smooth(40, 52) * 255, "b": smooth(36, 28) * 255}
with torch.no_grad():
    fast_out = {k: net(v) for k, v in fast_inputs.items()}
save_safetensors(os.path.join(out_dir, "fast_style_io.safetensors"),
                 {"in_a": fast_inputs["a"], "in_b": fast_inputs["b"], "out_a": fast_out["a"], "out_b": fast_out["b"]})

# conditional instance norm: one network, three styles; a blend of their gamma/beta rows
torch.manual_seed(32)
cin_sd = dict(sd)
names = ["in1", "in2", "in3", "in4", "in5"] + ["res%d.in%d" % (r, j) for r in range(1, 6) for j in (1, 2)]
for n in names:
    c = sd[n + ".weight"].shape[0]
    cin_sd[n + ".weight"] = torch.rand(3, c) + 0.5
    cin_sd[n + ".bias"] = torch.rand(3, c) - 0.5
save_safetensors(os.path.join(out_dir, "fast_style_cin.safetensors"), cin_sd)
blend = [0.2, 0.5, 0.3]
blended = {k: v for k, v in cin_sd.items()}
for n in names:
    blended[n + ".weight"] = sum(w * cin_sd[n + ".weight"][i] for i, w in enumerate(blend))
    blended[n + ".bias"] = sum(w * cin_sd[n + ".bias"][i] for i, w in enumerate(blend))
net.load_state_dict(blended)
with torch.no_grad():
    save_safetensors(os.path.join(out_dir, "fast_style_cin_io.safetensors"),
                     {"in": fast_inputs["a"], "out": net(fast_inputs["a"])})
cases.append({"name": "fast", "cin_blend": blend})

save_index(os.path.join(out_dir, "cases.json"), cases)
print("wrote", len(cases), "style cases")
