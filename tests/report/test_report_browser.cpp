// report.html as a person sees it: rendered by headless Chromium (Debian's `chromium`).
//
//  * the page as written loads with no console messages at all (no errors, no blocked
//    resources: it has no scripts and no external references);
//  * every table and figure is in the DOM Chromium built, and laid out with a real size
//    (a copy of the page with a small measuring script appended reports each element's
//    box and computed display/visibility, since --dump-dom alone says nothing of layout);
//  * a full-page screenshot is not blank.
// Both on a hand-built report and on the one `survkit demo` writes.
// Skipped (with the reason) only when /usr/bin/chromium is not installed.
#include <cairo.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/run_cli.hpp"
#include "report/report_fixture.hpp"
#include "survkit/render.hpp"
#include "support/temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
using namespace survkit;
using namespace survkit::render;

constexpr const char* kChromium = "/usr/bin/chromium";

using test_support::TempDir;

// Runs Chromium headless on `url` with a fresh profile; `extra` picks the output
// (--dump-dom or --screenshot=...).  Console messages go to stderr as "CONSOLE" lines.
cli_test::CliRun chromium(const TempDir& tmp, const std::string& url, std::vector<std::string> extra) {
  static int profile = 0;
  const fs::path user_data = tmp.path / ("profile" + std::to_string(profile++));
  std::vector<std::string> args{"120", kChromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                                "--no-first-run", "--disable-background-networking", "--disable-component-update",
                                "--disable-sync", "--user-data-dir=" + user_data.string(), "--enable-logging=stderr",
                                "--v=0", "--hide-scrollbars"};
  args.insert(args.end(), extra.begin(), extra.end());
  args.push_back(url);
  return cli_test::run_program("/usr/bin/timeout", args);  // a hung browser fails the test, not CI
}

std::vector<std::string> console_lines(const std::string& err) {
  std::vector<std::string> out;
  std::istringstream in(err);
  std::string line;
  while (std::getline(in, line))
    if (line.find("CONSOLE") != std::string::npos) out.push_back(line);
  return out;
}

// Appended to a copy of the page: one line per table and figure, "id width height
// art_width art_height display visibility", and the page's scroll width.
constexpr const char* kMeasure = R"js(<script>
const lines = [];
for (const el of document.querySelectorAll('table.report, figure')) {
  const box = el.getBoundingClientRect();
  const art = el.tagName === 'FIGURE' ? el.querySelector('svg, img') : el;
  const abox = art ? art.getBoundingClientRect() : {width: 0, height: 0};
  const cs = getComputedStyle(el);
  lines.push([el.id, Math.round(box.width), Math.round(box.height), Math.round(abox.width),
              Math.round(abox.height), cs.display, cs.visibility].join(' '));
}
lines.push(['page', document.documentElement.scrollWidth, window.innerWidth].join(' '));
const pre = document.createElement('pre');
pre.id = 'survkit-measure';
pre.textContent = lines.join('\n');
document.body.appendChild(pre);
</script>)js";

// Checks the report folder `dir` (inside tmp) in the browser; `tables` and `figures`
// are the ids the page must show, with their numbers of rows (tables).
void check_page(const TempDir& tmp, const fs::path& dir, const std::vector<std::pair<std::string, std::size_t>>& tables,
                const std::vector<std::string>& figures, std::size_t n_analysed) {
  const fs::path page = dir / "report.html";

  // 1. The page as written: loads, no console messages, everything in the DOM.
  const auto dom = chromium(tmp, "file://" + page.string(), {"--dump-dom", "--window-size=1200,900"});
  ASSERT_EQ(dom.exit_code, 0) << dom.err;
  EXPECT_TRUE(console_lines(dom.err).empty()) << "console: " << ::testing::PrintToString(console_lines(dom.err));
  for (const auto& [id, rows] : tables) EXPECT_NE(dom.out.find("id=\"" + id + "\""), std::string::npos) << id;
  for (const auto& id : figures) EXPECT_NE(dom.out.find("<figure id=\"" + id + "\""), std::string::npos) << id;
  EXPECT_NE(dom.out.find("Analysed<br><b>n = " + std::to_string(n_analysed) + "</b>"), std::string::npos);

  // 2. Layout: a measuring copy of the page.
  std::string html;
  {
    std::ifstream in(page, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    html = s.str();
  }
  const auto body_end = html.rfind("</body>");
  ASSERT_NE(body_end, std::string::npos);
  html.insert(body_end, kMeasure);
  const fs::path measured = dir / "measure.html";
  std::ofstream(measured, std::ios::binary) << html;
  const auto m = chromium(tmp, "file://" + measured.string(), {"--dump-dom", "--window-size=1200,900"});
  ASSERT_EQ(m.exit_code, 0) << m.err;
  EXPECT_TRUE(console_lines(m.err).empty()) << ::testing::PrintToString(console_lines(m.err));
  const auto start = m.out.find("<pre id=\"survkit-measure\">");
  ASSERT_NE(start, std::string::npos) << m.out.substr(0, 2000);
  std::istringstream lines(m.out.substr(start + 26, m.out.find("</pre>", start) - start - 26));
  std::map<std::string, std::vector<std::string>> boxes;
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream f(line);
    std::vector<std::string> v;
    for (std::string w; f >> w;) v.push_back(w);
    if (!v.empty()) boxes[v[0]] = std::vector<std::string>(v.begin() + 1, v.end());
  }
  const auto expect_visible = [&](const std::string& id, double min_w, double min_h) {
    ASSERT_EQ(boxes.count(id), 1u) << id;
    const auto& b = boxes[id];
    ASSERT_EQ(b.size(), 6u) << id;
    EXPECT_GE(std::stod(b[0]), min_w) << id;
    EXPECT_GE(std::stod(b[1]), min_h) << id;
    EXPECT_GE(std::stod(b[2]), min_w) << id << " (art)";
    EXPECT_GE(std::stod(b[3]), min_h) << id << " (art)";
    EXPECT_NE(b[4], "none") << id;
    EXPECT_EQ(b[5], "visible") << id;
  };
  for (const auto& [id, rows] : tables) expect_visible(id, 150, 20.0 * static_cast<double>(rows));
  for (const auto& id : figures) expect_visible(id, 300, 150);  // figures drawn at a readable size
  ASSERT_EQ(boxes.count("page"), 1u);
  EXPECT_LE(std::stod(boxes["page"][0]), std::stod(boxes["page"][1])) << "the page scrolls sideways";

  // 3. A full-page screenshot that is not blank: a fair share of non-white pixels and
  //    dark ones (text, rules), decoded with cairo.
  const fs::path shot = tmp.path / "shot.png";
  const auto s = chromium(tmp, "file://" + page.string(), {"--screenshot=" + shot.string(), "--window-size=1200,4000"});
  ASSERT_EQ(s.exit_code, 0) << s.err;
  ASSERT_TRUE(fs::exists(shot)) << s.err;
  cairo_surface_t* img = cairo_image_surface_create_from_png(shot.c_str());
  ASSERT_EQ(cairo_surface_status(img), CAIRO_STATUS_SUCCESS);
  const int w = cairo_image_surface_get_width(img), h = cairo_image_surface_get_height(img);
  EXPECT_EQ(w, 1200);
  EXPECT_EQ(h, 4000);
  cairo_surface_flush(img);
  const unsigned char* data = cairo_image_surface_get_data(img);
  const int stride = cairo_image_surface_get_stride(img);
  std::size_t non_white = 0, dark = 0;
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      const auto* px = reinterpret_cast<const uint32_t*>(data + y * stride) + x;
      const int rr = (*px >> 16) & 255, gg = (*px >> 8) & 255, bb = *px & 255;
      non_white += (rr < 245 || gg < 245 || bb < 245);
      dark += (rr < 80 && gg < 80 && bb < 80);
    }
  cairo_surface_destroy(img);
  const double total = static_cast<double>(w) * h;
  EXPECT_GT(non_white / total, 0.02) << "screenshot looks blank";
  EXPECT_GT(dark / total, 0.005) << "no text or rules in the screenshot";
  fs::remove(measured);
}

TEST(ReportBrowser, HandBuiltReportVisibleWithoutConsoleErrors) {
  if (!fs::exists(kChromium)) GTEST_SKIP() << kChromium << " is not installed (apt-get install chromium)";
  TempDir tmp;
  const StudyReport r = report_test::sample_report();
  write_report_dir(r, (tmp.path / "out").string(), RenderOptions{});
  std::vector<std::pair<std::string, std::size_t>> tables;
  for (const auto& t : r.tables) tables.emplace_back(t.id, t.rows.size());
  std::vector<std::string> figures;
  for (const auto& f : r.figures) figures.push_back(f.id);
  check_page(tmp, tmp.path / "out", tables, figures, r.n_analysed);
}

TEST(ReportBrowser, DemoReportVisibleWithoutConsoleErrors) {
  if (!fs::exists(kChromium)) GTEST_SKIP() << kChromium << " is not installed (apt-get install chromium)";
  TempDir tmp;
  const auto run = cli_test::run_cli({"demo", "--out", (tmp.path / "demo").string()});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  std::ifstream in(tmp.path / "demo" / "results.json");
  const auto j = nlohmann::json::parse(in);
  std::vector<std::pair<std::string, std::size_t>> tables;
  for (const auto& t : j["tables"]) tables.emplace_back(t["id"].get<std::string>(), t["rows"].size());
  std::vector<std::string> figures;
  for (const auto& f : j["figures"]) figures.push_back(f["id"].get<std::string>());
  ASSERT_FALSE(tables.empty());
  check_page(tmp, tmp.path / "demo", tables, figures, j["flow"]["n_analysed"].get<std::size_t>());
}

}  // namespace
