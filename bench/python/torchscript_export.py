"""The like-for-like anchor: GenIJ's networks traced to TorchScript by Debian's python3-torch, to be run by
the same libtorch GenIJ uses (through DJL), as deepImageJ and JDLL run PyTorch models inside Fiji.
Writes, per network, NAME.pt (TorchScript, eval mode) and NAME.pth (its state dict for GenIJ), and
NAME.in.safetensors / NAME.out.safetensors (one input and PyTorch's output, to check both sides agree).
Networks: pix2pix U-Net-256 (batch norm), CycleGAN ResNet-9 (instance norm), ngf 64, 256x256 input,
and AdaIN's encoder followed by its decoder.
Usage: torchscript_export.py FOLDER."""
import os
import sys

import torch
import torch.nn as nn

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "..", "src", "test", "python"))
from oracle_io import save_safetensors  # noqa: E402
from reference_nets import ResnetGenerator, UnetGenerator  # noqa: E402

folder = sys.argv[1]
os.makedirs(folder, exist_ok=True)
print("torch", torch.__version__, flush=True)


def pad():
    return nn.ReflectionPad2d(1)


def conv_relu(cin, cout):
    return [pad(), nn.Conv2d(cin, cout, 3), nn.ReLU()]


def adain_encoder():
    layers = [nn.Conv2d(3, 3, 1)] + conv_relu(3, 64) + conv_relu(64, 64) + [nn.MaxPool2d(2, 2, 0, ceil_mode=True)]
    layers += conv_relu(64, 128) + conv_relu(128, 128) + [nn.MaxPool2d(2, 2, 0, ceil_mode=True)]
    layers += conv_relu(128, 256) + conv_relu(256, 256) * 1 + conv_relu(256, 256) + conv_relu(256, 256)
    layers += [nn.MaxPool2d(2, 2, 0, ceil_mode=True)] + conv_relu(256, 512)
    return nn.Sequential(*layers)


def adain_decoder():
    layers = conv_relu(512, 256) + [nn.Upsample(scale_factor=2)] + conv_relu(256, 256) + conv_relu(256, 256)
    layers += conv_relu(256, 256) + conv_relu(256, 128) + [nn.Upsample(scale_factor=2)] + conv_relu(128, 128)
    layers += conv_relu(128, 64) + [nn.Upsample(scale_factor=2)] + conv_relu(64, 64) + [pad(), nn.Conv2d(64, 3, 3)]
    return nn.Sequential(*layers)


class EncoderDecoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = adain_encoder()
        self.decoder = adain_decoder()

    def forward(self, x):
        return self.decoder(self.encoder(x))


torch.manual_seed(0)
networks = [("unet256", UnetGenerator(3, 3, 8, 64, "batch", True), torch.rand(1, 3, 256, 256) * 2 - 1),
            ("resnet9", ResnetGenerator(3, 3, 64, "instance", False, 9), torch.rand(1, 3, 256, 256) * 2 - 1),
            ("adain", EncoderDecoder(), torch.rand(1, 3, 256, 256))]
for name, net, x in networks:
    net.eval()
    for m in net.modules():  # give the batch norms statistics that matter
        if isinstance(m, nn.BatchNorm2d):
            m.running_mean.uniform_(-0.2, 0.2)
            m.running_var.uniform_(0.5, 2)
    with torch.no_grad():
        traced = torch.jit.trace(net, x)
        y = net(x)
    traced.save(os.path.join(folder, name + ".pt"))
    if name == "adain":  # the released files: one state dict per half
        torch.save(net.encoder.state_dict(), os.path.join(folder, "adain_encoder.pth"))
        torch.save(net.decoder.state_dict(), os.path.join(folder, "adain_decoder.pth"))
    else:
        torch.save(net.state_dict(), os.path.join(folder, name + ".pth"))
    save_safetensors(os.path.join(folder, name + ".in.safetensors"), {"x": x})
    save_safetensors(os.path.join(folder, name + ".out.safetensors"), {"y": y})
    print(name, "written", flush=True)
