// Internal: R's default random number generator, bit for bit, so that
// matchit(m.order = "random") after set.seed(seed) can be reproduced.
//
// R (>= 3.6) defaults: RNGkind("Mersenne-Twister", "Inversion", "Rejection").
//  * set.seed(seed): the integer seed is scrambled by 50 LCG steps
//    (seed = 69069 * seed + 1), then each of the 625 state words (mti + mt[624]) is
//    the next LCG value; mti is then reset to 624 so the first draw regenerates.
//  * unif_rand(): MT19937 tempered word * 2^-32, nudged into the open interval (0, 1).
//  * sample.int(n): partial Fisher-Yates without replacement where every index is
//    drawn by R_unif_index(n) = rejection sampling of ceil(log2(n)) random bits,
//    the bits coming from 16-bit chunks floor(unif_rand() * 65536).
#pragma once

#include <array>
#include <cstdint>
#include <vector>

namespace survkit::matching {

class RRandom {
 public:
  /// State after R's set.seed(seed).
  explicit RRandom(std::int32_t seed);

  /// R's unif_rand() under Mersenne-Twister.
  double unif_rand();

  /// R's R_unif_index(n) with sample.kind = "Rejection": uniform on {0, ..., n-1}.
  double unif_index(double n);

  /// R's sample.int(n): a permutation of 1..n (1-based, as R returns it).
  std::vector<std::int32_t> sample_int(std::int32_t n);

 private:
  static constexpr int kN = 624;
  std::array<std::uint32_t, kN> mt_{};
  int mti_ = kN;
};

}  // namespace survkit::matching
