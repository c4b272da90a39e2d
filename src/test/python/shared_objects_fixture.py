"""A checkpoint that is tiny on disk but huge to walk: one list shared four ways at each of 60 levels
(pickle's memo stores it once per level, so 4^60 paths lead to the bottom). Usage: FOLDER."""
import os
import sys

import torch

folder = sys.argv[1]
os.makedirs(folder, exist_ok=True)
x = [torch.zeros(2)]
for _ in range(60):
    x = [x, x, x, x]
torch.save({"state_dict": {"w": torch.ones(3)}, "shared": x}, os.path.join(folder, "shared_lists.pth"))
torch.save({"shared": x}, os.path.join(folder, "shared_lists_legacy.pth"), _use_new_zipfile_serialization=False)
# the same as a plain pickle (how NVIDIA's network snapshots are written)
import pickle
with open(os.path.join(folder, "shared_lists.pkl"), "wb") as f:
    pickle.dump({"G_ema": {"w": torch.ones(3)}, "shared": x}, f, protocol=4)
