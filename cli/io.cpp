#include "io.hpp"

#include <fmt/core.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>

namespace survkit::cli {

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

Table load_table(const std::string& path, const std::vector<std::string>& factor_columns) {
  CsvOptions options;
  options.source = path;  // as the user typed it, so messages point at the right file
  options.factor_columns = factor_columns;
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

}  // namespace survkit::cli
