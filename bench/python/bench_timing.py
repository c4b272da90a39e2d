"""Timing shared by GenIJ's PyTorch benchmark scripts."""
import time


def median_ms(fn, warmup=2, runs=5):
    """Median wall time of fn() in milliseconds, after warm-up calls."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return sorted(times)[len(times) // 2] * 1000
