#include "matching/nearest/nn_kernel.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "matching/radix_order.hpp"

namespace survkit::matching {

namespace {

// The controls that may still be used, as positions 0..m-1 in distance order, with
// union-find links to the nearest free position at or left of / at or right of a
// position.  Removing a control and finding the nearest free one are amortised
// near-constant (path halving), so a whole match is O(n log n) for the sort plus
// O(n alpha(n)) for the search, instead of MatchIt's walk over used controls.
class FreeControls {
 public:
  explicit FreeControls(std::size_t m) : left_(m + 1), right_(m + 1) {
    // left_ is shifted by one: slot 0 is the "nothing to the left" sentinel.
    std::iota(left_.begin(), left_.end(), std::size_t{0});
    std::iota(right_.begin(), right_.end(), std::size_t{0});  // slot m: "nothing right"
  }
  /// Largest free position <= p (p may be -1 as kNone), or kNone.
  std::size_t free_left(std::size_t p) {
    std::size_t x = (p == kNone) ? 0 : p + 1;
    while (left_[x] != x) {
      left_[x] = left_[left_[x]];
      x = left_[x];
    }
    return x == 0 ? kNone : x - 1;
  }
  /// Smallest free position >= p, or kNone.
  std::size_t free_right(std::size_t p) {
    std::size_t x = p;
    while (right_[x] != x) {
      right_[x] = right_[right_[x]];
      x = right_[x];
    }
    return x == right_.size() - 1 ? kNone : x;
  }
  void remove(std::size_t p) {
    left_[p + 1] = p;
    right_[p] = p + 1;
  }

 private:
  std::vector<std::size_t> left_;
  std::vector<std::size_t> right_;
};

// Whether `unit` is skipped because of the controls already in this treated unit's
// row.  MatchIt meant "already matched to this unit", but nn_matchC_vec compares the
// 0-based index of the candidate with the 1-based indices stored in the row, so it
// skips the unit *after* each earlier match (in data order) instead; with replacement
// the same control can then be taken twice.  `matchit_451` selects MatchIt 4.5.1's
// behaviour, as for the distance comparison.
bool skipped(std::span<const std::size_t> row, std::size_t unit, bool matchit_451) {
  for (std::size_t prev : row)
    if ((matchit_451 ? prev + 1 : prev) == unit) return true;
  return false;
}

}  // namespace

std::vector<std::size_t> nn_match(const NnProblem& pb) {
  const std::size_t n = pb.treat.size();
  // MatchIt sorts all units with sort.list(distance), a stable radix sort: equal
  // distances stay in data order.  "Left" / "right" of a treated unit refer to this
  // order, which decides ties between equally distant controls (see below).
  // radix_order() is that stable sort, in O(n).
  const std::vector<std::uint32_t> by_distance = radix_order(pb.distance);

  // Usable controls in distance order; for each treated unit (data order), the number
  // of usable controls sorted before it.  Discarded controls are never usable, so they
  // are simply left out.
  std::vector<std::size_t> treated_index(n, kNone);
  std::size_t n1 = 0;
  for (std::size_t i = 0; i < n; ++i)
    if (pb.treat[i] == 1) treated_index[i] = n1++;
  std::vector<std::size_t> controls;
  std::vector<std::size_t> split(n1, 0);
  std::vector<std::size_t> treated_unit(n1, 0);
  for (std::size_t i : by_distance) {
    if (pb.treat[i] == 1) {
      split[treated_index[i]] = controls.size();
      treated_unit[treated_index[i]] = i;
    } else if (!pb.discarded[i]) {
      controls.push_back(i);
    }
  }

  std::vector<std::size_t> mm(n1 * pb.ratio, kNone);
  const std::size_t m = controls.size();
  if (m == 0) return mm;
  FreeControls free(m);
  std::size_t n_free = m;

  for (std::size_t r = 0; r < pb.ratio && n_free > 0; ++r) {
    for (std::size_t t : pb.order) {
      if (n_free == 0) break;  // MatchIt stops as soon as no control can be matched
      const std::size_t unit = treated_unit[t];
      if (pb.discarded[unit]) continue;
      const double dt = pb.distance[unit];
      // MatchIt 4.5.1 calls the C abs(int) on a double difference, i.e. trunc(|x|).
      auto gap = [&](std::size_t c) {
        const double g = std::abs(pb.distance[controls[c]] - dt);
        return pb.matchit_quirks ? std::trunc(g) : g;
      };
      std::span<const std::size_t> row(mm.data() + t * pb.ratio, r);

      // Nearest usable control on each side.  Without replacement used controls are
      // removed from `free`; with replacement they stay, and only the controls already
      // in this treated unit's row (< ratio of them) are stepped over (see skipped()).
      std::size_t left = free.free_left(split[t] == 0 ? kNone : split[t] - 1);
      while (left != kNone && skipped(row, controls[left], pb.matchit_quirks))
        left = left == 0 ? kNone : free.free_left(left - 1);
      std::size_t right = split[t] < m ? free.free_right(split[t]) : kNone;
      while (right != kNone && skipped(row, controls[right], pb.matchit_quirks))
        right = right + 1 < m ? free.free_right(right + 1) : kNone;

      // MatchIt checks the caliper on the nearest usable control of a side only: if
      // that one is too far, the side offers nothing (distances grow away from dt).
      if (pb.use_caliper) {
        if (left != kNone && gap(left) > pb.caliper) left = kNone;
        if (right != kNone && gap(right) > pb.caliper) right = kNone;
      }
      std::size_t chosen = kNone;
      if (left != kNone && right != kNone) {
        // Equal distances go to the left (the smaller distance), as MatchIt's `<=`.
        chosen = gap(left) <= gap(right) ? left : right;
      } else {
        chosen = left != kNone ? left : right;
      }
      if (chosen == kNone) continue;
      mm[t * pb.ratio + r] = controls[chosen];
      if (!pb.replace) {
        free.remove(chosen);
        --n_free;
      }
    }
  }
  return mm;
}

}  // namespace survkit::matching
