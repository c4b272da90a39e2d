"""PyTorch checkpoints for GenIJ's reader tests, written by Debian's python3-torch in both container
formats (zip, PyTorch >= 1.6, and legacy), with the tensors the reader must find, as safetensors.
Usage: checkpoint_fixtures.py OUTPUT_FOLDER"""
import argparse
import collections
import os
import sys

import torch
import torch.nn as nn

from oracle_io import save_index, save_safetensors

out_dir = sys.argv[1]
os.makedirs(out_dir, exist_ok=True)
torch.manual_seed(7)
cases = []


def flatten(obj, prefix=""):
    """Every tensor in a nested structure, named by dotted path, as the reader should name them."""
    found = collections.OrderedDict()
    if isinstance(obj, torch.Tensor):
        found[prefix] = obj
    elif isinstance(obj, dict):
        for k, v in obj.items():
            found.update(flatten(v, prefix + "." + str(k) if prefix else str(k)))
    elif isinstance(obj, (list, tuple)):
        for i, v in enumerate(obj):
            found.update(flatten(v, prefix + "." + str(i) if prefix else str(i)))
    elif isinstance(obj, argparse.Namespace):
        found.update(flatten(vars(obj), prefix))
    return found


def fixture(name, obj, state_dict_keys, extra_expected=None, values=None):
    """Saves obj in both formats and records what the reader must return."""
    expected = flatten(obj)
    save_safetensors(os.path.join(out_dir, name + ".expected.safetensors"), expected)
    if extra_expected:
        save_safetensors(os.path.join(out_dir, name + ".folded.safetensors"), extra_expected)
    for fmt, zipped in (("zip", True), ("legacy", False)):
        torch.save(obj, os.path.join(out_dir, "%s.%s.pth" % (name, fmt)), _use_new_zipfile_serialization=zipped)
        cases.append({"name": name, "file": "%s.%s.pth" % (name, fmt), "format": fmt,
                      "state_dict_keys": state_dict_keys, "values": values or {},
                      "folded": bool(extra_expected)})


# every storage type
dtypes = collections.OrderedDict()
dtypes["f32"] = torch.randn(3, 4)
dtypes["f16"] = torch.randn(5).half()
dtypes["bf16"] = torch.randn(2, 3).bfloat16()
dtypes["f64"] = torch.randn(4, dtype=torch.float64)
dtypes["i64"] = torch.randint(-10**12, 10**12, (3,), dtype=torch.int64)
dtypes["i32"] = torch.randint(-10**6, 10**6, (2, 2), dtype=torch.int32)
dtypes["i16"] = torch.randint(-3000, 3000, (3,), dtype=torch.int16)
dtypes["i8"] = torch.randint(-100, 100, (4,), dtype=torch.int8)
dtypes["u8"] = torch.randint(0, 255, (2, 3), dtype=torch.uint8)
dtypes["bool"] = torch.rand(6) > 0.5
dtypes["half_specials"] = torch.tensor([0.0, -0.0, 1e-7, 65504.0, float("inf"), -float("inf"), 6.1e-5]).half()
fixture("dtypes", dtypes, list(dtypes.keys()))

# views with offsets and strides, several tensors on one storage, scalars and empty tensors
base = torch.arange(60, dtype=torch.float32).reshape(6, 10)
views = collections.OrderedDict([("strided", base[:, 1::3]), ("rows", base[2:4]), ("transposed", base.t()),
                                 ("whole", base), ("scalar", torch.tensor(3.5)), ("empty", torch.zeros(0, 3))])
fixture("views", views, list(views.keys()))


class Small(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3)
        self.norm = nn.BatchNorm2d(8)
        self.up = nn.ConvTranspose2d(8, 2, 4, 2, 1)


# a DataParallel state dict: every key starts with "module."
small = Small()
dp = nn.DataParallel(small).state_dict()
fixture("dataparallel", dp, list(dp.keys()))

# a training checkpoint: model, optimiser state, epoch, options as an argparse.Namespace
opt = torch.optim.Adam(small.parameters(), lr=1e-3)
for p in small.parameters():
    p.grad = torch.randn_like(p)
opt.step()
training = {"epoch": 7, "state_dict": small.state_dict(), "optimizer": opt.state_dict(),
            "args": argparse.Namespace(lr=0.001, name="edges2shoes", gpu_ids=[0]), "best_l1": 0.25}
fixture("training", training, ["state_dict." + k for k in small.state_dict().keys()],
        values={"epoch": 7, "args.lr": 0.001, "args.name": "edges2shoes", "best_l1": 0.25})

# StyleGAN2-style: {'g_ema': state_dict, 'latent_avg': tensor}
stylegan = {"g": Small().state_dict(), "g_ema": small.state_dict(), "latent_avg": torch.randn(16)}
fixture("nested", stylegan, ["g_ema." + k for k in small.state_dict().keys()])


# spectral norm and weight norm, to be folded into plain weights
class Normed(nn.Module):
    def __init__(self):
        super().__init__()
        self.sn = nn.utils.spectral_norm(nn.Conv2d(3, 4, 3))
        self.wn = nn.utils.weight_norm(nn.Conv2d(4, 5, 1))
        self.lin = nn.utils.spectral_norm(nn.Linear(6, 3))


normed = Normed()
with torch.no_grad():
    for _ in range(3):  # power iterations, as training leaves them
        normed.train()
        normed.sn(torch.randn(1, 3, 5, 5))
        normed.lin(torch.randn(2, 6))
normed.eval()
with torch.no_grad():
    normed.sn(torch.randn(1, 3, 5, 5))
    normed.lin(torch.randn(2, 6))
    normed.wn(torch.randn(1, 4, 2, 2))
    folded = collections.OrderedDict([("sn.weight", normed.sn.weight.detach().clone()), ("sn.bias", normed.sn.bias),
                                      ("wn.weight", normed.wn.weight.detach().clone()), ("wn.bias", normed.wn.bias),
                                      ("lin.weight", normed.lin.weight.detach().clone()),
                                      ("lin.bias", normed.lin.bias)])
sd = normed.state_dict()
fixture("normed", sd, list(sd.keys()), extra_expected=folded)

save_index(os.path.join(out_dir, "cases.json"), cases)
print("wrote %d checkpoints to %s" % (len(cases), out_dir))


# --- replicas of the reference architectures, for recognising them by their keys -------------------
from reference_nets import ResnetGenerator, TransformerNet, UnetGenerator  # noqa: E402


def adain_decoder():
    """naoto0804/pytorch-AdaIN's decoder: relu4_1 features (512) back to RGB, reflection padding, nearest x2."""
    layers = []

    def block(cin, cout, relu=True):
        layers.extend([nn.ReflectionPad2d(1), nn.Conv2d(cin, cout, 3)] + ([nn.ReLU()] if relu else []))
    block(512, 256)
    layers.append(nn.Upsample(scale_factor=2, mode="nearest"))
    for _ in range(3):
        block(256, 256)
    block(256, 128)
    layers.append(nn.Upsample(scale_factor=2, mode="nearest"))
    block(128, 128)
    block(128, 64)
    layers.append(nn.Upsample(scale_factor=2, mode="nearest"))
    block(64, 64)
    block(64, 3, relu=False)
    return nn.Sequential(*layers)


architectures = [
    ("resnet9_instance", ResnetGenerator(3, 3, 8, "instance", False, 9),
     {"family": "translate", "architecture": "resnet_9blocks", "ngf": 8, "input_nc": 3, "output_nc": 3, "norm": "instance", "dropout": "off"}),
    ("resnet6_batch_dropout_gray", ResnetGenerator(1, 3, 4, "batch", True, 6),
     {"family": "translate", "architecture": "resnet_6blocks", "ngf": 4, "input_nc": 1, "output_nc": 3, "norm": "batch", "dropout": "on"}),
    ("unet256_batch", UnetGenerator(3, 3, 8, 4, "batch", True),
     {"family": "translate", "architecture": "unet_256", "ngf": 4, "input_nc": 3, "output_nc": 3, "norm": "batch"}),
    ("unet128_instance_gray", UnetGenerator(1, 1, 7, 2, "instance", False),
     {"family": "translate", "architecture": "unet_128", "ngf": 2, "input_nc": 1, "output_nc": 1, "norm": "instance"}),
    ("fast_style", TransformerNet(), {"family": "style", "architecture": "fast_transformer", "residual_blocks": 5}),
    ("adain_decoder", adain_decoder(), {"family": "style", "architecture": "adain_decoder"}),
]
arch_cases = []
for name, module, expected in architectures:
    path = os.path.join(out_dir, "arch_%s.pth" % name)
    torch.save(module.state_dict(), path, _use_new_zipfile_serialization=(len(arch_cases) % 2 == 0))
    # what PyTorch counts, for Model Info: learned parameters, and running statistics apart
    counts = {"parameters": sum(p.numel() for p in module.parameters()),
              "buffers": sum(b.numel() for b in module.buffers())}
    arch_cases.append({"file": "arch_%s.pth" % name, "expected": expected, "counts": counts})
save_index(os.path.join(out_dir, "architectures.json"), arch_cases)
print("wrote %d architecture replicas" % len(arch_cases))
