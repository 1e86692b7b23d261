#include "services/api/request_text.h"

#include <algorithm>
#include <array>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"

namespace okr {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

constexpr std::array<std::pair<std::string_view, TextRule>, 7> kStoredText = {{
    {"reason", kReasonText},
    {"text", kReasonText},
    {"note", kReasonText},
    {"name", kNameText},
    {"label", kNameText},
    {"unit", kLabelText},
    {"config_json", kConfigText},
}};

// Looked up (NOT_FOUND when absent) or parsed (dates, months, periods, paths, RFC 3339
// times, page tokens); `key` is a map key (unit ids of weights and proposed values). event_id
// is checked per row by ValidateEvent.
constexpr std::array<std::string_view, 23> kLookupText = {
    "unit_id",  "metric_id", "parent_id",  "new_parent_id", "to_unit_id", "token_id",
    "alert_id", "event_id",  "actor",      "key",           "date",       "as_of",
    "month",    "period",    "from_month", "effective",     "start_date", "end_date",
    "since",    "until",     "path",       "dir",           "page_token"};

// Whether a message of this type can hold a stored string at any depth: an Ingest of 100,000
// events then costs one look at the type, not a walk over every event.
bool MayHoldStoredText(const google::protobuf::Descriptor* type,
                       std::vector<const google::protobuf::Descriptor*>* seen) {
  if (std::find(seen->begin(), seen->end(), type) != seen->end()) return false;
  seen->push_back(type);
  for (int i = 0; i < type->field_count(); ++i) {
    const FieldDescriptor* field = type->field(i);
    if (field->type() == FieldDescriptor::TYPE_STRING && StoredTextRule(field->name()) != nullptr) {
      return true;
    }
    if (field->message_type() != nullptr && MayHoldStoredText(field->message_type(), seen)) {
      return true;
    }
  }
  return false;
}

absl::Status CheckMessage(const Message& message, const std::string& prefix) {
  const Reflection* reflection = message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);  // the fields that are set
  for (const FieldDescriptor* field : fields) {
    const std::string path = prefix + field->name();
    if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      std::vector<const google::protobuf::Descriptor*> seen;
      if (!MayHoldStoredText(field->message_type(), &seen)) continue;
      const std::string nested = path + ".";
      if (field->is_repeated()) {
        for (int i = 0; i < reflection->FieldSize(message, field); ++i) {
          absl::Status s = CheckMessage(reflection->GetRepeatedMessage(message, field, i), nested);
          if (!s.ok()) return s;
        }
      } else {
        absl::Status s = CheckMessage(reflection->GetMessage(message, field), nested);
        if (!s.ok()) return s;
      }
      continue;
    }
    if (field->type() != FieldDescriptor::TYPE_STRING) continue;
    const TextRule* rule = StoredTextRule(field->name());
    if (rule == nullptr) continue;
    std::string scratch;
    if (field->is_repeated()) {
      for (int i = 0; i < reflection->FieldSize(message, field); ++i) {
        const std::string& value =
            reflection->GetRepeatedStringReference(message, field, i, &scratch);
        absl::Status s = CheckText(absl::StrCat(path, "[", i, "]"), value, *rule);
        if (!s.ok()) return s;
      }
    } else {
      absl::Status s =
          CheckText(path, reflection->GetStringReference(message, field, &scratch), *rule);
      if (!s.ok()) return s;
    }
  }
  return absl::OkStatus();
}

}  // namespace

const TextRule* StoredTextRule(std::string_view field_name) {
  for (const auto& [name, rule] : kStoredText) {
    if (name == field_name) return &rule;
  }
  return nullptr;
}

bool IsLookupTextField(std::string_view field_name) {
  return std::find(kLookupText.begin(), kLookupText.end(), field_name) != kLookupText.end();
}

absl::Status CheckRequestText(const Message& request) { return CheckMessage(request, ""); }

}  // namespace okr
