#include "services/domain/org_import.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <unordered_map>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace okr {
namespace {

constexpr size_t kMaxUnitIdLength = 64;

// (line, "line N: ...") pairs; sorted by line only at the end, so that the errors of one
// row stay in the order the checks ran.
using Errors = std::vector<std::pair<int, std::string>>;

void AddError(Errors* errors, const OrgRow& row, std::string_view what) {
  errors->emplace_back(row.line, absl::StrCat("line ", row.line, ": ", std::string(what)));
}

bool ParseFiniteDouble(std::string_view text, double* out) {
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, *out);
  return !text.empty() && ec == std::errc() && ptr == end && std::isfinite(*out);
}

// A row parsed as far as it goes. Only `kind_ok` rows have a meaningful `unit.kind`.
struct Candidate {
  const OrgRow* row = nullptr;
  Unit unit;
  bool kind_ok = false;
};

Candidate ParseRow(const OrgRow& row, Errors* errors) {
  Candidate c;
  c.row = &row;
  Unit& unit = c.unit;
  unit.id = row.unit_id;
  unit.parent_id = row.parent_id;
  unit.name = row.name;
  if (row.unit_id.empty()) {
    AddError(errors, row, "unit_id is empty");
  } else if (!IsValidUnitId(row.unit_id)) {
    AddError(errors, row,
             absl::StrCat("bad unit_id '", row.unit_id,
                          "': expected 1 to 64 lowercase letters, digits, '-', '_' or '.', "
                          "starting with a letter or digit"));
  }
  absl::StatusOr<UnitKind> kind = ParseUnitKind(row.kind);
  if (kind.ok()) {
    unit.kind = *kind;
    c.kind_ok = true;
  } else {
    AddError(errors, row, std::string(kind.status().message()));
  }
  if (row.name.empty()) AddError(errors, row, "name is empty");
  if (!row.fte.empty()) {
    if (!ParseFiniteDouble(row.fte, &unit.fte)) {
      AddError(errors, row,
               absl::StrCat("bad fte '", row.fte, "': expected a number within (0, 1]"));
    } else if (!(unit.fte > 0) || unit.fte > 1) {
      AddError(errors, row,
               absl::StrCat("fte must be within (0, 1] (1 is full time), got ", row.fte));
    }
  }  // else the default 1.0: FTE only weighs agents, and a full-time agent is the norm
  const std::pair<const std::string*, std::optional<Date>*> dates[] = {
      {&row.start_date, &unit.start_date}, {&row.end_date, &unit.end_date}};
  for (size_t i = 0; i < 2; ++i) {
    const std::string& text = *dates[i].first;
    if (text.empty()) continue;
    absl::StatusOr<Date> date = Date::Parse(text);
    if (date.ok()) {
      *dates[i].second = *date;
    } else {
      AddError(errors, row,
               absl::StrCat(i == 0 ? "start_date: " : "end_date: ", date.status().message()));
    }
  }
  if (unit.start_date && unit.end_date && *unit.end_date < *unit.start_date) {
    AddError(errors, row,
             absl::StrCat("end_date ", row.end_date, " is before start_date ", row.start_date));
  }
  if (c.kind_ok) {
    if (unit.kind == UnitKind::kCompany && !row.parent_id.empty()) {
      AddError(errors, row,
               absl::StrCat("a company cannot have a parent (parent_id '", row.parent_id, "')"));
    } else if (unit.kind != UnitKind::kCompany && row.parent_id.empty()) {
      AddError(errors, row,
               absl::StrCat("parent_id is empty: only a company can be a root, not a ",
                            std::string(UnitKindName(unit.kind))));
    }
  }
  return c;
}

// A unit of the org as it would be after the import.
struct Node {
  bool kind_known = false;
  UnitKind kind = UnitKind::kAgent;
  std::vector<std::string> parents;      // every parent it has on some day
  const Candidate* candidate = nullptr;  // its row, if the file has one
};

std::vector<std::string> ParentsEver(const Unit& unit) {
  std::vector<std::string> parents;
  if (!unit.parent_id.empty()) parents.push_back(unit.parent_id);
  for (const Move& move : unit.moves) {
    if (std::find(parents.begin(), parents.end(), move.parent_id) == parents.end()) {
      parents.push_back(move.parent_id);
    }
  }
  return parents;
}

// Reports every loop of parents once, on each file row that is part of it.
void CheckCycles(const std::map<std::string, Node>& nodes, Errors* errors) {
  enum class Color { kWhite, kGrey, kBlack };
  std::unordered_map<std::string, Color> color;
  for (const auto& [id, node] : nodes) color[id] = Color::kWhite;

  struct Frame {
    const std::string* id;
    const Node* node;
    size_t next_parent = 0;
  };
  for (const auto& [root_id, root] : nodes) {
    if (color[root_id] != Color::kWhite) continue;
    std::vector<Frame> path{{&root_id, &root}};
    color[root_id] = Color::kGrey;
    while (!path.empty()) {
      Frame& top = path.back();
      if (top.next_parent == top.node->parents.size()) {
        color[*top.id] = Color::kBlack;
        path.pop_back();
        continue;
      }
      const std::string& parent = top.node->parents[top.next_parent++];
      auto it = nodes.find(parent);
      if (it == nodes.end()) continue;  // an unknown parent is reported on its own
      Color& parent_color = color[parent];
      if (parent_color == Color::kWhite) {
        parent_color = Color::kGrey;
        path.push_back({&it->first, &it->second});
        continue;
      }
      if (parent_color == Color::kBlack) continue;
      // A grey parent is on the path: the path from it to here is a loop.
      size_t start = path.size() - 1;
      while (*path[start].id != parent) --start;
      const size_t length = path.size() - start;
      for (size_t i = 0; i < length; ++i) {
        const Candidate* candidate = path[start + i].node->candidate;
        if (candidate == nullptr) continue;
        std::string chain;
        for (size_t k = 0; k <= length; ++k) {
          absl::StrAppend(&chain, k == 0 ? "" : " -> ", *path[start + (i + k) % length].id);
        }
        AddError(errors, *candidate->row, "parents form a loop: " + chain);
      }
    }
  }
}

void Validate(absl::Span<const OrgRow> rows, const OrgSnapshot& existing, Errors* errors,
              OrgImportPlan* plan) {
  std::vector<Candidate> candidates;
  candidates.reserve(rows.size());                    // Node::candidate points into it
  std::unordered_map<std::string, size_t> first_row;  // unit_id -> its first candidate
  for (const OrgRow& row : rows) {
    candidates.push_back(ParseRow(row, errors));
    if (row.unit_id.empty()) continue;
    auto [it, inserted] = first_row.emplace(row.unit_id, candidates.size() - 1);
    if (!inserted) {
      AddError(errors, row,
               absl::StrCat("duplicate unit_id '", row.unit_id, "' (first on line ",
                            candidates[it->second].row->line, ")"));
    }
  }

  // The org after the import: stored units, overlaid by the first row of each id.
  std::map<std::string, Node> nodes;
  for (const Unit& unit : existing.units()) {
    nodes[unit.id] = Node{true, unit.kind, ParentsEver(unit), nullptr};
  }
  for (const auto& [id, index] : first_row) {
    const Candidate& c = candidates[index];
    const Unit* old = existing.Find(id);
    Node& node = nodes[id];
    node.kind_known = c.kind_ok;
    node.kind = c.unit.kind;
    node.candidate = &c;
    if (old != nullptr && !old->moves.empty()) {
      // Dated moves are the history of where the unit sat; an import has no dates, so it
      // may restate that history (the first or the latest parent) but not rewrite it.
      if (c.row->parent_id != old->parent_id && c.row->parent_id != old->moves.back().parent_id) {
        AddError(
            errors, *c.row,
            absl::StrCat("'", id, "' has dated moves (now below '", old->moves.back().parent_id,
                         "'); change its parent with a move, not an import"));
      }
      node.parents = ParentsEver(*old);
    } else {
      node.parents.clear();
      if (!c.row->parent_id.empty()) node.parents.push_back(c.row->parent_id);
    }
  }

  for (const Candidate& c : candidates) {
    const std::string& parent = c.row->parent_id;
    if (!parent.empty() && nodes.find(parent) == nodes.end()) {
      AddError(errors, *c.row,
               absl::StrCat("unknown parent_id '", parent, "': not in the file nor in the org"));
    }
  }

  // An agent is a leaf. Blame the child's row when it names the agent as its parent,
  // otherwise the row that turns a unit with units below it into an agent.
  std::map<std::string, std::vector<std::string>> agent_children;
  for (const auto& [id, node] : nodes) {
    for (const std::string& parent : node.parents) {
      auto it = nodes.find(parent);
      if (it == nodes.end() || !it->second.kind_known || it->second.kind != UnitKind::kAgent) {
        continue;
      }
      if (node.candidate != nullptr && node.candidate->row->parent_id == parent) {
        AddError(errors, *node.candidate->row,
                 absl::StrCat("parent '", parent, "' is an agent; an agent cannot have children"));
      } else if (it->second.candidate != nullptr) {
        agent_children[parent].push_back(id);
      }
    }
  }
  for (const auto& [agent, children] : agent_children) {
    AddError(errors, *nodes[agent].candidate->row,
             absl::StrCat("'", agent, "' cannot be an agent: units are below it (",
                          absl::StrJoin(children, ", "), ")"));
  }

  CheckCycles(nodes, errors);
  if (!errors->empty()) return;

  // New units in parents-first order, so that a store can insert them one by one.
  std::unordered_map<std::string, int> new_depth;
  auto depth_of = [&](const std::string& start) {
    std::vector<std::string> chain;
    std::string id = start;
    int depth = 0;
    while (true) {
      if (auto known = new_depth.find(id); known != new_depth.end()) {
        depth = known->second;
        break;
      }
      auto row = first_row.find(id);
      if (row == first_row.end() || existing.Find(id) != nullptr) {
        depth = -1;  // stored, or above the file: the new units below it start at 0
        break;
      }
      chain.push_back(id);
      id = candidates[row->second].row->parent_id;
    }
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) new_depth[*it] = ++depth;
    return new_depth[start];
  };
  std::vector<std::pair<int, const Candidate*>> created;
  for (const Candidate& c : candidates) {
    const Unit* old = existing.Find(c.unit.id);
    if (old == nullptr) {
      created.emplace_back(depth_of(c.unit.id), &c);
      continue;
    }
    Unit unit = *old;
    unit.kind = c.unit.kind;
    unit.name = c.unit.name;
    unit.fte = c.unit.fte;
    unit.start_date = c.unit.start_date;
    unit.end_date = c.unit.end_date;
    if (old->moves.empty()) unit.parent_id = c.unit.parent_id;
    if (unit == *old) {
      ++plan->unchanged;
    } else {
      plan->updated.push_back(std::move(unit));
    }
  }
  std::stable_sort(created.begin(), created.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [depth, c] : created) plan->created.push_back(c->unit);
}

void Finish(Errors errors, OrgImportPlan* plan) {
  if (errors.empty()) return;
  std::stable_sort(errors.begin(), errors.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  *plan = OrgImportPlan{};
  for (size_t i = 0; i < errors.size(); ++i) {
    if (i == 0 || errors[i].first != errors[i - 1].first) ++plan->rejected;
    plan->errors.push_back(std::move(errors[i].second));
  }
}

}  // namespace

bool IsValidUnitId(std::string_view id) {
  if (id.empty() || id.size() > kMaxUnitIdLength) return false;
  auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (!alnum(id[0])) return false;
  return std::all_of(id.begin(), id.end(),
                     [&](char c) { return alnum(c) || c == '-' || c == '_' || c == '.'; });
}

absl::StatusOr<OrgRow> OrgRowFromRecord(const CsvHeader& header, const CsvRecord& record) {
  if (absl::Status s = header.CheckRow(record, kOrgImportColumnText); !s.ok()) return s;
  OrgRow row;
  row.line = record.line;
  std::string* fields[] = {&row.unit_id, &row.parent_id,  &row.kind,    &row.name,
                           &row.fte,     &row.start_date, &row.end_date};
  for (size_t i = 0; i < kOrgImportColumns.size(); ++i) {
    *fields[i] = std::string(absl::StripAsciiWhitespace(header.Field(record, i)));
  }
  return row;
}

OrgImportPlan ValidateOrgImport(absl::Span<const OrgRow> rows, const OrgSnapshot& existing) {
  OrgImportPlan plan;
  Errors errors;
  Validate(rows, existing, &errors, &plan);
  Finish(std::move(errors), &plan);
  return plan;
}

OrgImportPlan PlanOrgImport(std::string_view csv_text, const OrgSnapshot& existing) {
  OrgImportPlan plan;
  const std::vector<CsvRecord> records = ParseCsv(csv_text);
  if (records.empty()) {
    plan.errors.push_back("the file is empty: expected the header row " +
                          absl::StrJoin(kOrgImportColumns, ",", [](std::string* out, auto c) {
                            out->append(c.data(), c.size());
                          }));
    return plan;
  }
  absl::StatusOr<CsvHeader> header =
      CsvHeader::Parse(records[0], kOrgImportColumns, kOrgImportOptionalColumns);
  if (!header.ok()) {
    // Without the header no row can be read, so every row is rejected.
    plan.errors.emplace_back(header.status().message());
    plan.rejected = static_cast<int>(records.size()) - 1;
    return plan;
  }
  Errors errors;
  std::vector<OrgRow> rows;
  rows.reserve(records.size());
  for (size_t i = 1; i < records.size(); ++i) {
    absl::StatusOr<OrgRow> row = OrgRowFromRecord(*header, records[i]);
    if (row.ok()) {
      rows.push_back(*std::move(row));
    } else {
      errors.emplace_back(records[i].line, std::string(row.status().message()));
    }
  }
  Validate(rows, existing, &errors, &plan);
  Finish(std::move(errors), &plan);
  plan.warnings = header->warnings();
  return plan;
}

}  // namespace okr
