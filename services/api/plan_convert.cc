#include "services/api/plan_convert.h"

#include "services/domain/calendar.h"

namespace okr {

void ToProto(const PlanDiff& diff, int year, v1::PlanDiff* out) {
  out->set_cells_changed(static_cast<uint32_t>(diff.cells.size()));
  out->set_units_changed(static_cast<uint32_t>(diff.units.size()));
  out->set_truncated(diff.cells.size() > kMaxDiffItemsInReply ||
                     diff.units.size() > kMaxDiffItemsInReply);
  for (const CellChange& cell : diff.cells) {
    if (static_cast<size_t>(out->cells_size()) == kMaxDiffItemsInReply) break;
    v1::CellChange* c = out->add_cells();
    c->set_unit_id(cell.unit_id);
    c->set_month(MonthText(year, cell.month));
    c->set_before(cell.before);
    c->set_after(cell.after);
  }
  for (const UnitChange& unit : diff.units) {
    if (static_cast<size_t>(out->units_size()) == kMaxDiffItemsInReply) break;
    v1::UnitChange* u = out->add_units();
    u->set_unit_id(unit.unit_id);
    u->set_had_plan(unit.had_plan);
    u->set_year_before(unit.year_before);
    u->set_year_after(unit.year_after);
  }
}

}  // namespace okr
