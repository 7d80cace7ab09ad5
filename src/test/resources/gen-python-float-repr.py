#!/usr/bin/env python3
"""Regenerates python-float-repr.tsv: '<Long.toHexString of the IEEE bits>\t<repr(x)>' per line.

Run from this folder: python3 gen-python-float-repr.py > python-float-repr.tsv
Deterministic (fixed seed). The lines cover the places where shortest round-trip printing and
Python's fixed/scientific layout are easy to get wrong.
"""
import math
import random
import struct

rng = random.Random(20251126)
seen = set()
lines = []


def bits(x):
    return struct.unpack("<Q", struct.pack("<d", x))[0]


def from_bits(b):
    return struct.unpack("<d", struct.pack("<Q", b))[0]


def add(x):
    b = bits(x)
    if b not in seen:
        seen.add(b)
        lines.append("%x\t%r" % (b, x))


def add_around(x, steps=1):
    for k in range(-steps, steps + 1):
        y = x
        for _ in range(abs(k)):
            y = math.nextafter(y, math.inf if k > 0 else -math.inf)
        add(y)


# Specials and the values named in the tests.
for x in [0.0, -0.0, math.inf, -math.inf, math.nan, 5e-324, 1.7976931348623157e308,
          2.2250738585072014e-308, 0.1 + 0.2, 0.8899999999999999, 1e-05, 1e16, 1e15,
          1e22, 1e23, 123456789012345680.0, 0.0001, 1.5e-07, 2.5, 1.0, 100.0]:
    add(x)
    add(-x)

# Random bit patterns: every exponent, either sign (NaN patterns skipped: repr is just 'nan').
while len(lines) < 5000:
    x = from_bits(rng.getrandbits(64))
    if not math.isnan(x):
        add(x)

# Random values in [0, 1), as scores and probabilities usually are, and simple arithmetic on them.
for _ in range(3000):
    add(rng.random())
for _ in range(1000):
    a, b = rng.random(), rng.random()
    add(a + b)
    add(a * b)

# Few digits: what round(x, k) and short literals produce.
for _ in range(3000):
    k = rng.randint(0, 6)
    add(round(rng.uniform(-1000, 1000), k))
for _ in range(500):
    add(rng.randint(1, 999) / 10 ** rng.randint(0, 8))
for i in range(1, 101):
    add(i / 100)
    add(i / 10)

# Powers of two (lopsided rounding intervals) and their lower neighbours.
for e in range(-1074, 1024):
    add(math.ldexp(1.0, e))
for e in range(-1074, 1024, 3):
    add(math.nextafter(math.ldexp(1.0, e), 0.0))

# Powers of ten and their neighbours.
for e in range(-323, 309):
    x = float("1e%d" % e)
    add_around(x, 1 if e % 2 else 0)

# Subnormals: the smallest ones, random ones, the edge to the normals.
for m in range(1, 200):
    add(m * 5e-324)
for _ in range(800):
    add(from_bits(rng.getrandbits(52)))
add_around(2.2250738585072014e-308, 3)

# Integers near 2^53 and beyond, where every double is an integer.
for base in [2.0 ** 53, 2.0 ** 54, 2.0 ** 60, 2.0 ** 63, 2.0 ** 64]:
    add_around(base, 40)
for _ in range(300):
    add(float(rng.randint(1, 2 ** 62)))

# The fixed/scientific switch at 1e16 and at 1e-4 / 1e-5, and values just inside and outside.
for x in [1e15, 1e16, 1e17, 9999999999999998.0, 999999999999999.9, 0.0001, 0.00001, 0.0001000001,
          0.00009999999999999999, 9.999999999999999e-05, 1.2345678901234567e16]:
    add_around(x, 20)
for _ in range(600):
    add(rng.uniform(1e15, 1e17))
    add(rng.uniform(1e-5, 1e-4))
    add(rng.uniform(1e-6, 1e-5))

# Fill up with random magnitudes across the whole range.
while len(lines) < 20000:
    add(rng.random() * 10.0 ** rng.randint(-320, 300) * rng.choice([1, -1]))

print("\n".join(lines))
