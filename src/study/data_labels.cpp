#include "study/data_labels.hpp"

namespace survkit::study {

namespace {

const Column* source_column(const StudySpec& spec, const Table& data, const std::string& name) {
  for (const auto& [from, to] : spec.renames)
    if (to == name) return data.find(from.name);
  return data.find(name);
}

void label(VariableSpec& v, const StudySpec& spec, const Table& data) {
  if (v.label_given) return;
  const Column* c = source_column(spec, data, v.from.name);
  if (c != nullptr && !c->label.empty()) v.label = c->label;
}

}  // namespace

StudySpec with_data_labels(const StudySpec& spec, const Table& data) {
  StudySpec out = spec;
  for (auto& v : out.variables) label(v, spec, data);
  label(out.group, spec, data);
  return out;
}

}  // namespace survkit::study
