"""Reference outputs for GenIJ's pix2pix/CycleGAN generators (reference_nets.py, the structure of
junyanz/pytorch-CycleGAN-and-pix2pix) on random weights, saved as legacy-format latest_net_G.pth files.
Usage: translate_oracle.py OUTPUT_FOLDER"""
import os
import sys

import torch
import torch.nn as nn

from oracle_io import save_index, save_safetensors
from reference_nets import ResnetGenerator, UnetGenerator

torch.set_num_threads(1)
out_dir = sys.argv[1]
os.makedirs(out_dir, exist_ok=True)
cases = []


def randomise_norms(net):
    """Batch norms with non-trivial running statistics and affine parameters, as a trained net has."""
    for m in net.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.running_mean.uniform_(-0.5, 0.5)
            m.running_var.uniform_(0.5, 1.5)
            nn.init.uniform_(m.weight, 0.5, 1.5)
            nn.init.uniform_(m.bias, -0.2, 0.2)


def case(name, net, inputs, modes):
    saved = {k: v.clone() for k, v in net.state_dict().items()}
    torch.save(net.state_dict(), os.path.join(out_dir, name + ".pth"), _use_new_zipfile_serialization=False)
    tensors = {}
    for i, x in enumerate(inputs):
        tensors["in%d" % i] = x
        with torch.no_grad():
            for mode in modes:
                # a train-mode forward updates running statistics: start every forward from the saved weights
                net.load_state_dict(saved)
                # eval(): running statistics (the reference's --eval); train(): the image's own statistics,
                # with dropout kept off here (tested separately, it is random)
                if mode == "running":
                    net.eval()
                else:
                    net.train()
                    for m in net.modules():
                        if isinstance(m, nn.Dropout):
                            m.eval()
                tensors["out%d_%s" % (i, mode)] = net(x.clone())
    save_safetensors(os.path.join(out_dir, name + ".safetensors"), tensors)
    cases.append({"name": name, "kind": "generator", "settings": {"inputs": len(inputs), "modes": modes}})


torch.manual_seed(40)
unet = UnetGenerator(3, 3, 8, 8, "batch", use_dropout=False)
randomise_norms(unet)
case("unet256_batch", unet, [torch.rand(1, 3, 256, 256) * 2 - 1, torch.rand(1, 3, 256, 512) * 2 - 1], ["running", "image"])

torch.manual_seed(41)
unet128 = UnetGenerator(1, 3, 7, 4, "instance", use_dropout=False)
case("unet128_instance_gray", unet128, [torch.rand(1, 1, 128, 256) * 2 - 1], ["running"])

torch.manual_seed(42)
resnet = ResnetGenerator(3, 3, 8, "instance", False, 9)
case("resnet9_instance", resnet, [torch.rand(1, 3, 64, 48) * 2 - 1, torch.rand(1, 3, 36, 52) * 2 - 1], ["running"])

torch.manual_seed(43)
resnet6 = ResnetGenerator(1, 1, 4, "batch", True, 6)
randomise_norms(resnet6)
case("resnet6_batch_gray", resnet6, [torch.rand(1, 1, 40, 44) * 2 - 1], ["running", "image"])

save_index(os.path.join(out_dir, "cases.json"), cases)
print("wrote", len(cases), "translate cases")
