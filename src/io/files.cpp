#include "survkit/io.hpp"

#include <fmt/core.h>

#include <cerrno>
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

void write_file_atomic(const std::string& path, const std::string& content) {
  namespace fs = std::filesystem;
  const fs::path target(path);
  const fs::path tmp = target.parent_path() / (target.filename().string() + ".survkit-tmp");
  {
    File f(std::fopen(tmp.c_str(), "wb"));
    if (!f) throw IoError(fmt::format("cannot write '{}': {}", path, std::strerror(errno)));
    if (std::fwrite(content.data(), 1, content.size(), f.get()) != content.size() ||
        std::fflush(f.get()) != 0) {
      std::error_code ec;
      fs::remove(tmp, ec);
      throw IoError(fmt::format("cannot write '{}': {}", path, std::strerror(errno)));
    }
  }
  std::error_code ec;
  fs::rename(tmp, target, ec);
  if (ec) {
    fs::remove(tmp, ec);
    throw IoError(fmt::format("cannot write '{}': {}", path, ec.message()));
  }
}

}  // namespace survkit
