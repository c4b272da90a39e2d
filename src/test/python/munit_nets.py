"""NVlabs/MUNIT's and mingyuliutw/UNIT's generators (networks.py: AdaINGen, VAEGen and their blocks) re-written in
plain torch for the oracle, with the reference's module names (so its state-dict keys), its LayerNorm (unbiased std
over C*H*W, eps added to the std) and its AdaIN parameter order (per layer: means first, then standard deviations)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class LayerNorm(nn.Module):
    def __init__(self, num_features, eps=1e-5):
        super().__init__()
        self.eps = eps
        self.gamma = nn.Parameter(torch.Tensor(num_features).uniform_())
        self.beta = nn.Parameter(torch.zeros(num_features))

    def forward(self, x):
        shape = [-1] + [1] * (x.dim() - 1)
        if x.size(0) == 1:
            mean, std = x.view(-1).mean().view(*shape), x.view(-1).std().view(*shape)
        else:
            mean, std = x.view(x.size(0), -1).mean(1).view(*shape), x.view(x.size(0), -1).std(1).view(*shape)
        x = (x - mean) / (std + self.eps)
        return x * self.gamma.view(1, -1, 1, 1) + self.beta.view(1, -1, 1, 1)


class AdaptiveInstanceNorm2d(nn.Module):
    def __init__(self, num_features, eps=1e-5):
        super().__init__()
        self.num_features, self.eps = num_features, eps
        self.weight = self.bias = None
        self.register_buffer("running_mean", torch.zeros(num_features))
        self.register_buffer("running_var", torch.ones(num_features))

    def forward(self, x):
        b, c = x.size(0), x.size(1)
        out = F.batch_norm(x.contiguous().view(1, b * c, *x.size()[2:]), self.running_mean.repeat(b).clone(),
                           self.running_var.repeat(b).clone(), self.weight, self.bias, True, 0.1, self.eps)
        return out.view(b, c, *x.size()[2:])


class Conv2dBlock(nn.Module):
    def __init__(self, input_dim, output_dim, kernel_size, stride, padding=0, norm="none", activation="relu", pad_type="reflect"):
        super().__init__()
        self.pad = nn.ReflectionPad2d(padding) if pad_type == "reflect" else nn.ZeroPad2d(padding)
        self.norm = {"in": lambda: nn.InstanceNorm2d(output_dim), "ln": lambda: LayerNorm(output_dim),
                     "adain": lambda: AdaptiveInstanceNorm2d(output_dim), "none": lambda: None}[norm]()
        self.activation = {"relu": nn.ReLU(), "lrelu": nn.LeakyReLU(0.2), "tanh": nn.Tanh(), "none": None}[activation]
        self.conv = nn.Conv2d(input_dim, output_dim, kernel_size, stride, bias=True)

    def forward(self, x):
        x = self.conv(self.pad(x))
        if self.norm:
            x = self.norm(x)
        if self.activation:
            x = self.activation(x)
        return x


class ResBlock(nn.Module):
    def __init__(self, dim, norm, activation, pad_type):
        super().__init__()
        self.model = nn.Sequential(Conv2dBlock(dim, dim, 3, 1, 1, norm, activation, pad_type),
                                   Conv2dBlock(dim, dim, 3, 1, 1, norm, "none", pad_type))

    def forward(self, x):
        return self.model(x) + x


class ResBlocks(nn.Module):
    def __init__(self, n, dim, norm, activation, pad_type):
        super().__init__()
        self.model = nn.Sequential(*[ResBlock(dim, norm, activation, pad_type) for _ in range(n)])

    def forward(self, x):
        return self.model(x)


class LinearBlock(nn.Module):
    def __init__(self, input_dim, output_dim, activation):
        super().__init__()
        self.fc = nn.Linear(input_dim, output_dim)
        self.activation = nn.ReLU() if activation == "relu" else None

    def forward(self, x):
        out = self.fc(x)
        return self.activation(out) if self.activation else out


class Seq(nn.Module):
    def __init__(self, layers):
        super().__init__()
        self.model = nn.Sequential(*layers)

    def forward(self, x):
        return self.model(x)


def content_encoder(n_down, n_res, input_dim, dim, activ, pad):
    layers = [Conv2dBlock(input_dim, dim, 7, 1, 3, "in", activ, pad)]
    for _ in range(n_down):
        layers.append(Conv2dBlock(dim, 2 * dim, 4, 2, 1, "in", activ, pad))
        dim *= 2
    layers.append(ResBlocks(n_res, dim, "in", activ, pad))
    return Seq(layers), dim


def decoder(n_up, n_res, dim, output_dim, res_norm, activ, pad):
    layers = [ResBlocks(n_res, dim, res_norm, activ, pad)]
    for _ in range(n_up):
        layers += [nn.Upsample(scale_factor=2), Conv2dBlock(dim, dim // 2, 5, 1, 2, "ln", activ, pad)]
        dim //= 2
    layers.append(Conv2dBlock(dim, output_dim, 7, 1, 3, "none", "tanh", pad))
    return Seq(layers)


class AdaINGen(nn.Module):
    def __init__(self, input_dim, dim, style_dim, n_down, n_res, mlp_dim, activ="relu", pad="reflect"):
        super().__init__()
        layers, d = [Conv2dBlock(input_dim, dim, 7, 1, 3, "none", activ, pad)], dim
        for _ in range(2):
            layers.append(Conv2dBlock(d, 2 * d, 4, 2, 1, "none", activ, pad))
            d *= 2
        for _ in range(2):
            layers.append(Conv2dBlock(d, d, 4, 2, 1, "none", activ, pad))
        layers += [nn.AdaptiveAvgPool2d(1), nn.Conv2d(d, style_dim, 1, 1, 0)]
        self.enc_style = Seq(layers)
        self.enc_content, out_dim = content_encoder(n_down, n_res, input_dim, dim, activ, pad)
        self.dec = decoder(n_down, n_res, out_dim, input_dim, "adain", activ, pad)
        n_adain = sum(2 * m.num_features for m in self.dec.modules() if isinstance(m, AdaptiveInstanceNorm2d))
        self.mlp = Seq([LinearBlock(style_dim, mlp_dim, activ), LinearBlock(mlp_dim, mlp_dim, activ), LinearBlock(mlp_dim, n_adain, "none")])

    def encode(self, images):
        return self.enc_content(images), self.enc_style(images)

    def decode(self, content, style):
        params = self.mlp(style.view(style.size(0), -1))
        for m in self.dec.modules():
            if isinstance(m, AdaptiveInstanceNorm2d):
                m.bias = params[:, :m.num_features].contiguous().view(-1)
                m.weight = params[:, m.num_features:2 * m.num_features].contiguous().view(-1)
                params = params[:, 2 * m.num_features:]
        return self.dec(content)


class VAEGen(nn.Module):
    def __init__(self, input_dim, dim, n_down, n_res, activ="relu", pad="reflect"):
        super().__init__()
        self.enc, out_dim = content_encoder(n_down, n_res, input_dim, dim, activ, pad)
        self.dec = decoder(n_down, n_res, out_dim, input_dim, "in", activ, pad)

    def encode(self, images):
        return self.enc(images)

    def decode(self, hiddens):
        return self.dec(hiddens)
