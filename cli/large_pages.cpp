// Large blocks on transparent huge pages (issue 11).
//
// The survkit process allocates a few large arrays (columns of 1e6-1e7 rows, sort keys,
// orders) and writes each once.  With 4 KiB pages every such array costs one page fault,
// kernel entry and page clear per 4 KiB: on the 1e6-row benchmarks that was a quarter
// of the run.  Most Linux systems run transparent huge pages in "madvise" mode, so a
// block only gets 2 MiB pages when asked for.  This replaces the global operator new /
// delete of the command-line tool (the library is untouched) with malloc / free plus,
// for blocks of at least kLargeBlock bytes, madvise(MADV_HUGEPAGE) on the block's whole
// 4 KiB pages -- what glibc's own `glibc.malloc.hugetlb=1` tunable does, without asking
// users to set an environment variable.  Small blocks are plain malloc.  The advice is
// a hint: where THP is off ("never") or madvise fails, nothing changes.  Results do not
// depend on it (only where the kernel puts the pages).
#include <cstdlib>
#include <cstdint>
#include <new>

#if defined(__linux__)
#include <sys/mman.h>
#endif

// Under AddressSanitizer (scripts/test.sh --sanitize) the sanitizer's own operator new
// stays in place: it checks new/delete pairing, which a replacement would switch off.
#if defined(__SANITIZE_ADDRESS__)
#define SURVKIT_REPLACE_NEW 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SURVKIT_REPLACE_NEW 0
#endif
#endif
#ifndef SURVKIT_REPLACE_NEW
#define SURVKIT_REPLACE_NEW 1
#endif

#if SURVKIT_REPLACE_NEW
namespace {

constexpr std::size_t kLargeBlock = std::size_t{4} << 20;  // two huge pages and more

void* allocate(std::size_t size) {
  void* p = std::malloc(size == 0 ? 1 : size);
  if (p == nullptr) throw std::bad_alloc();
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  if (size >= kLargeBlock) {
    constexpr std::uintptr_t page = 4096;
    const auto begin = (reinterpret_cast<std::uintptr_t>(p) + page - 1) & ~(page - 1);
    const auto end = (reinterpret_cast<std::uintptr_t>(p) + size) & ~(page - 1);
    ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
  }
#endif
  return p;
}

}  // namespace

void* operator new(std::size_t size) { return allocate(size); }
void* operator new[](std::size_t size) { return allocate(size); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
#endif  // SURVKIT_REPLACE_NEW
