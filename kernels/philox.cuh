// Philox4x32-10 counter-based random numbers and Box-Muller normals.
// The NumPy twin, bit for bit, is tinygrad_ko/backend/philox.py; read its docstring first.
//
// Layout of a draw with (seed, offset): element i comes from Philox block b = i / 4,
//     counter = (lo32(b), hi32(b), lo32(offset), hi32(offset)),  key = (lo32(seed), hi32(seed)),
// and takes word i % 4 of the block (raw), or normal i % 4 of the block, where the
// normals are Box-Muller of the word pairs (w0, w1) -> (n0, n1) and (w2, w3) -> (n2, n3).
#ifndef TINYGRAD_KO_PHILOX_CUH
#define TINYGRAD_KO_PHILOX_CUH

// Ten rounds of: (hi0, lo0) = M0 * c0, (hi1, lo1) = M1 * c2  (64-bit products),
//                c = (hi1 ^ c1 ^ k0, lo1, hi0 ^ c3 ^ k1, lo0),
// with the key growing by (W0, W1) before every round but the first.
__device__ inline uint4 philox4x32_10(uint4 c, uint2 k) {
    const unsigned int M0 = 0xD2511F53u, M1 = 0xCD9E8D57u;
    const unsigned int W0 = 0x9E3779B9u, W1 = 0xBB67AE85u;
    for (int round = 0; round < 10; ++round) {
        if (round > 0) {
            k.x += W0;
            k.y += W1;
        }
        const unsigned int hi0 = __umulhi(M0, c.x), lo0 = M0 * c.x;
        const unsigned int hi1 = __umulhi(M1, c.z), lo1 = M1 * c.z;
        c = make_uint4(hi1 ^ c.y ^ k.x, lo1, hi0 ^ c.w ^ k.y, lo0);
    }
    return c;
}

// The four words of block b of the draw (seed, offset).
__device__ inline uint4 philox_block(unsigned long long seed, unsigned long long offset, long long b) {
    const unsigned long long ub = (unsigned long long)b;
    const uint4 counter = make_uint4((unsigned int)ub, (unsigned int)(ub >> 32),
                                     (unsigned int)offset, (unsigned int)(offset >> 32));
    return philox4x32_10(counter, make_uint2((unsigned int)seed, (unsigned int)(seed >> 32)));
}

// U(w) = (floor(w / 2^9) + 0.5) / 2^23: an odd multiple of 2^-24, exact in float, in (0, 1).
__device__ inline float uniform_open(unsigned int w) {
    return ((float)(w >> 9) + 0.5f) * 0x1p-23f;
}

// Box-Muller: r = sqrt(-2 ln u1), n0 = r cos(2 pi u2), n1 = r sin(2 pi u2).
// T is float or double; sincospi(x) gives sin(pi x) and cos(pi x), overloaded for both.
template <typename T>
__device__ inline void box_muller(unsigned int w1, unsigned int w2, T& n0, T& n1) {
    const T u1 = uniform_open(w1), u2 = uniform_open(w2);
    const T r = sqrt(T(-2) * log(u1));
    T s, c;
    sincospi(T(2) * u2, &s, &c);
    n0 = r * c;
    n1 = r * s;
}

// The four standard normals of block b: n[j] belongs to element 4 * b + j.
template <typename T>
__device__ inline void normal4(unsigned long long seed, unsigned long long offset, long long b, T n[4]) {
    const uint4 w = philox_block(seed, offset, b);
    box_muller(w.x, w.y, n[0], n[1]);
    box_muller(w.z, w.w, n[2], n[3]);
}

#endif  // TINYGRAD_KO_PHILOX_CUH
