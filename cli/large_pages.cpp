// Large blocks on transparent huge pages (issue 11).
//
// The survkit process allocates a few large arrays (columns of 1e6-1e7 rows, sort keys,
// orders, Eigen matrices) and writes each once.  With 4 KiB pages every such array costs
// one page fault, kernel entry and page clear per 4 KiB: on the 1e6-row benchmarks that
// was a quarter of the run.  Most Linux systems run transparent huge pages in "madvise"
// mode, so a block only gets 2 MiB pages when asked for.  This wraps the C library's
// malloc in the command-line tool (the library is untouched): glibc's own allocator
// (__libc_malloc) does the work, and a block of at least kLargeBlock bytes is then given
// madvise(MADV_HUGEPAGE) on its whole 4 KiB pages -- what glibc's `glibc.malloc.hugetlb=1`
// tunable does, without asking users to set an environment variable.  Wrapping malloc
// (not only operator new, as before) also covers Eigen's matrices, which Eigen allocates
// with std::malloc.  free, calloc and realloc stay glibc's: the blocks are glibc's own.
// The advice is a hint: where THP is off ("never") or madvise fails, nothing changes.
// Results do not depend on it (only where the kernel puts the pages).
#include <cstdlib>
#include <cstdint>

#if defined(__linux__)
#include <sys/mman.h>
#endif

// Under AddressSanitizer (scripts/test.sh --sanitize) the sanitizer's own malloc stays in
// place: it intercepts malloc itself to check every access.
#if defined(__SANITIZE_ADDRESS__)
#define SURVKIT_WRAP_MALLOC 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SURVKIT_WRAP_MALLOC 0
#endif
#endif
#ifndef SURVKIT_WRAP_MALLOC
#define SURVKIT_WRAP_MALLOC 1
#endif

#if SURVKIT_WRAP_MALLOC && defined(__GLIBC__)
extern "C" void* __libc_malloc(std::size_t size) noexcept;

namespace {

constexpr std::size_t kLargeBlock = std::size_t{4} << 20;  // two huge pages and more

void advise_huge(void* p, std::size_t size) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  constexpr std::uintptr_t page = 4096;
  const auto begin = (reinterpret_cast<std::uintptr_t>(p) + page - 1) & ~(page - 1);
  const auto end = (reinterpret_cast<std::uintptr_t>(p) + size) & ~(page - 1);
  if (end > begin) ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
#else
  (void)p;
  (void)size;
#endif
}

}  // namespace

extern "C" void* malloc(std::size_t size) noexcept {
  void* p = __libc_malloc(size);
  if (p != nullptr && size >= kLargeBlock) advise_huge(p, size);
  return p;
}
#endif  // SURVKIT_WRAP_MALLOC && __GLIBC__
