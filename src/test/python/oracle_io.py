"""Writing test fixtures for the Java side: safetensors files (written by hand, so the oracle needs
nothing beyond torch and numpy) and a JSON index of the cases and their settings."""
import json
import struct

import torch

_DTYPES = {torch.float32: "F32", torch.float64: "F64", torch.int64: "I64", torch.int32: "I32",
           torch.int16: "I16", torch.int8: "I8", torch.uint8: "U8", torch.float16: "F16", torch.bool: "BOOL",
           torch.bfloat16: "BF16"}


def save_safetensors(path, tensors):
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        t = t.detach().contiguous().cpu()
        # numpy has no bfloat16: its bytes are those of the same bits read as int16
        data = (t.view(torch.int16) if t.dtype == torch.bfloat16 else t).numpy().tobytes()
        header[name] = {"dtype": _DTYPES[t.dtype], "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    head = json.dumps(header).encode("utf-8")
    head += b" " * (-len(head) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(head)))
        f.write(head)
        for b in blobs:
            f.write(b)


def save_index(path, cases):
    with open(path, "w") as f:
        json.dump(cases, f, indent=1)


_NUMPY = {"F32": "<f4", "F64": "<f8", "I64": "<i8", "I32": "<i4"}


def load_safetensors(path):
    """The tensors of a safetensors file that Java wrote (float and integer types)."""
    import numpy as np
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n).decode("utf-8"))
        data = f.read()
    out = {}
    for name, h in header.items():
        if name == "__metadata__":
            continue
        a, b = h["data_offsets"]
        out[name] = torch.from_numpy(np.frombuffer(data[a:b], dtype=_NUMPY[h["dtype"]]).copy().reshape(h["shape"]))
    return out
