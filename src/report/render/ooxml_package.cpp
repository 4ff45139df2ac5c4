#include "report/render/ooxml_package.hpp"

#include <zip.h>

#include <memory>
#include <sstream>

#include "survkit/common.hpp"

namespace survkit::render::ooxml {

namespace {

struct ArchiveDiscarder {
  void operator()(zip_t* z) const { zip_discard(z); }
};
struct SourceFreer {
  void operator()(zip_source_t* s) const { zip_source_free(s); }
};

// 1980-01-01 00:00:00, the earliest DOS date: (year - 1980) << 9 | month << 5 | day.
constexpr zip_uint16_t kDosDate = (0 << 9) | (1 << 5) | 1;
constexpr zip_uint16_t kDosTime = 0;

[[noreturn]] void fail(const std::string& what, zip_error_t* err) {
  throw Error("cannot build the zip archive (" + what + "): " + zip_error_strerror(err));
}

}  // namespace

std::string zip_package(const std::vector<Part>& parts) {
  zip_error_t err;
  zip_error_init(&err);
  // The archive is written into this in-memory source; kept alive past zip_close.
  std::unique_ptr<zip_source_t, SourceFreer> buffer(zip_source_buffer_create(nullptr, 0, 0, &err));
  if (!buffer) fail("buffer", &err);
  std::unique_ptr<zip_t, ArchiveDiscarder> archive(zip_open_from_source(buffer.get(), ZIP_TRUNCATE, &err));
  if (!archive) fail("open", &err);
  zip_source_keep(buffer.get());  // zip_close / zip_discard must not free it

  for (const auto& part : parts) {
    // libzip reads the data at zip_close; `parts` outlives that.
    zip_source_t* src = zip_source_buffer(archive.get(), part.content.data(), part.content.size(), 0);
    if (src == nullptr) fail(part.name, zip_get_error(archive.get()));
    const zip_int64_t index = zip_file_add(archive.get(), part.name.c_str(), src, ZIP_FL_ENC_UTF_8);
    if (index < 0) {
      zip_source_free(src);
      fail(part.name, zip_get_error(archive.get()));
    }
    const auto i = static_cast<zip_uint64_t>(index);
    if (zip_set_file_compression(archive.get(), i, ZIP_CM_DEFLATE, 9) != 0 ||
        zip_file_set_dostime(archive.get(), i, kDosTime, kDosDate, 0) != 0)
      fail(part.name, zip_get_error(archive.get()));
  }
  if (zip_close(archive.get()) != 0) fail("close", zip_get_error(archive.get()));
  archive.release();  // zip_close freed it

  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_source_stat(buffer.get(), &st) != 0 || (st.valid & ZIP_STAT_SIZE) == 0)
    fail("size", zip_source_error(buffer.get()));
  if (zip_source_open(buffer.get()) != 0) fail("read back", zip_source_error(buffer.get()));
  std::string out(static_cast<std::size_t>(st.size), '\0');
  const zip_int64_t got = zip_source_read(buffer.get(), out.data(), st.size);
  zip_source_close(buffer.get());
  if (got < 0 || static_cast<zip_uint64_t>(got) != st.size) fail("read back", zip_source_error(buffer.get()));
  return out;
}

std::string xml_part(const pugi::xml_document& doc) {
  std::ostringstream out;
  out << R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)" << "\r\n";
  doc.save(out, "", pugi::format_raw | pugi::format_no_declaration, pugi::encoding_utf8);
  return out.str();
}

std::string xml_safe(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 && c != '\t' && c != '\n' && c != '\r') continue;
    out += c;
  }
  return out;
}

PixelSize png_size(std::string_view png) {
  static constexpr std::string_view kSignature("\x89PNG\r\n\x1a\n", 8);
  if (png.size() < 24 || png.substr(0, 8) != kSignature || png.substr(12, 4) != "IHDR")
    throw Error("a figure's PNG rendering is not a PNG file");
  const auto be32 = [&](std::size_t at) {
    std::uint32_t v = 0;
    for (std::size_t k = 0; k < 4; ++k) v = (v << 8) | static_cast<unsigned char>(png[at + k]);
    return v;
  };
  return {be32(16), be32(20)};
}

}  // namespace survkit::render::ooxml
