"""Reference outputs and gradients for GenIJ's core.nn operations, computed with PyTorch (Debian's
python3-torch). Usage: ops_oracle.py OUTPUT_FOLDER. Writes one safetensors file per case and
cases.json describing them. Every case draws its tensors from its own fixed seed."""
import os
import sys

import torch
import torch.nn.functional as F

from oracle_io import save_index, save_safetensors

torch.set_num_threads(1)
out_dir = sys.argv[1]
os.makedirs(out_dir, exist_ok=True)
cases = []


def case(name, kind, settings, tensors):
    save_safetensors(os.path.join(out_dir, name + ".safetensors"), tensors)
    cases.append({"name": name, "kind": kind, "settings": settings})


def with_grads(fn, inputs):
    """Runs fn on leaf copies of inputs; returns the output, the upstream gradient used and the input grads."""
    leaves = [t.clone().requires_grad_(True) if t is not None else None for t in inputs]
    y = fn(*leaves)
    g = torch.randn_like(y)
    (y * g).sum().backward()
    return y.detach(), g, [l.grad if l is not None else None for l in leaves]


# Transposed convolution: awkward shapes, strides 1 to 3, output_padding, odd and non-square sizes.
conv_t = [
    # name,         N, in, out, H, W, kernel,  stride, padding, out_pad, bias
    ("unet_like",   2, 3, 1, 5, 7, (4, 4), (2, 2), (1, 1), (0, 0), True),
    ("resnet_like", 1, 1, 3, 6, 4, (3, 3), (2, 2), (1, 1), (1, 1), True),
    ("stride1",     2, 4, 2, 3, 5, (3, 3), (1, 1), (1, 1), (0, 0), False),
    ("mixed",       1, 2, 3, 4, 3, (3, 5), (2, 3), (0, 2), (1, 2), True),
    ("k_lt_s",      1, 2, 2, 3, 3, (1, 1), (2, 2), (0, 0), (1, 1), True),
    ("wide",        2, 3, 4, 7, 2, (5, 3), (3, 2), (2, 1), (2, 0), False),
]
for i, (name, n, cin, cout, h, w, k, s, p, op, has_bias) in enumerate(conv_t):
    torch.manual_seed(100 + i)
    x = torch.randn(n, cin, h, w)
    wt = torch.randn(cin, cout, *k)
    b = torch.randn(cout) if has_bias else None
    y, g, (dx, dw, db) = with_grads(
        lambda x_, w_, b_: F.conv_transpose2d(x_, w_, b_, stride=s, padding=p, output_padding=op), [x, wt, b])
    t = {"x": x, "weight": wt, "y": y, "g": g, "dx": dx, "dweight": dw}
    if has_bias:
        t.update({"bias": b, "dbias": db})
    case("convt_" + name, "conv_transpose2d", {"stride": list(s), "padding": list(p), "output_padding": list(op)}, t)

# Reflection and replication padding (left, right, top, bottom).
for i, (mode, pad, shape) in enumerate([("reflect", (1, 2, 3, 0), (2, 3, 5, 4)), ("reflect", (2, 2, 1, 1), (1, 1, 3, 3)),
                                         ("replicate", (2, 1, 0, 3), (2, 2, 4, 5)), ("replicate", (3, 3, 3, 3), (1, 3, 2, 2))]):
    torch.manual_seed(200 + i)
    x = torch.randn(*shape)
    y, g, (dx,) = with_grads(lambda x_: F.pad(x_, pad, mode=mode), [x])
    case("pad_%s_%d" % (mode, i), "pad", {"mode": mode, "pad": list(pad)}, {"x": x, "y": y, "g": g, "dx": dx})

# Instance norm, with and without affine parameters.
for i, affine in enumerate([True, False]):
    torch.manual_seed(300 + i)
    x = torch.randn(2, 3, 5, 7) * 3 + 1
    gamma, beta = torch.randn(3), torch.randn(3)
    if affine:
        y, g, (dx, dgamma, dbeta) = with_grads(
            lambda x_, g_, b_: F.instance_norm(x_, weight=g_, bias=b_, eps=1e-5), [x, gamma, beta])
        t = {"x": x, "gamma": gamma, "beta": beta, "y": y, "g": g, "dx": dx, "dgamma": dgamma, "dbeta": dbeta}
    else:
        y, g, (dx,) = with_grads(lambda x_: F.instance_norm(x_, eps=1e-5), [x])
        t = {"x": x, "y": y, "g": g, "dx": dx}
    case("instnorm_%s" % ("affine" if affine else "plain"), "instance_norm", {"affine": affine}, t)


# AdaIN exactly as the reference (naoto0804/pytorch-AdaIN function.py): unbiased variance + eps.
def reference_adain(content, style, eps=1e-5):
    def mean_std(f):
        n, c = f.shape[:2]
        var = f.view(n, c, -1).var(dim=2) + eps
        return f.view(n, c, -1).mean(dim=2).view(n, c, 1, 1), var.sqrt().view(n, c, 1, 1)
    cm, cs = mean_std(content)
    sm, ss = mean_std(style)
    return (content - cm.expand(content.size())) / cs.expand(content.size()) * ss.expand(content.size()) + sm.expand(content.size())


torch.manual_seed(400)
c, s = torch.randn(2, 3, 6, 5) * 2, torch.randn(2, 3, 4, 7) + 3
y, g, (dc, ds) = with_grads(reference_adain, [c, s])
case("adain", "adain", {}, {"content": c, "style": s, "y": y, "g": g, "dcontent": dc, "dstyle": ds})

# Up-sampling by integer factors.
for i, (mode, factor, shape) in enumerate([("nearest", 2, (1, 2, 3, 5)), ("nearest", 3, (2, 1, 2, 2)),
                                           ("bilinear", 2, (2, 3, 4, 5)), ("bilinear", 3, (1, 2, 3, 7)),
                                           ("bilinear", 4, (1, 1, 1, 3))]):
    torch.manual_seed(500 + i)
    x = torch.randn(*shape)
    kw = {"align_corners": False} if mode == "bilinear" else {}
    y, g, (dx,) = with_grads(lambda x_: F.interpolate(x_, scale_factor=factor, mode=mode, **kw), [x])
    case("up_%s_x%d_%d" % (mode, factor, i), "upsample", {"mode": mode, "factor": factor},
         {"x": x, "y": y, "g": g, "dx": dx})


# L-BFGS: iterates of torch.optim.LBFGS, one step() of max_iter=1 at a time.
def lbfgs_trajectory(param, loss_fn, steps, **options):
    opt = torch.optim.LBFGS([param], max_iter=1, **options)
    xs, losses = [], []

    def closure():
        opt.zero_grad()
        loss = loss_fn(param)
        loss.backward()
        return loss

    for _ in range(steps):
        opt.step(closure)
        xs.append(param.detach().clone())
        with torch.no_grad():
            losses.append(float(loss_fn(param)))
    return torch.stack(xs), torch.tensor(losses, dtype=torch.float64)


def rosenbrock(p):
    return (1 - p[0]) ** 2 + 100 * (p[1] - p[0] ** 2) ** 2


for line_search in ["strong_wolfe", None]:
    start = torch.tensor([-1.5, 2.0], dtype=torch.float64)
    lr = 1.0 if line_search else 0.1
    xs, losses = lbfgs_trajectory(start.clone().requires_grad_(True), rosenbrock, 60, lr=lr, history_size=10,
                                  line_search_fn=line_search)
    case("lbfgs_rosenbrock_%s" % (line_search or "fixed"), "lbfgs_rosenbrock",
         {"line_search": line_search or "none", "lr": lr, "history_size": 10, "steps": 60},
         {"start": start, "iterates": xs, "losses": losses})

torch.manual_seed(600)
kernel = torch.randn(1, 1, 3, 3)
target = torch.randn(1, 1, 8, 8)
init = torch.zeros(1, 1, 8, 8)
xs, losses = lbfgs_trajectory(init.clone().requires_grad_(True),
                              lambda p: ((F.conv2d(p, kernel, padding=1) - target) ** 2).mean(), 30,
                              history_size=20, line_search_fn="strong_wolfe")
case("lbfgs_image_fit", "lbfgs_image_fit", {"line_search": "strong_wolfe", "history_size": 20, "steps": 30},
     {"init": init, "kernel": kernel, "target": target, "iterates": xs, "losses": losses.float()})

save_index(os.path.join(out_dir, "cases.json"), cases)
print("wrote %d cases to %s" % (len(cases), out_dir))
