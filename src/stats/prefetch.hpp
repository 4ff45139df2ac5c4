// Internal: a hint to bring one cache line in before a random read.
//
// For gathers through a permutation or a rank (x[order[k]]): the addresses of later
// iterations are known, so asking for them some rows early lets the cache misses
// overlap instead of waiting for each in turn.  The hint reads nothing and changes
// nothing, whatever the address (even one past an array), so results cannot depend on it.
#pragma once

#include <cstddef>

namespace survkit::stats {

/// Rows ahead at which a gather loop asks for its lines (a few hundred nanoseconds of
/// work at the loops' speeds: enough to cover a miss to memory).
inline constexpr unsigned kPrefetchAhead = 16;

/// GCC 12 deletes __builtin_prefetch as dead code in some loops (-ftree-dce; seen in the
/// assembly of the concordance), so on x86 the instruction is written out.
inline void prefetch_line(const void* p) {
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
  asm volatile("prefetcht0 %0" : : "m"(*static_cast<const char*>(p)));
#else
  __builtin_prefetch(p);
#endif
}

/// In a loop over k < n that reads values[index[k]]: asks for the line that iteration
/// k + kPrefetchAhead will read (nothing near the end).
template <class T, class Index>
inline void prefetch_gather(const T* values, const Index* index, std::size_t k, std::size_t n) {
  if (k + kPrefetchAhead < n) prefetch_line(values + index[k + kPrefetchAhead]);
}

}  // namespace survkit::stats
