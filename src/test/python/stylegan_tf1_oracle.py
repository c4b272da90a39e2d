"""Reference images of NVIDIA's first StyleGAN as its TensorFlow code computes them (training/networks_stylegan.py:
G_mapping, G_synthesis with const input, per-layer noise variables, bias, lrelu, instance norm, style modulation,
nearest or fused up-sampling with the [1, 2, 1] blur, ToRGB_lod<k>), written here in numpy-like torch on TensorFlow's
variable layouts (HWIO kernels, [in, out] dense weights), on small random variables; saved as NVIDIA's pickles are, the
tuple (G, D, Gs) of dnnlib.tflib.network.Network states (version 3) with Gs's mapping and synthesis as components.
z from numpy's RandomState(seed).randn(1, D), as GenIJ draws a seed's z. Writes karras_small.pkl, <case>.safetensors,
cases.json. Usage: stylegan_tf1_oracle.py OUTPUT_FOLDER"""
import math
import os
import pickle
import sys

import numpy as np
import torch
import torch.nn.functional as F

import nvidia_snapshot
from oracle_io import save_index, save_safetensors

torch.set_num_threads(1)
out_dir = sys.argv[1]
os.makedirs(out_dir, exist_ok=True)
rnd = np.random.RandomState(7)
Z, W, FMAPS, MAP_LAYERS, LRMUL = 16, 16, 16, 3, 0.01
WIDTHS = [16, 16, 12, 8, 8, 8]  # 4 .. 128 px: the 128-px block is fused
RES = 4 << (len(WIDTHS) - 1)

mapping, synthesis = {}, {}
for i in range(MAP_LAYERS):
    fin, fout = (Z if i == 0 else FMAPS), (W if i == MAP_LAYERS - 1 else FMAPS)
    mapping["Dense%d/weight" % i] = rnd.randn(fin, fout).astype(np.float32) / LRMUL
    mapping["Dense%d/bias" % i] = (rnd.randn(fout) * 0.1 / LRMUL).astype(np.float32)


def layer_vars(scope, cin, cout, const=False):
    if const:
        synthesis[scope + "/const"] = rnd.randn(1, cout, 4, 4).astype(np.float32)
    else:
        synthesis[scope + "/weight"] = rnd.randn(3, 3, cin, cout).astype(np.float32)
    synthesis[scope + "/Noise/weight"] = (rnd.randn(cout) * 0.5).astype(np.float32)
    synthesis[scope + "/bias"] = (rnd.randn(cout) * 0.1).astype(np.float32)
    synthesis[scope + "/StyleMod/weight"] = rnd.randn(W, 2 * cout).astype(np.float32)
    synthesis[scope + "/StyleMod/bias"] = (rnd.randn(2 * cout) * 0.1).astype(np.float32)


for i in range(2 * len(WIDTHS)):
    r = 4 << (i // 2)
    synthesis["noise%d" % i] = rnd.randn(1, 1, r, r).astype(np.float32)
for k, c in enumerate(WIDTHS):
    r = 4 << k
    if k == 0:
        layer_vars("4x4/Const", 0, c, const=True)
        layer_vars("4x4/Conv", c, c)
    else:
        layer_vars("%dx%d/Conv0_up" % (r, r), WIDTHS[k - 1], c)
        layer_vars("%dx%d/Conv1" % (r, r), c, c)
for k, c in enumerate(WIDTHS):
    lod = len(WIDTHS) - 1 - k
    synthesis["ToRGB_lod%d/weight" % lod] = rnd.randn(1, 1, c, 3).astype(np.float32)
    synthesis["ToRGB_lod%d/bias" % lod] = (rnd.randn(3) * 0.1).astype(np.float32)
synthesis["lod"] = np.array(0, np.float32)  # a 0-d array, as tflib fetches a scalar variable
dlatent_avg = (rnd.randn(W) * 0.3).astype(np.float32)

# the pickle, as NVIDIA's tflib writes it
nvidia_snapshot._install_stubs(os.path.join(out_dir, "stubs"))
from dnnlib.tflib.network import Network  # noqa: E402


def net(name, variables, components, kwargs, func):
    return Network(dict(version=3, name=name, static_kwargs=kwargs, components=components,
                        build_module_src="# TensorFlow code, inert text", build_func_name=func, variables=list(variables.items())))


static = dict(resolution=RES, mapping_lrmul=LRMUL)
gs = net("G", {"lod": np.array(0, np.float32), "dlatent_avg": dlatent_avg},
         {"mapping": net("G_mapping", mapping, {}, {}, "G_mapping"), "synthesis": net("G_synthesis", synthesis, {}, {}, "G_synthesis")},
         static, "G_style")
with open(os.path.join(out_dir, "karras_small.pkl"), "wb") as f:
    pickle.dump((net("G", {"dlatent_avg": np.zeros_like(dlatent_avg)}, {}, static, "G_style"),
                 net("D", {"Output/weight": np.zeros((4, 1), np.float32)}, {}, {}, "D_basic"), gs), f, protocol=4)

T = lambda a: torch.from_numpy(np.asarray(a, dtype=np.float32))  # noqa: E731


def dense(x, w, b, gain, lrmul=1.0):
    w = T(w) * (gain / math.sqrt(w.shape[0])) * lrmul
    return x @ w + T(b) * lrmul


def lrelu(x):
    return torch.maximum(x, x * 0.2)


def conv(x, w, gain=math.sqrt(2)):
    wt = T(w) * (gain / math.sqrt(np.prod(w.shape[:-1])))
    return F.conv2d(x, wt.permute(3, 2, 0, 1), padding=w.shape[0] // 2)


def up_conv(x, w, fused):
    if not fused:
        return conv(F.interpolate(x, scale_factor=2, mode="nearest"), w)
    wt = T(w) * (math.sqrt(2) / math.sqrt(np.prod(w.shape[:-1])))   # [k, k, in, out]
    wt = F.pad(wt.permute(2, 3, 0, 1), [1, 1, 1, 1])                 # [in, out, k+2, k+2]
    wt = wt[:, :, 1:, 1:] + wt[:, :, :-1, 1:] + wt[:, :, 1:, :-1] + wt[:, :, :-1, :-1]
    return F.conv_transpose2d(x, wt, stride=2, padding=1)


def blur(x):
    f = torch.tensor([1.0, 2.0, 1.0])
    f = (f[:, None] * f[None, :]) / 16
    return F.conv2d(x, f.expand(x.shape[1], 1, 3, 3), padding=1, groups=x.shape[1])


def epilogue(x, scope, noise, w):
    if noise is not None:
        x = x + noise * T(synthesis[scope + "/Noise/weight"]).view(1, -1, 1, 1)
    x = lrelu(x + T(synthesis[scope + "/bias"]).view(1, -1, 1, 1))
    x = x - x.mean(dim=(2, 3), keepdim=True)
    x = x * torch.rsqrt((x * x).mean(dim=(2, 3), keepdim=True) + 1e-8)
    s = dense(w, synthesis[scope + "/StyleMod/weight"], synthesis[scope + "/StyleMod/bias"], 1.0).view(-1, 2, x.shape[1], 1, 1)
    return x * (s[:, 0] + 1) + s[:, 1]


def mapping_net(z):
    x = z * torch.rsqrt((z * z).mean(dim=1, keepdim=True) + 1e-8)
    for i in range(MAP_LAYERS):
        x = lrelu(dense(x, mapping["Dense%d/weight" % i], mapping["Dense%d/bias" % i], math.sqrt(2), LRMUL))
    return x


def synthesis_net(ws, noise, stage, alpha):
    """noise: 'const', 'none' or a list of maps per layer; stage: the resolution index sampled; alpha: the newest's share."""
    def n(i):
        return None if noise == "none" else T(synthesis["noise%d" % i]) if noise == "const" else noise[i]
    x = epilogue(T(synthesis["4x4/Const/const"]), "4x4/Const", n(0), ws[:, 0])
    x = epilogue(conv(x, synthesis["4x4/Conv/weight"]), "4x4/Conv", n(1), ws[:, 1])
    prev = x
    for k in range(1, stage + 1):
        r = 4 << k
        prev = x
        s = "%dx%d/" % (r, r)
        x = epilogue(blur(up_conv(x, synthesis[s + "Conv0_up/weight"], r >= 128)), s + "Conv0_up", n(2 * k), ws[:, 2 * k])
        x = epilogue(conv(x, synthesis[s + "Conv1/weight"]), s + "Conv1", n(2 * k + 1), ws[:, 2 * k + 1])

    def torgb(k, h):
        lod = len(WIDTHS) - 1 - k
        return conv(h, synthesis["ToRGB_lod%d/weight" % lod], gain=1.0) + T(synthesis["ToRGB_lod%d/bias" % lod]).view(1, -1, 1, 1)
    img = torgb(stage, x)
    if stage > 0 and alpha < 1:
        img = (1 - alpha) * F.interpolate(torgb(stage - 1, prev), scale_factor=2, mode="nearest") + alpha * img
    return img


def ws_of(seed, psi=1.0, cutoff=None):
    w = mapping_net(T(np.random.RandomState(seed).randn(1, Z)))
    ws = w[:, None, :].repeat(1, 2 * len(WIDTHS), 1)
    if psi != 1:
        coefs = torch.ones(1, 2 * len(WIDTHS), 1)
        coefs[:, : (cutoff if cutoff is not None else 2 * len(WIDTHS))] = psi
        avg = T(dlatent_avg).view(1, 1, -1)
        ws = avg + (ws - avg) * coefs
    return ws


cases = []


def case(name, img, **settings):
    save_safetensors(os.path.join(out_dir, name + ".safetensors"), {"out": img})
    cases.append({"name": name, "kind": "stylegan_tf1", "settings": settings})


with torch.no_grad():
    last = len(WIDTHS) - 1
    case("seed5_const", synthesis_net(ws_of(5), "const", last, 1.0), seed=5)
    case("seed6_truncated", synthesis_net(ws_of(6, 0.7, 8), "const", last, 1.0), seed=6)
    # noise=seeded: the seed's RandomState continues after z, one map per layer in layer order
    rs = np.random.RandomState(9)
    rs.randn(1, Z)
    maps = [T(rs.randn(1, 1, 4 << (i // 2), 4 << (i // 2))) for i in range(2 * len(WIDTHS))]
    case("seed9_seeded", synthesis_net(ws_of(9), maps, last, 1.0), seed=9)
    case("seed3_16_alpha", synthesis_net(ws_of(3), "none", 2, 0.3), seed=3)
save_index(os.path.join(out_dir, "cases.json"), cases)
