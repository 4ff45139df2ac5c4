// The report folder, written whole or not at all.
//
// Everything is built in a hidden staging folder next to the target (same file system,
// so the final rename is atomic), and only renamed into place once every file is
// complete.  Replacing a previous report is two renames (old -> aside, staging -> target)
// and then the removal of the old one; a crash in between leaves either the old or the
// new report under the target name plus a hidden leftover, never a mix.
#include <fmt/core.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <set>
#include <stdexcept>

#include "survkit/io.hpp"
#include "survkit/render.hpp"

namespace survkit::render {

namespace fs = std::filesystem;

namespace {

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

void write_bytes(const fs::path& path, const std::string& content) {
  std::unique_ptr<std::FILE, FileCloser> f(std::fopen(path.c_str(), "wb"));
  if (!f) throw IoError(fmt::format("cannot write '{}': {}", path.string(), std::strerror(errno)));
  if (std::fwrite(content.data(), 1, content.size(), f.get()) != content.size() || std::fflush(f.get()) != 0)
    throw IoError(fmt::format("cannot write '{}': {}", path.string(), std::strerror(errno)));
  if (std::fclose(f.release()) != 0)
    throw IoError(fmt::format("cannot write '{}': {}", path.string(), std::strerror(errno)));
}

// Ids become file names: only [A-Za-z0-9_-] (the contract promises [a-z0-9_]), unique.
// Anything else would be a bug in the engine that built the report, hence logic_error.
void check_ids(const StudyReport& report) {
  std::set<std::string> seen;
  const auto check = [&](const std::string& id, const char* what) {
    const bool ok = !id.empty() && std::all_of(id.begin(), id.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    });
    if (!ok) throw std::logic_error(fmt::format("report {} id '{}' is not a valid file name", what, id));
    if (!seen.insert(std::string(what) + "/" + id).second)
      throw std::logic_error(fmt::format("report {} id '{}' is used twice", what, id));
  };
  for (const auto& t : report.tables) check(t.id, "table");
  for (const auto& f : report.figures) check(f.id, "figure");
}

// An existing target may be replaced only when it is empty or a survkit report (its
// results.json says so): `--out .` or `--out ~/Documents` must never wipe a folder.
bool replaceable(const fs::path& dir) {
  std::error_code ec;
  if (fs::is_empty(dir, ec) && !ec) return true;
  const fs::path json = dir / "results.json";
  if (!fs::is_regular_file(json, ec)) return false;
  std::unique_ptr<std::FILE, FileCloser> f(std::fopen(json.c_str(), "rb"));
  if (!f) return false;
  char head[256] = {};
  const std::size_t got = std::fread(head, 1, sizeof head - 1, f.get());
  return std::string_view(head, got).find("\"survkit-study-report\"") != std::string_view::npos;
}

IoError not_a_report(const std::string& dir) {
  return IoError(fmt::format("cannot write the report to '{}': the folder exists and is not a survkit report; "
                             "remove it or choose another --out",
                             dir));
}

// Replacing with two renames (old -> aside, staging -> target), for file systems
// without renameat2's exchange; the target is briefly missing in between.
void replace_by_two_renames(const fs::path& staging, const fs::path& target, const fs::path& aside,
                            const std::string& dir) {
  std::error_code ec;
  fs::remove_all(aside, ec);
  fs::rename(target, aside, ec);
  if (ec) throw IoError(fmt::format("cannot replace '{}': {}", dir, ec.message()));
  fs::rename(staging, target, ec);
  if (ec) {
    std::error_code back;
    fs::rename(aside, target, back);  // put the previous report back
    throw IoError(fmt::format("cannot replace '{}': {}", dir, ec.message()));
  }
  fs::remove_all(aside, ec);  // the new report is in place; a leftover is only clutter
}

// Puts the finished staging folder under the target name.  A new name is taken with
// RENAME_NOREPLACE; an existing report (also one a concurrent run has just put there) is
// swapped with RENAME_EXCHANGE, atomically, and the old one, now under the staging name,
// removed.  So concurrent runs to the same folder all succeed and the last one wins, as
// when the folder already exists, and the target is never missing nor a mix.
void place_report(const fs::path& staging, const fs::path& target, const fs::path& aside, const std::string& dir) {
  for (int attempt = 0; attempt < 100; ++attempt) {
    if (::renameat2(AT_FDCWD, staging.c_str(), AT_FDCWD, target.c_str(), RENAME_NOREPLACE) == 0) return;
    int err = errno;
    if (err == EINVAL || err == ENOSYS) {  // no renameat2 flags on this file system
      std::error_code ec;
      if (!fs::exists(target, ec)) {
        fs::rename(staging, target, ec);
        if (!ec) return;
      }
      if (!replaceable(target)) throw not_a_report(dir);
      return replace_by_two_renames(staging, target, aside, dir);
    }
    if (err != EEXIST && err != ENOTEMPTY)
      throw IoError(fmt::format("cannot write the report to '{}': {}", dir, std::strerror(err)));
    std::error_code ec;
    if (!fs::is_directory(fs::symlink_status(target, ec)))
      throw IoError(fmt::format("cannot write the report to '{}': it exists and is not a folder", dir));
    if (!replaceable(target)) throw not_a_report(dir);
    if (::renameat2(AT_FDCWD, staging.c_str(), AT_FDCWD, target.c_str(), RENAME_EXCHANGE) == 0) {
      fs::remove_all(staging, ec);  // the previous report
      return;
    }
    err = errno;
    if (err != ENOENT)  // ENOENT: removed in between by another run; try again
      throw IoError(fmt::format("cannot replace '{}': {}", dir, std::strerror(err)));
  }
  throw IoError(fmt::format("cannot write the report to '{}': other runs kept replacing it", dir));
}

}  // namespace

ReportFiles write_report_dir(const StudyReport& report, const std::string& dir, const RenderOptions& options) {
  check_ids(report);
  fs::path target = fs::path(dir).lexically_normal();
  if (!target.has_filename()) target = target.parent_path();  // "out/" -> "out"
  if (target.empty() || target.filename() == "." || target.filename() == "..")
    throw IoError(fmt::format("'{}' cannot be a report folder: name a new folder, e.g. --out report", dir));
  const fs::path parent = target.has_parent_path() ? target.parent_path() : fs::path(".");
  const std::string name = target.filename().string();

  std::error_code ec;
  const bool exists = fs::exists(fs::symlink_status(target, ec));
  if (exists && !fs::is_directory(target, ec))
    throw IoError(fmt::format("cannot write the report to '{}': it exists and is not a folder", dir));
  if (exists && !replaceable(target)) throw not_a_report(dir);
  fs::create_directories(parent, ec);
  if (ec) throw IoError(fmt::format("cannot create '{}': {}", parent.string(), ec.message()));

  const std::string pid = std::to_string(::getpid());
  const fs::path staging = parent / ("." + name + ".survkit-tmp-" + pid);
  const fs::path aside = parent / ("." + name + ".survkit-old-" + pid);  // only without renameat2
  fs::remove_all(staging, ec);  // a leftover of a crashed run with the same pid
  if (!fs::create_directory(staging, ec) || ec)
    throw IoError(fmt::format("cannot create '{}': {}", staging.string(), ec ? ec.message() : "it exists"));

  ReportFiles out;
  out.dir = target.string();
  try {
    const auto put = [&](const std::string& rel, const std::string& content) {
      write_bytes(staging / rel, content);
      out.files.push_back(rel);
    };
    for (const char* sub : {"tables", "figures"}) {
      fs::create_directory(staging / sub, ec);
      if (ec) throw IoError(fmt::format("cannot create '{}': {}", (staging / sub).string(), ec.message()));
    }
    std::vector<FigureFiles> figures;
    figures.reserve(report.figures.size());
    for (const auto& f : report.figures) {
      figures.push_back(render_figure_files(f));
      put("figures/" + f.id + ".svg", figures.back().svg);
      put("figures/" + f.id + ".png", figures.back().png);
      put("figures/" + f.id + ".pdf", figures.back().pdf);
    }
    for (const auto& t : report.tables) {  // every section: the flow, the study's tables, the published ones
      put("tables/" + t.id + ".csv", render_table_csv(t));
      put("tables/" + t.id + ".md", render_table_markdown(t));
    }
    put("report.html", render_html(report, figures, options));
    put("results.json", render_json(report, true));
    put("report.docx", render_docx(report, figures));
    put("tables.docx", render_tables_docx(report));
    for (const auto& a : report.attachments) put(a.name, a.content);
    write_xlsx(report, (staging / "tables.xlsx").string());
    out.files.push_back("tables.xlsx");

    place_report(staging, target, aside, dir);
  } catch (...) {
    std::error_code ignored;
    fs::remove_all(staging, ignored);
    throw;
  }
  out.tables = report.tables.size();
  out.figures = report.figures.size();
  std::sort(out.files.begin(), out.files.end());
  return out;
}

}  // namespace survkit::render
