"""Re-implementations of the reference networks GenIJ reads, for the oracle and the fixtures, written from
the structure of junyanz/pytorch-CycleGAN-and-pix2pix (models/networks.py) and pytorch/examples
(fast_neural_style/neural_style/transformer_net.py). Module names and order follow the references, so
state dict keys match theirs."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def norm_layer(kind):
    if kind == "batch":
        return lambda c: nn.BatchNorm2d(c, affine=True, track_running_stats=True)
    return lambda c: nn.InstanceNorm2d(c, affine=False, track_running_stats=False)


class ResnetBlock(nn.Module):
    def __init__(self, dim, norm, use_dropout, use_bias):
        super().__init__()
        layers = [nn.ReflectionPad2d(1), nn.Conv2d(dim, dim, 3, bias=use_bias), norm(dim), nn.ReLU(True)]
        if use_dropout:
            layers += [nn.Dropout(0.5)]
        layers += [nn.ReflectionPad2d(1), nn.Conv2d(dim, dim, 3, bias=use_bias), norm(dim)]
        self.conv_block = nn.Sequential(*layers)

    def forward(self, x):
        return x + self.conv_block(x)


class ResnetGenerator(nn.Module):
    def __init__(self, input_nc, output_nc, ngf, norm_kind, use_dropout, n_blocks):
        super().__init__()
        norm, use_bias = norm_layer(norm_kind), norm_kind == "instance"
        layers = [nn.ReflectionPad2d(3), nn.Conv2d(input_nc, ngf, 7, bias=use_bias), norm(ngf), nn.ReLU(True)]
        for i in range(2):
            m = 2 ** i
            layers += [nn.Conv2d(ngf * m, ngf * m * 2, 3, stride=2, padding=1, bias=use_bias), norm(ngf * m * 2), nn.ReLU(True)]
        for _ in range(n_blocks):
            layers += [ResnetBlock(ngf * 4, norm, use_dropout, use_bias)]
        for i in range(2):
            m = 2 ** (2 - i)
            layers += [nn.ConvTranspose2d(ngf * m, ngf * m // 2, 3, stride=2, padding=1, output_padding=1, bias=use_bias),
                       norm(ngf * m // 2), nn.ReLU(True)]
        layers += [nn.ReflectionPad2d(3), nn.Conv2d(ngf, output_nc, 7), nn.Tanh()]
        self.model = nn.Sequential(*layers)

    def forward(self, x):
        return self.model(x)


class UnetBlock(nn.Module):
    def __init__(self, outer_nc, inner_nc, norm_kind, input_nc=None, submodule=None, outermost=False, innermost=False,
                 use_dropout=False):
        super().__init__()
        self.outermost = outermost
        norm, use_bias = norm_layer(norm_kind), norm_kind == "instance"
        input_nc = outer_nc if input_nc is None else input_nc
        downconv = nn.Conv2d(input_nc, inner_nc, 4, 2, 1, bias=use_bias)
        if outermost:
            model = [downconv, submodule, nn.ReLU(True), nn.ConvTranspose2d(inner_nc * 2, outer_nc, 4, 2, 1), nn.Tanh()]
        elif innermost:
            model = [nn.LeakyReLU(0.2, True), downconv, nn.ReLU(True),
                     nn.ConvTranspose2d(inner_nc, outer_nc, 4, 2, 1, bias=use_bias), norm(outer_nc)]
        else:
            model = [nn.LeakyReLU(0.2, True), downconv, norm(inner_nc), submodule, nn.ReLU(True),
                     nn.ConvTranspose2d(inner_nc * 2, outer_nc, 4, 2, 1, bias=use_bias), norm(outer_nc)]
            if use_dropout:
                model += [nn.Dropout(0.5)]
        self.model = nn.Sequential(*model)

    def forward(self, x):
        if self.outermost:
            return self.model(x)
        # As the reference: the block's first layer is an in-place LeakyReLU, so by the time cat runs, x
        # itself has been activated; the skip connection carries LeakyReLU(x), and released weights expect it.
        return torch.cat([x, self.model(x)], 1)


class UnetGenerator(nn.Module):
    def __init__(self, input_nc, output_nc, num_downs, ngf, norm_kind, use_dropout):
        super().__init__()
        block = UnetBlock(ngf * 8, ngf * 8, norm_kind, innermost=True)
        for _ in range(num_downs - 5):
            block = UnetBlock(ngf * 8, ngf * 8, norm_kind, submodule=block, use_dropout=use_dropout)
        block = UnetBlock(ngf * 4, ngf * 8, norm_kind, submodule=block)
        block = UnetBlock(ngf * 2, ngf * 4, norm_kind, submodule=block)
        block = UnetBlock(ngf, ngf * 2, norm_kind, submodule=block)
        self.model = UnetBlock(output_nc, ngf, norm_kind, input_nc=input_nc, submodule=block, outermost=True)

    def forward(self, x):
        return self.model(x)


class ConvLayer(nn.Module):
    def __init__(self, cin, cout, k, stride):
        super().__init__()
        self.reflection_pad = nn.ReflectionPad2d(k // 2)
        self.conv2d = nn.Conv2d(cin, cout, k, stride)


class Residual(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.conv1, self.in1 = ConvLayer(c, c, 3, 1), nn.InstanceNorm2d(c, affine=True)
        self.conv2, self.in2 = ConvLayer(c, c, 3, 1), nn.InstanceNorm2d(c, affine=True)


class TransformerNet(nn.Module):
    """Module tree only (the style oracle has the forward pass)."""

    def __init__(self):
        super().__init__()
        self.conv1, self.in1 = ConvLayer(3, 32, 9, 1), nn.InstanceNorm2d(32, affine=True)
        self.conv2, self.in2 = ConvLayer(32, 64, 3, 2), nn.InstanceNorm2d(64, affine=True)
        self.conv3, self.in3 = ConvLayer(64, 128, 3, 2), nn.InstanceNorm2d(128, affine=True)
        for i in range(1, 6):
            setattr(self, "res%d" % i, Residual(128))
        self.deconv1, self.in4 = ConvLayer(128, 64, 3, 1), nn.InstanceNorm2d(64, affine=True)
        self.deconv2, self.in5 = ConvLayer(64, 32, 3, 1), nn.InstanceNorm2d(32, affine=True)
        self.deconv3 = ConvLayer(32, 3, 9, 1)


class NLayerDiscriminator(nn.Module):
    """pix2pix's PatchGAN: 4x4 convolutions, LeakyReLU(0.2), stride 2 but for the last two; 70x70 patches for 3 layers."""

    def __init__(self, input_nc, ndf, n_layers, norm_kind):
        super().__init__()
        norm, use_bias = norm_layer(norm_kind), norm_kind == "instance"
        layers = [nn.Conv2d(input_nc, ndf, 4, 2, 1), nn.LeakyReLU(0.2, True)]
        mult = 1
        for n in range(1, n_layers + 1):
            prev, mult = mult, min(2 ** n, 8)
            stride = 2 if n < n_layers else 1
            layers += [nn.Conv2d(ndf * prev, ndf * mult, 4, stride, 1, bias=use_bias), norm(ndf * mult),
                       nn.LeakyReLU(0.2, True)]
        layers += [nn.Conv2d(ndf * mult, 1, 4, 1, 1)]
        self.model = nn.Sequential(*layers)

    def forward(self, x):
        return self.model(x)
