#!/usr/bin/env python3
"""PyTorch CPU baseline for modelc's training benchmarks: one epoch of examples/mnist_mlp.model
and examples/mnist_cnn.model (the same layers, Adam lr=1e-3, batch 128, shuffled) on the full
Fashion-MNIST training set, printing samples/s.

Run with Debian's torch and OpenBLAS (apt-get install python3-torch libopenblas0-pthread
dataset-fashion-mnist), via /usr/bin/python3. Thread pools: torch's OpenMP pool and OpenBLAS's
pool both default to the core count and oversubscribe a 2-core machine, so try the settings:

  OPENBLAS_NUM_THREADS=2 /usr/bin/python3 bench/pytorch_baseline.py mlp --threads 1
  OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/pytorch_baseline.py cnn --threads 2

and quote the best, measured in the same sitting as modelc's figures (../shared/RECIPES.md).
"""
import argparse
import gzip
import struct
import time

import numpy as np
import torch
import torch.nn.functional as F

DATA = '/usr/share/datasets/fashion-mnist/'


def idx(name):
    raw = gzip.open(DATA + name, 'rb').read()
    magic = struct.unpack('>I', raw[:4])[0]
    dims = struct.unpack('>' + 'I' * (magic & 0xff), raw[4:4 + 4 * (magic & 0xff)])
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * len(dims)).reshape(dims)


class Mlp(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.l1, self.l2 = torch.nn.Linear(784, 256), torch.nn.Linear(256, 128)
        self.l3, self.l4 = torch.nn.Linear(128, 64), torch.nn.Linear(64, 10)

    def forward(self, x):
        x = x.reshape(x.shape[0], 784)
        return self.l4(F.relu(self.l3(F.relu(self.l2(F.relu(self.l1(x)))))))


class Cnn(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.c1, self.c2 = torch.nn.Conv2d(1, 32, 3), torch.nn.Conv2d(32, 64, 3)
        self.l3, self.l4 = torch.nn.Linear(1600, 128), torch.nn.Linear(128, 10)

    def forward(self, x):
        x = x.reshape(-1, 1, 28, 28)
        x = F.max_pool2d(F.relu(self.c1(x)), 2)
        x = F.max_pool2d(F.relu(self.c2(x)), 2)
        return self.l4(F.relu(self.l3(x.flatten(1))))


def infer(model, a):
    """The forward pass's latency at a batch size: the median of timed calls after a warm-up, no autograd."""
    x = torch.rand(a.batch, 1, 28, 28)
    if a.model == 'mlp':
        x = x.reshape(a.batch, 784)
    times = []
    with torch.no_grad():
        for i in range(2200):
            t = time.perf_counter()
            model(x)
            if i >= 200:
                times.append(time.perf_counter() - t)
    times.sort()
    print(f'{a.model} forward batch={a.batch}: median_ms={1000 * times[len(times) // 2]:.4f} min_ms={1000 * times[0]:.4f} '
          f'threads={a.threads} openblas={__import__("os").environ.get("OPENBLAS_NUM_THREADS", "default")}')


def matmul(a):
    """cuBLAS (or the CPU's BLAS) f32 matmul of --matmul N on --device: GFLOP/s, the median of timed calls, with TF32 off and on."""
    dev = torch.device(a.device)
    x = torch.rand(a.matmul, a.matmul, device=dev)
    y = torch.rand(a.matmul, a.matmul, device=dev)
    modes = [False, True] if dev.type == 'cuda' else [False]
    for tf32 in modes:
        if dev.type == 'cuda':
            torch.backends.cuda.matmul.allow_tf32 = tf32
        times = []
        for i in range(23):
            if dev.type == 'cuda':
                torch.cuda.synchronize()
            t = time.perf_counter()
            x @ y
            if dev.type == 'cuda':
                torch.cuda.synchronize()
            if i >= 3:
                times.append(time.perf_counter() - t)
        times.sort()
        print(f'matmul {a.matmul}^3 on {a.device}{" tf32" if tf32 else ""}: {2 * a.matmul ** 3 / times[len(times) // 2] / 1e9:.0f} GFLOP/s')


def main():
    p = argparse.ArgumentParser()
    p.add_argument('model', choices=['mlp', 'cnn'])
    p.add_argument('--threads', type=int, default=1)
    p.add_argument('--batch', type=int, default=128)
    p.add_argument('--epochs', type=int, default=1)
    p.add_argument('--infer', action='store_true', help='time the forward pass (logits) at --batch instead of training')
    p.add_argument('--device', default='cpu', help='cpu or cuda')
    p.add_argument('--matmul', type=int, default=0, help='time an N^3 f32 matmul on --device instead (the model argument is ignored)')
    a = p.parse_args()
    if a.matmul:
        matmul(a)
        return
    torch.set_num_threads(a.threads)
    torch.manual_seed(42)
    if a.infer:
        infer(Mlp() if a.model == 'mlp' else Cnn(), a)
        return
    x = torch.from_numpy(idx('train-images-idx3-ubyte.gz').astype(np.float32) / 255).reshape(-1, 1, 28, 28)
    y = torch.from_numpy(idx('train-labels-idx1-ubyte.gz').astype(np.int64))
    tx = torch.from_numpy(idx('t10k-images-idx3-ubyte.gz').astype(np.float32) / 255).reshape(-1, 1, 28, 28)
    ty = torch.from_numpy(idx('t10k-labels-idx1-ubyte.gz').astype(np.int64))
    dev = torch.device(a.device)
    x, y, tx, ty = x.to(dev), y.to(dev), tx.to(dev), ty.to(dev)
    model = (Mlp() if a.model == 'mlp' else Cnn()).to(dev)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(a.epochs):
        order = torch.randperm(len(x), device=dev)
        start = time.perf_counter()
        for i in range(0, len(x), a.batch):
            b = order[i:i + a.batch]
            opt.zero_grad()
            loss = F.cross_entropy(model(x[b]), y[b])
            loss.backward()
            opt.step()
        if dev.type == 'cuda':
            torch.cuda.synchronize()
        seconds = time.perf_counter() - start
        with torch.no_grad():
            acc = (model(tx).argmax(1) == ty).float().mean().item()
        print(f'{a.model} epoch {epoch + 1}: samples_per_s={len(x) / seconds:.0f} seconds={seconds:.1f} '
              f'test_accuracy={acc:.4f} threads={a.threads} openblas={__import__("os").environ.get("OPENBLAS_NUM_THREADS", "default")} device={a.device}')


if __name__ == '__main__':
    main()
