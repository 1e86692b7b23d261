#include "services/api/plan_convert.h"

#include "services/domain/calendar.h"

namespace okr {

void ToProto(const PlanDiff& diff, int year, v1::PlanDiff* out) {
  for (const CellChange& cell : diff.cells) {
    v1::CellChange* c = out->add_cells();
    c->set_unit_id(cell.unit_id);
    c->set_month(MonthText(year, cell.month));
    c->set_before(cell.before);
    c->set_after(cell.after);
  }
  for (const UnitChange& unit : diff.units) {
    v1::UnitChange* u = out->add_units();
    u->set_unit_id(unit.unit_id);
    u->set_had_plan(unit.had_plan);
    u->set_year_before(unit.year_before);
    u->set_year_after(unit.year_after);
  }
}

}  // namespace okr
