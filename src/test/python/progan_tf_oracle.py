"""Reference images of NVIDIA's ProGAN generator as its TensorFlow code computes it (progressive_growing_of_gans/networks.py:
G_paper: z pixel-normalised, dense to 4x4 with gain sqrt(2)/4, then per resolution an up-sampling convolution, fused or
nearest x2 + Conv0, and Conv1, each with bias, lrelu and pixel norm; ToRGB_lod<k>), written in torch on TensorFlow's
variable layouts, on small random variables. Saved twice as NVIDIA's pickles are: (G, D, Gs) of tfutil.Network states
(version 2, fused up-sampling), and the Theano-era form its legacy.py reads (network.Network states with build_func_spec
and param_values: weight, wscale, bias per layer, Theano layouts; never fused). z from numpy's RandomState(seed).randn.
Writes progan_tf.pkl, progan_theano.pkl, <case>.safetensors, cases.json. Usage: progan_tf_oracle.py OUTPUT_FOLDER"""
import math
import os
import pickle
import sys
import textwrap

import numpy as np
import torch
import torch.nn.functional as F

from oracle_io import save_index, save_safetensors

torch.set_num_threads(1)
out_dir = sys.argv[1]
os.makedirs(out_dir, exist_ok=True)
stubs = os.path.join(out_dir, "stubs")
os.makedirs(stubs, exist_ok=True)
for mod in ("tfutil", "network"):
    with open(os.path.join(stubs, mod + ".py"), "w") as f:
        f.write(textwrap.dedent("""
            class Network:
                # a stand-in with the name and pickled state of NVIDIA's network class
                def __init__(self, state):
                    self._state = state
                def __getstate__(self):
                    return self._state
                def __setstate__(self, state):
                    self._state = state
            """))
sys.path.insert(0, stubs)
import network  # noqa: E402
import tfutil  # noqa: E402

rnd = np.random.RandomState(3)
Z, WIDTHS = 16, [16, 16, 12, 8]
LOG2 = 1 + len(WIDTHS)  # 32 px


def variables(fused):
    v = {"4x4/Dense/weight": rnd.randn(Z, WIDTHS[0] * 16), "4x4/Dense/bias": rnd.randn(WIDTHS[0]) * 0.1,
         "4x4/Conv/weight": rnd.randn(3, 3, WIDTHS[0], WIDTHS[0]), "4x4/Conv/bias": rnd.randn(WIDTHS[0]) * 0.1}
    for k in range(1, len(WIDTHS)):
        r, cin, c = 4 << k, WIDTHS[k - 1], WIDTHS[k]
        if fused:
            v["%dx%d/Conv0_up/weight" % (r, r)] = rnd.randn(3, 3, c, cin)
            v["%dx%d/Conv0_up/bias" % (r, r)] = rnd.randn(c) * 0.1
        else:
            v["%dx%d/Conv0/weight" % (r, r)] = rnd.randn(3, 3, cin, c)
            v["%dx%d/Conv0/bias" % (r, r)] = rnd.randn(c) * 0.1
        v["%dx%d/Conv1/weight" % (r, r)] = rnd.randn(3, 3, c, c)
        v["%dx%d/Conv1/bias" % (r, r)] = rnd.randn(c) * 0.1
    for k in range(len(WIDTHS)):
        lod = len(WIDTHS) - 1 - k
        v["ToRGB_lod%d/weight" % lod] = rnd.randn(1, 1, WIDTHS[k], 3)
        v["ToRGB_lod%d/bias" % lod] = rnd.randn(3) * 0.1
    return {k: np.asarray(a, np.float32) for k, a in v.items()}


T = lambda a: torch.from_numpy(np.asarray(a, dtype=np.float32))  # noqa: E731


def pn(x):
    return x * torch.rsqrt((x * x).mean(dim=1, keepdim=True) + 1e-8)


def act(x):
    return pn(torch.maximum(x, x * 0.2))


def conv(x, w, gain):
    wt = T(w) * (gain / math.sqrt(np.prod(w.shape[:-1])))
    return F.conv2d(x, wt.permute(3, 2, 0, 1), padding=w.shape[0] // 2)


def bias(x, b):
    return x + T(b).view(1, -1, 1, 1)


def generate(v, z, stage, alpha):
    fused = "8x8/Conv0_up/weight" in v
    x = pn(z) @ (T(v["4x4/Dense/weight"]) * (math.sqrt(2) / 4 / math.sqrt(Z)))
    x = act(bias(x.view(-1, WIDTHS[0], 4, 4), v["4x4/Dense/bias"]))
    x = act(bias(conv(x, v["4x4/Conv/weight"], math.sqrt(2)), v["4x4/Conv/bias"]))
    prev = x
    for k in range(1, stage + 1):
        r = 4 << k
        prev = x
        s = "%dx%d/" % (r, r)
        if fused:
            w = v[s + "Conv0_up/weight"]  # [k, k, out, in]
            wt = T(w) * (math.sqrt(2) / math.sqrt(w.shape[0] * w.shape[1] * w.shape[3]))
            wt = F.pad(wt.permute(3, 2, 0, 1), [1, 1, 1, 1])
            wt = wt[:, :, 1:, 1:] + wt[:, :, :-1, 1:] + wt[:, :, 1:, :-1] + wt[:, :, :-1, :-1]
            x = act(bias(F.conv_transpose2d(x, wt, stride=2, padding=1), v[s + "Conv0_up/bias"]))
        else:
            x = act(bias(conv(F.interpolate(x, scale_factor=2, mode="nearest"), v[s + "Conv0/weight"], math.sqrt(2)), v[s + "Conv0/bias"]))
        x = act(bias(conv(x, v[s + "Conv1/weight"], math.sqrt(2)), v[s + "Conv1/bias"]))

    def torgb(k, h):
        lod = len(WIDTHS) - 1 - k
        return bias(conv(h, v["ToRGB_lod%d/weight" % lod], 1.0), v["ToRGB_lod%d/bias" % lod])
    img = torgb(stage, x)
    if stage > 0 and alpha < 1:
        img = (1 - alpha) * F.interpolate(torgb(stage - 1, prev), scale_factor=2, mode="nearest") + alpha * img
    return img


def tf_net(name, v, func):
    items = list(v.items()) + [("lod", np.array(0, np.float32))]
    return tfutil.Network(dict(version=2, name=name, static_kwargs=dict(resolution=1 << LOG2, num_channels=3, fused_scale=True),
                               build_module_src="# TensorFlow code, inert text", build_func_name=func, variables=items))


def theano_params(v):
    """legacy.py's reading inverted: per layer the Theano-layout weight, its wscale, the bias."""
    params = []

    def layer(name, gain, theano_w, converted_shape):
        scale = np.float32(0.5 + rnd.rand())
        he = gain / math.sqrt(np.prod(converted_shape[:-1]))
        params.append(np.asarray(theano_w * he / scale, np.float32))
        params.append(np.asarray(scale, np.float32))
        params.append(v[name + "/bias"])

    def theano_kernel(w):  # HWIO flipped back to [out, in, k, k]
        return np.ascontiguousarray(w[::-1, ::-1].transpose(3, 2, 0, 1))
    d = v["4x4/Dense/weight"]  # [latent, nf*16] -> [nf, latent, 4, 4]
    layer("4x4/Dense", math.sqrt(2) / 4, np.ascontiguousarray(d.reshape(Z, WIDTHS[0], 4, 4).transpose(1, 0, 2, 3)), d.shape)
    layer("4x4/Conv", math.sqrt(2), theano_kernel(v["4x4/Conv/weight"]), v["4x4/Conv/weight"].shape)
    for k in range(1, len(WIDTHS)):
        r = 4 << k
        for name in ("Conv0", "Conv1"):
            w = v["%dx%d/%s/weight" % (r, r, name)]
            layer("%dx%d/%s" % (r, r, name), math.sqrt(2), theano_kernel(w), w.shape)
    for lod in range(LOG2 - 1):
        w = v["ToRGB_lod%d/weight" % lod]
        layer("ToRGB_lod%d" % lod, 1.0, np.ascontiguousarray(w[0, 0]), w.shape)
    return params


fused_vars, plain_vars = variables(True), variables(False)
with open(os.path.join(out_dir, "progan_tf.pkl"), "wb") as f:
    pickle.dump((tf_net("G", fused_vars, "G_paper"), tf_net("D", {"x": np.zeros(1, np.float32)}, "D_paper"),
                 tf_net("Gs", fused_vars, "G_paper")), f, protocol=2)
spec = dict(func="G_paper", resolution=1 << LOG2, use_wscale=True, num_channels=3)
with open(os.path.join(out_dir, "progan_theano.pkl"), "wb") as f:
    gs = network.Network(dict(build_func_spec=spec, param_values=theano_params(plain_vars)))
    pickle.dump((gs, network.Network(dict(build_func_spec=dict(func="D_paper"), param_values=[])), gs), f, protocol=2)

cases = []


def case(name, v, seed, stage, alpha):
    with torch.no_grad():
        out = generate(v, T(np.random.RandomState(seed).randn(1, Z)), stage, alpha)
    save_safetensors(os.path.join(out_dir, name + ".safetensors"), {"out": out})
    cases.append({"name": name, "kind": "progan_tf", "settings": {"seed": seed, "resolution": 4 << stage, "alpha": alpha}})


case("tf_seed1", fused_vars, 1, 3, 1.0)
case("tf_seed2_16_alpha", fused_vars, 2, 2, 0.4)
case("theano_seed3", plain_vars, 3, 3, 1.0)
case("theano_seed4_8", plain_vars, 4, 1, 1.0)
save_index(os.path.join(out_dir, "cases.json"), cases)
