#!/usr/bin/env python3
"""Writes data/fashion-mnist-sample: the first 10,000 training and 2,000 test images of
Fashion-MNIST from Debian's dataset-fashion-mnist, as gzip'd IDX files (byte-identical on rerun)."""
import gzip
import os
import struct

SRC = '/usr/share/datasets/fashion-mnist/'
DST = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data', 'fashion-mnist-sample')


def subset(name, n):
    raw = gzip.open(SRC + name, 'rb').read()
    magic = struct.unpack('>I', raw[:4])[0]
    if magic == 0x803:
        _, _, rows, cols = struct.unpack('>IIII', raw[:16])
        out = struct.pack('>IIII', magic, n, rows, cols) + raw[16:16 + n * rows * cols]
    elif magic == 0x801:
        out = struct.pack('>II', magic, n) + raw[8:8 + n]
    else:
        raise SystemExit(f'{name}: unexpected IDX magic {magic:#x}')
    with open(os.path.join(DST, name), 'wb') as f, gzip.GzipFile(fileobj=f, mode='wb', mtime=0, filename='') as g:
        g.write(out)


if __name__ == '__main__':
    os.makedirs(DST, exist_ok=True)
    subset('train-images-idx3-ubyte.gz', 10000)
    subset('train-labels-idx1-ubyte.gz', 10000)
    subset('t10k-images-idx3-ubyte.gz', 2000)
    subset('t10k-labels-idx1-ubyte.gz', 2000)
