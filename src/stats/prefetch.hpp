// Internal: a hint to bring one cache line in before a random read.
//
// For gathers through a permutation or a rank (x[order[k]]): the addresses of later
// iterations are known, so asking for them some rows early lets the cache misses
// overlap instead of waiting for each in turn.  The hint reads nothing and changes
// nothing, whatever the address (even one past an array), so results cannot depend on it.
#pragma once

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

}  // namespace survkit::stats
