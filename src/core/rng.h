// A small, portable pseudo-random generator (splitmix64 seeding xoshiro256**), so that a seed
// gives the same sequence natively and in wasm, whatever the standard library's engines do.
#pragma once

#include <cstdint>

namespace core {

class Rng {
public:
    explicit Rng(uint64_t seed)
    {
        uint64_t x = seed;
        for (uint64_t& s : m_state) {
            x += 0x9E3779B97F4A7C15ull;
            uint64_t z = x;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
            s = z ^ (z >> 31);
        }
    }

    uint64_t next_u64()
    {
        const uint64_t result = rotl(m_state[1] * 5, 7) * 9;
        const uint64_t t = m_state[1] << 17;
        m_state[2] ^= m_state[0];
        m_state[3] ^= m_state[1];
        m_state[1] ^= m_state[2];
        m_state[0] ^= m_state[3];
        m_state[2] ^= t;
        m_state[3] = rotl(m_state[3], 45);
        return result;
    }

    /// Uniform in [0, 1) with 53 random bits.
    double uniform() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }

    /// Uniform integer in [0, n), n > 0 (Lemire's multiply-shift; the tiny bias is irrelevant here).
    uint64_t below(uint64_t n)
    {
        const unsigned __int128 m = static_cast<unsigned __int128>(next_u64()) * n;
        return static_cast<uint64_t>(m >> 64);
    }

private:
    static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    uint64_t m_state[4] = {0, 0, 0, 0};
};

} // namespace core
