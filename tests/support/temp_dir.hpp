// Shared test support: a fresh temporary folder per test, removed when it goes out of
// scope.  The one helper for every test that writes files (report folders, CLI outputs,
// scratch data): mkdtemp under the system's temp folder, so parallel ctest runs and
// concurrent test processes never share a folder.
#pragma once

#include <stdlib.h>  // mkdtemp (POSIX)

#include <algorithm>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

namespace test_support {

class TempDir {
 public:
  /// Creates <temp>/<prefix>-XXXXXX; `prefix` names the test area, for a reader of /tmp.
  explicit TempDir(const std::string& prefix = "survkit-test") {
    std::string tmpl = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
    if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed for " + tmpl);
    path = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  /// The path of `name` inside the folder, as a string (for CLI arguments).
  std::string operator/(const std::string& name) const { return (path / name).string(); }

  /// Every entry's name, hidden ones included, sorted.
  std::vector<std::string> entries() const {
    std::vector<std::string> out;
    for (const auto& e : std::filesystem::directory_iterator(path)) out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
  }

  std::filesystem::path path;
};

}  // namespace test_support
