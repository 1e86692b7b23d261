// The text rule of every string a request stores, in one table keyed by field name, checked
// for every unary RPC before its handler runs (rpc.h), so that no handler can forget it and
// a new RPC whose fields have the usual names is covered without code of its own.
//
//   reason, text, note   kReasonText   why a target, hold, move or decision; a comment; kudos
//   name, label          kNameText     a metric's name (a plugin's name is looked up), a token's
//   label unit                 kLabelText    a metric's unit label config_json          kConfigText
//   a plugin's configuration
//
// Every other string field of a request names something that must exist (a unit, metric,
// token, alert or plugin: not found otherwise), or is a date, month, period or path that is
// parsed; none of them is stored as given. Ids that a request creates have their own rules
// where they are made: unit ids in the org import, metric ids in FromProto (slugs of 1-64),
// event ids per row in ValidateEvent (so one bad event rejects its row, not the batch).
// A unit test walks every request message of okr.v1 and fails on a string field that is in
// neither list, so a new field gets a rule on purpose.
#ifndef OKR_SERVICES_API_REQUEST_TEXT_H_
#define OKR_SERVICES_API_REQUEST_TEXT_H_

#include <string_view>

#include "absl/status/status.h"
#include "google/protobuf/message.h"
#include "services/domain/text.h"

namespace okr {

// The rule of a string field that a request stores, by the field's name; nullptr for the
// others.
const TextRule* StoredTextRule(std::string_view field_name);

// True for the names of string fields that are looked up or parsed, never stored as given.
bool IsLookupTextField(std::string_view field_name);

// Checks every stored string of `request`, nested messages included: InvalidArgument
// "reason: longer than 2000 bytes (2345)" or "metric.name: control character U+001B at
// offset 3" for the first that breaks its rule.
absl::Status CheckRequestText(const google::protobuf::Message& request);

}  // namespace okr

#endif  // OKR_SERVICES_API_REQUEST_TEXT_H_
