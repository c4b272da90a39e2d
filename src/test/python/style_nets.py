"""pytorch/examples' fast_neural_style TransformerNet re-written in plain torch for the oracle, with the same module
names (so the same state-dict keys), and, for several styles, conditional instance norm (Dumoulin et al.): each norm's
weight and bias one row per style, the row chosen by `style` (GenIJ's layout for such networks)."""
import torch
import torch.nn.functional as F
from torch import nn


class ConvLayer(nn.Module):
    def __init__(self, cin, cout, k, stride):
        super().__init__()
        self.reflection_pad = nn.ReflectionPad2d(k // 2)
        self.conv2d = nn.Conv2d(cin, cout, k, stride)

    def forward(self, x):
        return self.conv2d(self.reflection_pad(x))


class UpsampleConvLayer(nn.Module):
    def __init__(self, cin, cout, k, stride, upsample=None):
        super().__init__()
        self.upsample = upsample
        self.reflection_pad = nn.ReflectionPad2d(k // 2)
        self.conv2d = nn.Conv2d(cin, cout, k, stride)

    def forward(self, x):
        if self.upsample:
            x = F.interpolate(x, mode="nearest", scale_factor=self.upsample)
        return self.conv2d(self.reflection_pad(x))


class CondInstanceNorm(nn.Module):
    """Instance norm whose affine weight and bias have one row per style."""

    def __init__(self, c, styles):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(styles, c))
        self.bias = nn.Parameter(torch.zeros(styles, c))
        self.style = 0

    def forward(self, x):
        return F.instance_norm(x, weight=self.weight[self.style], bias=self.bias[self.style], eps=1e-5)


def norm(c, styles):
    return nn.InstanceNorm2d(c, affine=True) if styles == 1 else CondInstanceNorm(c, styles)


class ResidualBlock(nn.Module):
    def __init__(self, c, styles=1):
        super().__init__()
        self.conv1, self.in1 = ConvLayer(c, c, 3, 1), norm(c, styles)
        self.conv2, self.in2 = ConvLayer(c, c, 3, 1), norm(c, styles)

    def forward(self, x):
        return self.in2(self.conv2(F.relu(self.in1(self.conv1(x))))) + x


class TransformerNet(nn.Module):
    def __init__(self, styles=1):
        super().__init__()
        self.conv1, self.in1 = ConvLayer(3, 32, 9, 1), norm(32, styles)
        self.conv2, self.in2 = ConvLayer(32, 64, 3, 2), norm(64, styles)
        self.conv3, self.in3 = ConvLayer(64, 128, 3, 2), norm(128, styles)
        self.res1, self.res2, self.res3, self.res4, self.res5 = [ResidualBlock(128, styles) for _ in range(5)]
        self.deconv1, self.in4 = UpsampleConvLayer(128, 64, 3, 1, upsample=2), norm(64, styles)
        self.deconv2, self.in5 = UpsampleConvLayer(64, 32, 3, 1, upsample=2), norm(32, styles)
        self.deconv3 = UpsampleConvLayer(32, 3, 9, 1)

    def use_style(self, style):
        for m in self.modules():
            if isinstance(m, CondInstanceNorm):
                m.style = style

    def forward(self, x):
        y = F.relu(self.in1(self.conv1(x)))
        y = F.relu(self.in2(self.conv2(y)))
        y = F.relu(self.in3(self.conv3(y)))
        y = self.res5(self.res4(self.res3(self.res2(self.res1(y)))))
        y = F.relu(self.in4(self.deconv1(y)))
        y = F.relu(self.in5(self.deconv2(y)))
        return self.deconv3(y)
