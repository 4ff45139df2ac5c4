// survkit::data (xlsx): a zip archive opened read-only with libzip.
#pragma once

#include <zip.h>

#include <functional>
#include <string>
#include <string_view>

namespace survkit::data::xlsx {

class ZipArchive {
 public:
  /// Opens `path`; throws IoError when it cannot be opened and InputError when it is
  /// not a zip archive (an .xlsx always is) or is damaged.
  explicit ZipArchive(const std::string& path);
  ~ZipArchive();
  ZipArchive(const ZipArchive&) = delete;
  ZipArchive& operator=(const ZipArchive&) = delete;

  bool has(const std::string& name) const;
  /// The whole entry; throws InputError naming it when it is missing or damaged.
  std::string read(const std::string& name) const;
  /// The entry in blocks of about `block` bytes, each passed to `sink` in order.
  void stream(const std::string& name, std::size_t block, const std::function<void(std::string_view)>& sink) const;

 private:
  std::string path_;
  zip_t* zip_ = nullptr;
};

}  // namespace survkit::data::xlsx
