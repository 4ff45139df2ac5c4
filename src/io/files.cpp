#include "survkit/io.hpp"

#include <fmt/core.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string_view>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace survkit {

namespace {
struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};
using File = std::unique_ptr<std::FILE, FileCloser>;
}  // namespace

std::string read_file(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw IoError(fmt::format("cannot read '{}': it is a folder, not a file", path));
  File f(std::fopen(path.c_str(), "rb"));
  if (!f) throw IoError(fmt::format("cannot open '{}': {}", path, std::strerror(errno)));
  std::string text;
  // One allocation of the right size when the size is known (regular files); pipes
  // and the like grow the buffer as they go.
  if (std::fseek(f.get(), 0, SEEK_END) == 0) {
    long size = std::ftell(f.get());
    if (size > 0) text.reserve(static_cast<std::size_t>(size));
    std::rewind(f.get());
  }
  char buf[1 << 16];
  std::size_t got;
  while ((got = std::fread(buf, 1, sizeof buf, f.get())) > 0) text.append(buf, got);
  if (std::ferror(f.get())) throw IoError(fmt::format("error while reading '{}'", path));
  return text;
}

namespace {

// A regular file mapped read-only.  Pages the parser is done with are dropped with
// MADV_DONTNEED (CsvOptions::release): they leave the resident set, and reading them
// again (the parser's rare catch-up pass) faults them back in from the file.  So the
// peak memory of loading is the parsed table plus a few MB of text, not the whole file.
class MappedFile {
 public:
  // Returns false (and maps nothing) for anything but a non-empty regular file.
  bool open(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0) {
      ::close(fd);
      return false;
    }
    size_ = static_cast<std::size_t>(st.st_size);
    void* p = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
    ::close(fd);  // the mapping keeps the file
    if (p == MAP_FAILED) return false;
    data_ = static_cast<const char*>(p);
    ::madvise(const_cast<char*>(data_), size_, MADV_SEQUENTIAL);
    return true;
  }
  MappedFile() = default;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile() {
    if (data_ != nullptr) ::munmap(const_cast<char*>(data_), size_);
  }
  std::string_view text() const { return {data_, size_}; }
  // Drops the whole pages inside [offset, offset + length).
  void release(std::size_t offset, std::size_t length) const {
    static const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    const std::size_t first = (offset + page - 1) / page * page;
    const std::size_t last = (offset + length) / page * page;
    if (last > first) ::madvise(const_cast<char*>(data_) + first, last - first, MADV_DONTNEED);
  }

 private:
  const char* data_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace

Table load_table(const std::string& path, const std::vector<std::string>& factor_columns) {
  CsvOptions options;
  options.source = path;  // as the user typed it, so messages point at the right file
  options.factor_columns = factor_columns;
  MappedFile mapped;
  if (mapped.open(path)) {
    options.release = [&mapped](std::size_t offset, std::size_t length) { mapped.release(offset, length); };
    return parse_csv(mapped.text(), options);
  }
  // Pipes, empty files, folders and unreadable paths: read_file gives the right message
  // or the whole text.
  const std::string text = read_file(path);
  return parse_csv(text, options);
}

namespace {

[[noreturn]] void write_error(const std::string& path, int err) {
  throw IoError(fmt::format("cannot write '{}': {}", path, std::strerror(err)));
}

// The file a write to `path` lands in: symbolic links are followed to their final
// target (relative links resolved against the link's folder), so the link survives and
// the file it points to is replaced.  A dangling link gives the path it names.
std::filesystem::path resolve_links(const std::string& path) {
  namespace fs = std::filesystem;
  fs::path p(path);
  for (int hops = 0; hops < 40; ++hops) {
    std::error_code ec;
    const fs::file_status st = fs::symlink_status(p, ec);
    if (ec || !fs::is_symlink(st)) return p;
    fs::path next = fs::read_symlink(p, ec);
    if (ec) return p;
    p = next.is_absolute() ? next : p.parent_path() / next;
  }
  throw IoError(fmt::format("cannot write '{}': {}", path, std::strerror(ELOOP)));
}

void write_all(int fd, const std::string& content) {
  const char* data = content.data();
  std::size_t left = content.size();
  while (left > 0) {
    const ssize_t got = ::write(fd, data, left);
    if (got < 0) {
      if (errno == EINTR) continue;
      throw errno;
    }
    data += got;
    left -= static_cast<std::size_t>(got);
  }
}

// The permissions of a new file: 0666 less the umask, as fopen would give.
mode_t new_file_mode() {
  const mode_t mask = ::umask(0);
  ::umask(mask);
  return 0666 & ~mask;
}

// Creates an unnamed file in `dir` (O_TMPFILE: a crash leaves nothing behind), or, where
// the file system cannot, a uniquely named hidden one (mkstemp: O_CREAT | O_EXCL).
// `named` is empty for the unnamed file.
int create_temp(const std::filesystem::path& dir, const std::string& stem, std::string& named) {
  named.clear();
  const std::string d = dir.empty() ? std::string(".") : dir.string();
#ifdef O_TMPFILE
  // The unnamed file is named later through /proc/self/fd (link_temp): only with /proc.
  if (::access("/proc/self/fd", X_OK) == 0) {
    const int fd = ::open(d.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
    if (fd >= 0) return fd;
    if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL) return -1;
  }
#endif
  std::string tmpl = (dir / ("." + stem + ".survkit-XXXXXX")).string();
  const int fd2 = ::mkostemp(tmpl.data(), O_CLOEXEC);
  if (fd2 >= 0) named = tmpl;
  return fd2;
}

// Gives the unnamed file `fd` a unique hidden name in `dir` (linkat needs a name that
// does not exist; rename then replaces the target atomically).
std::string link_temp(int fd, const std::filesystem::path& dir, const std::string& stem) {
  const std::string proc = "/proc/self/fd/" + std::to_string(fd);
  for (unsigned attempt = 0; attempt < 100; ++attempt) {
    const std::string name =
        (dir / fmt::format(".{}.survkit-{}-{}-{}", stem, ::getpid(), attempt,
                                       std::chrono::steady_clock::now().time_since_epoch().count() & 0xffffff)).string();
    if (::linkat(AT_FDCWD, proc.c_str(), AT_FDCWD, name.c_str(), AT_SYMLINK_FOLLOW) == 0) return name;
    if (errno != EEXIST) throw errno;
  }
  throw static_cast<int>(EEXIST);
}

}  // namespace

void write_file_atomic(const std::string& path, const std::string& content) {
  namespace fs = std::filesystem;
  const fs::path target = resolve_links(path);
  // Only a regular file (or nothing) may be replaced: a device (/dev/full, /dev/null),
  // a folder or a pipe is refused instead of being swapped for a regular file.
  struct stat st {};
  const bool exists = ::stat(target.c_str(), &st) == 0;
  if (!exists && errno != ENOENT) write_error(path, errno);
  if (exists && S_ISDIR(st.st_mode)) write_error(path, EISDIR);
  if (exists && !S_ISREG(st.st_mode))
    throw IoError(fmt::format("cannot write '{}': it is not a regular file (a device, pipe or socket)", path));
  const fs::path dir = target.parent_path();
  const std::string stem = target.filename().string();

  std::string named;  // the temporary file's name once it has one
  int fd = create_temp(dir, stem, named);
  if (fd < 0) write_error(path, errno);
  try {
    // An existing file keeps its permissions (a 0600 patient file stays 0600) and,
    // where allowed, its owner; a new one gets 0666 less the umask.
    if (::fchmod(fd, exists ? (st.st_mode & 07777) : new_file_mode()) != 0) throw errno;
    if (exists && (st.st_uid != ::geteuid() || st.st_gid != ::getegid()))
      (void)!::fchown(fd, st.st_uid, st.st_gid);  // only root may; otherwise the writer owns it
    write_all(fd, content);
    if (::fsync(fd) != 0) throw errno;
    if (named.empty()) named = link_temp(fd, dir, stem);
    const int closed = ::close(fd);
    fd = -1;
    if (closed != 0) throw errno;
    if (::rename(named.c_str(), target.c_str()) != 0) throw errno;
    named.clear();
  } catch (int err) {
    if (fd >= 0) ::close(fd);
    if (!named.empty()) ::unlink(named.c_str());
    write_error(path, err);
  }
  // The rename itself is made durable with the folder (best effort: not every file
  // system lets a folder be opened for fsync).
  const int dfd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
}

}  // namespace survkit
