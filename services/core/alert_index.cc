#include "services/core/alert_index.h"

#include <limits>

#include "services/core/alerts.h"
#include "services/core/outcomes.h"
#include "store/keys.h"

namespace okr {
namespace {

constexpr std::string_view kAlertIndexDone = "v";
// The statuses an alert has (AlertStatus): its key under one, none under the others.
constexpr AlertStatus kAlertStatuses[] = {AlertStatus::kOpen, AlertStatus::kAcked,
                                          AlertStatus::kResolved};

void AppendOrder(store::KeyBuilder& key, std::string_view alert_id) {
  const int64_t number = AlertNumber(alert_id);
  key.I64(number < 0 ? std::numeric_limits<int64_t>::max() : number).Str(alert_id);
}

std::string StatusKey(int status, std::string_view alert_id) {
  store::KeyBuilder key;
  key.Byte('s').I32(status);
  AppendOrder(key, alert_id);
  return key.Release();
}

void IndexAlert(store::Batch& batch, const store::AlertRecord& alert) {
  const std::string& id = alert.alert_id();
  store::KeyBuilder all;
  all.Byte('n');
  AppendOrder(all, id);
  batch.Put(store::Cf::kAlertIndex, all.key(), "");
  for (AlertStatus each : kAlertStatuses) {
    const int status = static_cast<int>(each);
    if (status == alert.status()) {
      batch.Put(store::Cf::kAlertIndex, StatusKey(status, id), "");
    } else {
      batch.Delete(store::Cf::kAlertIndex, StatusKey(status, id));
    }
  }
  store::KeyBuilder unit;
  unit.Byte('u').Str(alert.unit_id());
  AppendOrder(unit, id);
  batch.Put(store::Cf::kAlertIndex, unit.key(), "");
}

}  // namespace

void PutAlert(store::Batch& batch, const store::AlertRecord& alert) {
  batch.PutProto(store::Cf::kAlerts, AlertKey(alert.alert_id()), alert);
  IndexAlert(batch, alert);
}

std::string AlertOrder(std::string_view alert_id) {
  store::KeyBuilder key;
  AppendOrder(key, alert_id);
  return key.Release();
}

std::string AlertIdAt(std::string_view position) {
  store::KeyReader r(position);
  std::optional<int64_t> number = r.I64();
  std::optional<std::string> id = r.Str();
  if (!number || !id || !r.done()) return "";
  return *id;
}

IndexRange AllAlertsRange() {
  return IndexRange{store::Cf::kAlertIndex, store::KeyBuilder().Byte('n').Release()};
}
IndexRange AlertStatusRange(int status) {
  return IndexRange{store::Cf::kAlertIndex, store::KeyBuilder().Byte('s').I32(status).Release()};
}
IndexRange AlertUnitRange(std::string_view unit) {
  return IndexRange{store::Cf::kAlertIndex, store::KeyBuilder().Byte('u').Str(unit).Release()};
}

absl::StatusOr<bool> AlertIndexComplete(const store::Db& db) {
  auto done = db.Get(store::Cf::kAlertIndex, kAlertIndexDone);
  if (!done.ok()) return done.status();
  return done->has_value();
}

absl::Status BuildAlertIndex(store::Db& db) {
  auto complete = AlertIndexComplete(db);
  if (!complete.ok()) return complete.status();
  if (*complete) return absl::OkStatus();
  store::Batch batch = db.NewBatch();
  absl::Status scanned =
      db.Scan(store::Cf::kAlerts, AlertPrefix(), [&](std::string_view, std::string_view v) {
        store::AlertRecord alert;
        if (alert.ParseFromArray(v.data(), static_cast<int>(v.size()))) IndexAlert(batch, alert);
        return true;
      });
  if (!scanned.ok()) return scanned;
  batch.Put(store::Cf::kAlertIndex, kAlertIndexDone, "1");
  return db.Commit(batch);
}

std::optional<std::string> AlertIndexKeyProblem(std::string_view key) {
  if (key == kAlertIndexDone) return std::nullopt;
  store::KeyReader r(key);
  std::optional<char> kind = r.Byte();
  bool ok = false;
  if (kind == 'n') {
    ok = true;
  } else if (kind == 's') {
    ok = r.I32().has_value();
  } else if (kind == 'u') {
    ok = r.Str().has_value();
  }
  ok = ok && r.I64() && r.Str() && r.done();
  if (ok) return std::nullopt;
  return "not an alert index key ('n' | 's', status | 'u', unit; then alert number and id)";
}

}  // namespace okr
