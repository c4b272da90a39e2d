"""boschresearch/OASIS's generator (models/generator.py, models/norms.py) re-written in plain torch for the
oracle, with z taken as an argument (the reference draws its own): a vector broadcast over the image, or a
spatial map. SPADE norms named as the reference's (first_norm, mlp_shared, mlp_gamma, mlp_beta), spectral
norm on the blocks' convolutions, a parameter-free batch norm."""
import torch
import torch.nn as nn
import torch.nn.functional as F

import spade_nets


def ResnetBlock_with_SPADE(fin, fout, cond_nc):
    """OASIS's block: SPADE's, with the parameter-free norms named first_norm."""
    return spade_nets.SPADEResnetBlock(fin, fout, cond_nc, norm_name="first_norm")


class OASIS_Generator(nn.Module):
    def __init__(self, semantic_nc, ch, z_dim=64, num_res_blocks=6):
        super().__init__()
        self.channels = [16 * ch, 16 * ch, 16 * ch, 8 * ch, 4 * ch, 2 * ch, 1 * ch][:num_res_blocks + 1]
        self.num_res_blocks, self.z_dim = num_res_blocks, z_dim
        self.conv_img = nn.Conv2d(self.channels[-1], 3, 3, padding=1)
        self.up = nn.Upsample(scale_factor=2)
        self.body = nn.ModuleList([ResnetBlock_with_SPADE(self.channels[i], self.channels[i + 1], semantic_nc + z_dim)
                                   for i in range(len(self.channels) - 1)])
        self.fc = nn.Conv2d(semantic_nc + z_dim, 16 * ch, 3, padding=1)

    def forward(self, seg, z):
        """z: [1, z_dim] (broadcast) or [1, z_dim, H, W] (a spatial map)."""
        if z.dim() == 2:
            z = z.view(z.size(0), self.z_dim, 1, 1).expand(z.size(0), self.z_dim, seg.size(2), seg.size(3))
        seg = torch.cat((z, seg), dim=1)
        n = 2 ** (self.num_res_blocks - 1)
        x = self.fc(F.interpolate(seg, size=(seg.size(2) // n, seg.size(3) // n)))
        for i in range(self.num_res_blocks):
            x = self.body[i](x, seg)
            if i < self.num_res_blocks - 1:
                x = self.up(x)
        return torch.tanh(self.conv_img(F.leaky_relu(x, 2e-1)))
