#include "matching/r_random.hpp"

#include <cmath>

namespace survkit::matching {

namespace {
constexpr int kM = 397;
constexpr std::uint32_t kMatrixA = 0x9908b0dfU;
constexpr std::uint32_t kUpperMask = 0x80000000U;
constexpr std::uint32_t kLowerMask = 0x7fffffffU;
constexpr double k2to32inv = 2.3283064365386963e-10;  // R's MT_genrand scaling
constexpr double kI2to32m1 = 2.328306437080797e-10;   // R's fixup(): 1 / (2^32 - 1)
}  // namespace

RRandom::RRandom(std::int32_t seed) {
  // R's RNG_Init(): unsigned 32-bit arithmetic throughout (Int32 is unsigned int).
  auto s = static_cast<std::uint32_t>(seed);
  for (int j = 0; j < 50; ++j) s = 69069U * s + 1U;
  // dummy[0] (= mti) is the first of the 625 seeds; FixupSeeds then sets it to 624.
  s = 69069U * s + 1U;
  for (int j = 0; j < kN; ++j) {
    s = 69069U * s + 1U;
    mt_[static_cast<std::size_t>(j)] = s;
  }
  mti_ = kN;
}

double RRandom::unif_rand() {
  // MT19937 generation step (Matsumoto & Nishimura), as in R's MT_genrand().
  if (mti_ >= kN) {
    int kk = 0;
    std::uint32_t y = 0;
    for (; kk < kN - kM; ++kk) {
      y = (mt_[kk] & kUpperMask) | (mt_[kk + 1] & kLowerMask);
      mt_[kk] = mt_[kk + kM] ^ (y >> 1) ^ ((y & 1U) ? kMatrixA : 0U);
    }
    for (; kk < kN - 1; ++kk) {
      y = (mt_[kk] & kUpperMask) | (mt_[kk + 1] & kLowerMask);
      mt_[kk] = mt_[kk + (kM - kN)] ^ (y >> 1) ^ ((y & 1U) ? kMatrixA : 0U);
    }
    y = (mt_[kN - 1] & kUpperMask) | (mt_[0] & kLowerMask);
    mt_[kN - 1] = mt_[kM - 1] ^ (y >> 1) ^ ((y & 1U) ? kMatrixA : 0U);
    mti_ = 0;
  }
  std::uint32_t y = mt_[static_cast<std::size_t>(mti_++)];
  y ^= (y >> 11);
  y ^= (y << 7) & 0x9d2c5680U;
  y ^= (y << 15) & 0xefc60000U;
  y ^= (y >> 18);
  const double value = static_cast<double>(y) * k2to32inv;
  // R's fixup(): keep the value strictly inside (0, 1).
  if (value <= 0.0) return 0.5 * kI2to32m1;
  if (1.0 - value <= 0.0) return 1.0 - 0.5 * kI2to32m1;
  return value;
}

double RRandom::unif_index(double n) {
  if (n <= 0) return 0.0;
  const int bits = static_cast<int>(std::ceil(std::log2(n)));
  double dv = 0.0;
  do {
    // R's rbits(): 16 bits at a time, then mask to `bits` bits.
    std::int_least64_t v = 0;
    for (int k = 0; k <= bits; k += 16) {
      const auto v1 = static_cast<int>(std::floor(unif_rand() * 65536));
      v = 65536 * v + v1;
    }
    const std::int_least64_t one64 = 1;
    dv = static_cast<double>(v & ((one64 << bits) - 1));
  } while (n <= dv);
  return dv;
}

std::vector<std::int32_t> RRandom::sample_int(std::int32_t n) {
  // R's do_sample(), no replacement, no prob: x holds the not-yet-drawn values.
  std::vector<std::int32_t> x(static_cast<std::size_t>(n));
  for (std::int32_t i = 0; i < n; ++i) x[static_cast<std::size_t>(i)] = i;
  std::vector<std::int32_t> y(static_cast<std::size_t>(n));
  std::int32_t left = n;
  for (std::int32_t i = 0; i < n; ++i) {
    const auto j = static_cast<std::size_t>(unif_index(left));
    y[static_cast<std::size_t>(i)] = x[j] + 1;
    x[j] = x[static_cast<std::size_t>(--left)];
  }
  return y;
}

}  // namespace survkit::matching
