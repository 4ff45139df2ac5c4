#include "data/xlsx/zip_entry.hpp"

#include <memory>
#include <vector>

#include "survkit/common.hpp"
#include "survkit/io.hpp"

namespace survkit::data::xlsx {

namespace {
struct FileCloser {
  void operator()(zip_file_t* f) const { zip_fclose(f); }
};
}  // namespace

ZipArchive::ZipArchive(const std::string& path) : path_(path) {
  int code = 0;
  zip_ = zip_open(path.c_str(), ZIP_RDONLY | ZIP_CHECKCONS, &code);
  if (zip_ != nullptr) return;
  zip_error_t error;
  zip_error_init_with_code(&error, code);
  const std::string what = zip_error_strerror(&error);
  zip_error_fini(&error);
  if (code == ZIP_ER_OPEN || code == ZIP_ER_NOENT || code == ZIP_ER_READ || code == ZIP_ER_MEMORY)
    throw IoError("cannot open '" + path + "': " + what);
  if (code == ZIP_ER_NOZIP)
    throw InputError(path + ": not an .xlsx workbook: the file is not a zip archive (" + what + ")", path);
  throw InputError(path + ": a damaged .xlsx workbook: " + what, path);
}

ZipArchive::~ZipArchive() {
  if (zip_ != nullptr) zip_discard(zip_);
}

bool ZipArchive::has(const std::string& name) const { return zip_name_locate(zip_, name.c_str(), 0) >= 0; }

void ZipArchive::stream(const std::string& name, std::size_t block,
                        const std::function<void(std::string_view)>& sink) const {
  std::unique_ptr<zip_file_t, FileCloser> f(zip_fopen(zip_, name.c_str(), 0));
  if (!f)
    throw InputError(path_ + ": not a usable .xlsx workbook: part " + name + " is missing or unreadable (" +
                         zip_strerror(zip_) + ")",
                     path_);
  std::vector<char> buf(block);
  for (;;) {
    const zip_int64_t got = zip_fread(f.get(), buf.data(), buf.size());
    if (got < 0)
      throw InputError(path_ + ": a damaged .xlsx workbook: part " + name + ": " + zip_file_strerror(f.get()), path_);
    if (got == 0) break;
    sink(std::string_view(buf.data(), static_cast<std::size_t>(got)));
  }
}

std::string ZipArchive::read(const std::string& name) const {
  std::string out;
  stream(name, std::size_t{1} << 20, [&](std::string_view s) { out.append(s); });
  return out;
}

}  // namespace survkit::data::xlsx
