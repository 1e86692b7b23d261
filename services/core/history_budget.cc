#include "services/core/history_budget.h"

#include <nlohmann/json.hpp>
#include <optional>

namespace okr {
namespace {

// Field tags, lengths, seq, plan_version and the RFC 3339 time of one okr.v1.AuditEntry, and
// its own tag and length in the reply, with room to spare.
constexpr size_t kAuditEntryOverheadBytes = 128;

// What a summary keeps of a member: a scalar (a string of at most this many bytes), or an
// array of at most kKeptArrayItems such scalars (a cascade's 12 months).
constexpr size_t kKeptStringBytes = 256;
constexpr size_t kKeptArrayItems = 32;
// A document with more top-level members than this is summarised as its size alone.
constexpr size_t kSummarisedMembers = 64;

using Json = nlohmann::json;

// Reads a JSON document as a stream (no tree of a 17 MB document in memory) into its summary:
// the top-level members it keeps, and the count of values of those it omits.
class JsonSummariser : public nlohmann::json_sax<Json> {
 public:
  // The summary; nullopt when the document is not an object or has too many members.
  std::optional<Json> Take() {
    if (!complete_) return std::nullopt;
    kept_["omitted"] = std::move(omitted_);
    return std::move(kept_);
  }

  bool null() override { return Scalar(Json()); }
  bool boolean(bool value) override { return Scalar(Json(value)); }
  bool number_integer(number_integer_t value) override { return Scalar(Json(value)); }
  bool number_unsigned(number_unsigned_t value) override { return Scalar(Json(value)); }
  bool number_float(number_float_t value, const string_t&) override { return Scalar(Json(value)); }
  bool string(string_t& value) override {
    if (value.size() > kKeptStringBytes) {
      if (depth_ == 1) return Omit(1);
      ++leaves_;
      keeping_ = false;
      return true;
    }
    return Scalar(Json(value));
  }
  bool binary(binary_t&) override { return Scalar(Json()); }

  bool start_object(std::size_t) override { return Open(/*array=*/false); }
  bool end_object() override { return Close(); }
  bool start_array(std::size_t) override { return Open(/*array=*/true); }
  bool end_array() override { return Close(); }
  bool key(string_t& key) override {
    if (depth_ != 1) return true;
    if (key.size() > kKeptStringBytes) return false;
    key_ = key;
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
    return false;
  }

 private:
  bool Scalar(Json value) {
    if (depth_ == 0) return false;  // the document is not an object
    if (depth_ == 1) return Keep(std::move(value));
    ++leaves_;
    if (keeping_ && depth_ == 2 && array_.size() < kKeptArrayItems) {
      array_.push_back(std::move(value));
    } else {
      keeping_ = false;
    }
    return true;
  }
  bool Open(bool array) {
    if (depth_ == 0 && array) return false;
    if (depth_ == 1) {
      // A member that is an array may be kept (if short and flat); an object is counted.
      keeping_ = array;
      array_ = Json::array();
      leaves_ = 0;
    } else if (depth_ > 1) {
      keeping_ = false;
    }
    ++depth_;
    return true;
  }
  bool Close() {
    --depth_;
    if (depth_ == 0) {
      complete_ = true;
      return true;
    }
    if (depth_ == 1) return keeping_ ? Keep(std::move(array_)) : Omit(leaves_);
    return true;
  }
  bool Keep(Json value) {
    if (++members_ > kSummarisedMembers) return false;
    kept_[key_] = std::move(value);
    return true;
  }
  bool Omit(size_t values) {
    if (++members_ > kSummarisedMembers) return false;
    omitted_[key_] = values;
    return true;
  }

  int depth_ = 0;
  std::string key_;    // the top-level member being read
  size_t leaves_ = 0;  // the values read so far in that member
  bool keeping_ = false;
  Json array_;
  size_t members_ = 0;
  bool complete_ = false;
  Json kept_ = Json::object();
  Json omitted_ = Json::object();
};

}  // namespace

size_t AuditReplyBytes(const store::AuditRecord& record) {
  return kAuditEntryOverheadBytes + record.actor().size() + record.action().size() +
         record.unit_id().size() + record.metric_id().size() + record.reason().size() +
         record.before_json().size() + record.after_json().size();
}

std::string SummariseJson(std::string_view json) {
  JsonSummariser summariser;
  const bool parsed = Json::sax_parse(json.begin(), json.end(), &summariser);
  std::optional<Json> summary = parsed ? summariser.Take() : std::nullopt;
  if (summary.has_value()) {
    (*summary)["truncated"] = true;
    (*summary)["bytes"] = json.size();
    std::string text = summary->dump(-1, ' ', false, Json::error_handler_t::replace);
    if (text.size() <= kMaxCutJsonBytes) return text;
  }
  return Json{{"truncated", true}, {"bytes", json.size()}}.dump();
}

bool CutAuditRecord(store::AuditRecord& record) {
  if (AuditReplyBytes(record) <= kMaxHistoryPageBytes) return false;
  if (record.before_json().size() > kMaxCutJsonBytes) {
    record.set_before_json(SummariseJson(record.before_json()));
  }
  if (record.after_json().size() > kMaxCutJsonBytes) {
    record.set_after_json(SummariseJson(record.after_json()));
  }
  return true;
}

}  // namespace okr
