// results.json: every number of the report, at full precision.
//
// Numbers are JSON numbers written in shortest round-trip form (nlohmann), so parsing
// gives back the identical double; NA and non-finite values are null.  Table cells keep
// the printed text, the value and, for an interval or a median with its CI, the limits
// (lower, upper; null otherwise), so a reader can check one against the other.  The
// numbers of the notes, headers and paragraphs that are no cell are under "numbers".
//
// The report's tables go where their section says: the study's tables under "tables",
// the published comparison under "published".  The patient flow's table is not repeated:
// "flow" holds its counts (rows read, each step, analysed, the matching steps).
#include "survkit/json.hpp"
#include "survkit/render.hpp"

namespace survkit::render {

namespace {

Json numbers(const std::vector<double>& xs) {
  Json out = Json::array();
  for (double x : xs) out.push_back(json_number(x));
  return out;
}

Json table_json(const ReportTable& t, bool file_links) {
  Json j;
  j["id"] = t.id;
  j["title"] = t.title;
  j["header"] = t.header;
  Json groups = Json::array();
  for (const auto& [label, span] : t.header_groups) groups.push_back({{"label", label}, {"span", span}});
  j["header_groups"] = std::move(groups);
  Json rows = Json::array();
  for (const auto& row : t.rows) {
    Json cells = Json::array();
    for (const auto& cell : row.cells)
      cells.push_back({{"text", cell.text},
                       {"value", json_number(cell.value)},
                       {"lower", json_number(cell.lower)},
                       {"upper", json_number(cell.upper)}});
    rows.push_back({{"level", row.level}, {"cells", std::move(cells)}});
  }
  j["rows"] = std::move(rows);
  j["notes"] = t.notes;
  if (file_links) j["files"] = {{"csv", "tables/" + t.id + ".csv"}, {"md", "tables/" + t.id + ".md"}};
  return j;
}

Json km_json(const KmPlot& p) {
  Json j;
  Json curves = Json::array();
  for (const auto& c : p.curves) {
    curves.push_back({{"label", c.label},
                      {"time", numbers(c.time)},
                      {"survival", numbers(c.survival)},
                      {"lower", numbers(c.lower)},
                      {"upper", numbers(c.upper)},
                      {"censor_time", numbers(c.censor_time)},
                      {"censor_survival", numbers(c.censor_survival)}});
  }
  j["curves"] = std::move(curves);
  Json at_risk = Json::array();
  for (const auto& row : p.risk.n_at_risk) at_risk.push_back(numbers(row));
  j["risk_table"] = {{"ticks", numbers(p.risk.ticks)}, {"n_at_risk", std::move(at_risk)}};
  j["x_label"] = p.options.x_label;
  j["y_label"] = p.options.y_label;
  j["annotation"] = p.options.annotation;
  j["ci_bands"] = p.options.ci_bands;
  return j;
}

Json love_json(const LovePlot& p) {
  return {{"covariates", p.covariates},
          {"smd_before", numbers(p.smd_before)},
          {"smd_after", numbers(p.smd_after)},
          {"threshold", json_number(p.options.threshold)},
          {"before_label", p.options.before_label},
          {"after_label", p.options.after_label}};
}

Json zph_json(const ZphPlot& p) {
  return {{"x", numbers(p.x)},
          {"y", numbers(p.y)},
          {"fit_x", numbers(p.fit_x)},
          {"fit", numbers(p.fit)},
          {"lower", numbers(p.lower)},
          {"upper", numbers(p.upper)},
          {"x_ticks", numbers(p.x_ticks)},
          {"x_tick_labels", p.x_tick_labels},
          {"reference", json_number(p.options.reference)},
          {"x_label", p.options.x_label},
          {"y_label", p.options.y_label}};
}

}  // namespace

std::string render_json(const StudyReport& report, bool file_links) {
  Json j;
  // Marks the file as a survkit report: write_report_dir replaces an existing folder
  // only when it finds this.
  j["format"] = "survkit-study-report";
  j["software"] = report.software;
  j["title"] = report.title;
  j["source"] = report.source;
  Json steps = Json::array();
  for (const auto& s : report.flow)
    steps.push_back({{"criterion", s.criterion}, {"excluded", s.excluded}, {"remaining", s.remaining}});
  Json matching_steps = Json::array();
  for (const auto& s : report.matching_flow)
    matching_steps.push_back({{"criterion", s.criterion}, {"excluded", s.excluded}, {"remaining", s.remaining}});
  j["flow"] = {{"n_read", report.n_read},
               {"steps", std::move(steps)},
               {"n_analysed", report.n_analysed},
               {"matching_steps", std::move(matching_steps)}};
  Json tables = Json::array();
  Json comparison = Json::array();
  for (const auto& t : report.tables) {
    if (t.section == TableSection::Main) tables.push_back(table_json(t, file_links));
    if (t.section == TableSection::Published) comparison.push_back(table_json(t, file_links));
  }
  j["tables"] = std::move(tables);
  Json figures = Json::array();
  for (const auto& f : report.figures) {
    Json fj;
    fj["id"] = f.id;
    fj["title"] = f.title;
    fj["caption"] = f.caption;
    if (f.kind == ReportFigure::Kind::Km) {
      fj["kind"] = "km";
      fj["km"] = km_json(f.km);
    } else if (f.kind == ReportFigure::Kind::Love) {
      fj["kind"] = "love";
      fj["love"] = love_json(f.love);
    } else {
      fj["kind"] = "zph";
      fj["zph"] = zph_json(f.zph);
    }
    if (file_links)
      fj["files"] = {{"svg", "figures/" + f.id + ".svg"}, {"png", "figures/" + f.id + ".png"},
                     {"pdf", "figures/" + f.id + ".pdf"}};
    figures.push_back(std::move(fj));
  }
  j["figures"] = std::move(figures);
  j["methods"] = report.methods;
  j["results"] = report.results;
  Json named = Json::array();
  for (const auto& n : report.numbers) named.push_back({{"name", n.name}, {"value", json_number(n.value)}});
  j["numbers"] = std::move(named);
  j["warnings"] = report.warnings;
  if (!report.published.empty()) {
    const PublishedSection& p = report.published;
    j["published"] = {{"summary", p.summary},
                      {"values", p.values},
                      {"found", p.found},
                      {"reproduced", p.reproduced},
                      {"differ", p.differ},
                      {"empty", p.empty_cells},
                      {"no_cell", p.values - p.found},
                      {"unreadable", p.unreadable},
                      {"tables", std::move(comparison)},
                      {"consistency", paper_checks_json(p.checks)}};
  }
  // Labels come from the data file; a stray invalid UTF-8 byte becomes U+FFFD instead of
  // failing the whole report.
  return j.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace survkit::render
