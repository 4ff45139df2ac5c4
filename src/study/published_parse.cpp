// [[published]] and [[published_table]]: the numbers a paper prints, addressed like the
// cells of the study report (docs/published-values.md).
#include "study/published_parse.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "survkit/format.hpp"
#include "survkit/study.hpp"

namespace survkit::study {

namespace {

std::size_t line_of(const toml::node& n) { return n.source().begin.line; }

struct Ctx {
  const std::string& source;
  [[noreturn]] void fail(std::size_t line, const std::string& what) const {
    throw InputError(source + " line " + std::to_string(line) + ": " + what, source, line);
  }
  void check_keys(const toml::table& t, std::initializer_list<std::string_view> allowed, const std::string& where) const {
    for (auto&& [k, v] : t)
      if (std::find(allowed.begin(), allowed.end(), k.str()) == allowed.end())
        fail(k.source().begin.line ? k.source().begin.line : line_of(v),
             "unknown key '" + std::string(k.str()) + "' in " + where + " (allowed: " + join(allowed) + ")");
  }
  std::string text(const toml::table& t, std::string_view key, const std::string& fallback = {}) const {
    const toml::node* n = t.get(key);
    if (!n) return fallback;
    if (!n->is_string())
      fail(line_of(*n), "'" + std::string(key) + "' must be a text in quotes" +
                            (n->is_number() ? " (a published value is written exactly as printed, e.g. \"0.479\")" : ""));
    return std::string(n->as_string()->get());
  }
  std::vector<const toml::table*> tables(const toml::table& root, const char* key) const {
    std::vector<const toml::table*> out;
    const toml::node* n = root.get(key);
    if (!n) return out;
    if (!n->is_array_of_tables()) fail(line_of(*n), std::string("'") + key + "' must be written as [[" + key + "]] tables");
    for (const toml::node& e : *n->as_array()) out.push_back(e.as_table());
    return out;
  }
};

/// A printed group N: a text ("39") or a whole number.
PrintedValue printed_n(const Ctx& c, const toml::node& n) {
  if (n.is_integer()) return parse_printed(std::to_string(n.as_integer()->get()));
  if (n.is_string()) return parse_printed(n.as_string()->get());
  c.fail(line_of(n), "'n' must list the group sizes as printed (numbers or texts)");
}

struct TableDefaults {
  std::string source, endpoint;
};

void read_tables(const Ctx& c, const toml::table& root, PublishedSet& out, std::map<std::string, TableDefaults>& defaults) {
  for (const toml::table* t : c.tables(root, "published_table")) {
    c.check_keys(*t, {"table", "source", "endpoint", "counts"}, "[[published_table]]");
    const std::string id = c.text(*t, "table");
    if (id.empty()) c.fail(line_of(*t), "[[published_table]] needs 'table' (a report table id, e.g. \"table5_balance\")");
    defaults[id_key(id)] = {c.text(*t, "source"), c.text(*t, "endpoint")};
    for (const toml::table* b : c.tables(*t, "counts")) {
      c.check_keys(*b, {"columns", "n", "p", "test"}, "[[published_table.counts]]");
      PublishedCounts pc;
      pc.table = id;
      pc.source = c.text(*t, "source");
      pc.line = line_of(*b);
      const toml::node* cols = b->get("columns");
      if (!cols || !cols->is_array() || cols->as_array()->empty())
        c.fail(pc.line, "[[published_table.counts]] needs 'columns': the count columns, one per group");
      for (const toml::node& e : *cols->as_array()) {
        if (!e.is_string()) c.fail(line_of(*cols), "'columns' must list column names in quotes");
        pc.columns.emplace_back(e.as_string()->get());
      }
      if (const toml::node* n = b->get("n")) {
        if (!n->is_array() || n->as_array()->size() != pc.columns.size())
          c.fail(line_of(*n), "'n' must list one group N per count column");
        for (const toml::node& e : *n->as_array()) pc.n.push_back(printed_n(c, e));
      }
      pc.p_column = c.text(*b, "p");
      pc.stated_test = c.text(*b, "test");
      if (!pc.stated_test.empty() && pc.stated_test != "pearson" && pc.stated_test != "yates" && pc.stated_test != "fisher")
        c.fail(c.text(*b, "test").empty() ? pc.line : line_of(*b->get("test")),
               "'test' must be \"pearson\", \"yates\" or \"fisher\" (found \"" + pc.stated_test + "\")");
      out.counts.push_back(std::move(pc));
    }
  }
}

void read_values(const Ctx& c, const toml::table& root, PublishedSet& out, const std::map<std::string, TableDefaults>& defaults) {
  for (const toml::table* t : c.tables(root, "published")) {
    c.check_keys(*t, {"source", "table", "row", "column", "value", "values", "endpoint", "subject", "quantity",
                      "percent_of", "partition", "quote"},
                 "[[published]]");
    PublishedValue v;
    v.line = line_of(*t);
    v.table = c.text(*t, "table");
    v.row = c.text(*t, "row");
    const auto d = defaults.find(id_key(v.table));
    v.source = c.text(*t, "source", d == defaults.end() ? std::string() : d->second.source);
    v.endpoint = c.text(*t, "endpoint", d == defaults.end() ? std::string() : d->second.endpoint);
    v.subject = c.text(*t, "subject");
    v.quantity = c.text(*t, "quantity");
    v.partition = c.text(*t, "partition");
    v.quote = c.text(*t, "quote");
    if (const toml::node* n = t->get("percent_of")) {
      if (!n->is_integer() || n->as_integer()->get() <= 0) c.fail(line_of(*n), "'percent_of' must be a whole number of patients");
      v.percent_of = static_cast<double>(n->as_integer()->get());
    }
    if (!v.table.empty() && v.row.empty()) c.fail(v.line, "[[published]] with a 'table' needs its 'row' (e.g. \"Gender / Female\")");
    const toml::node* one = t->get("value");
    const toml::node* many = t->get("values");
    if ((one != nullptr) == (many != nullptr))
      c.fail(v.line, "[[published]] needs either 'value' (with 'column') or 'values' ({ column = \"value\", ... })");
    if (one) {
      v.column = c.text(*t, "column");
      v.printed = parse_printed(c.text(*t, "value"));
      out.values.push_back(std::move(v));
      continue;
    }
    if (t->get("column") || t->get("quantity"))
      c.fail(v.line, "'column' and 'quantity' go with a single 'value', not with 'values'");
    if (!many->is_table()) c.fail(line_of(*many), "'values' must be an inline table { column = \"value\", ... }");
    for (auto&& [k, e] : *many->as_table()) {
      if (!e.is_string())
        c.fail(line_of(e) ? line_of(e) : line_of(*many), "the value of '" + std::string(k.str()) + "' must be a text in quotes, exactly as printed");
      PublishedValue cell = v;
      cell.column = std::string(k.str());
      cell.printed = parse_printed(e.as_string()->get());
      out.values.push_back(std::move(cell));
    }
  }
}

}  // namespace

void read_published(const toml::table& root, const std::string& source, PublishedSet& out) {
  const Ctx c{source};
  std::map<std::string, TableDefaults> defaults;
  read_tables(c, root, out, defaults);
  read_values(c, root, out, defaults);
}

}  // namespace survkit::study

namespace survkit {

PublishedSet parse_published(std::string_view toml_text, const std::string& source_name) {
  toml::table root;
  try {
    root = toml::parse(toml_text, std::string_view(source_name));
  } catch (const toml::parse_error& e) {
    throw InputError(source_name + " line " + std::to_string(e.source().begin.line) + ": TOML syntax: " +
                         std::string(e.description()),
                     source_name, e.source().begin.line);
  }
  for (auto&& [k, v] : root)
    if (k.str() != "published" && k.str() != "published_table" && k.str() != "title")
      throw InputError(source_name + " line " + std::to_string(k.source().begin.line) + ": unknown key '" +
                           std::string(k.str()) + "' (allowed: title, published, published_table)",
                       source_name, k.source().begin.line);
  PublishedSet set;
  set.source_name = source_name;
  study::read_published(root, source_name, set);
  return set;
}

}  // namespace survkit
