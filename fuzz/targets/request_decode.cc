// The decoding of every request: the first byte picks a message type of the okr.v1 API (all
// of them, from the descriptor pool), the rest is parsed as that message; what parses is
// re-serialised and must parse back equal. The string fields that the server parses as
// numbers and dates go through the same parsers the server uses.
#include <google/protobuf/descriptor.h>
#include <google/protobuf/dynamic_message.h>
#include <google/protobuf/message.h>
#include <google/protobuf/stubs/logging.h>
#include <google/protobuf/util/field_comparator.h>
#include <google/protobuf/util/message_differencer.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "okr/v1/access.pb.h"
#include "okr/v1/actuals.pb.h"
#include "okr/v1/explain.pb.h"
#include "okr/v1/metric.pb.h"
#include "okr/v1/org.pb.h"
#include "okr/v1/plan.pb.h"
#include "okr/v1/plugins.pb.h"
#include "okr/v1/progress.pb.h"
#include "okr/v1/review.pb.h"
#include "services/domain/actual_event.h"
#include "services/domain/calendar.h"

namespace {

std::vector<const google::protobuf::Message*> Prototypes() {
  std::vector<const google::protobuf::Message*> out;
  const google::protobuf::DescriptorPool* pool = google::protobuf::DescriptorPool::generated_pool();
  for (const char* file :
       {"okr/v1/access.proto", "okr/v1/actuals.proto", "okr/v1/common.proto",
        "okr/v1/explain.proto", "okr/v1/metric.proto", "okr/v1/org.proto", "okr/v1/plan.proto",
        "okr/v1/plugins.proto", "okr/v1/progress.proto", "okr/v1/review.proto"}) {
    const google::protobuf::FileDescriptor* fd = pool->FindFileByName(file);
    if (fd == nullptr) continue;
    for (int i = 0; i < fd->message_type_count(); ++i) {
      out.push_back(
          google::protobuf::MessageFactory::generated_factory()->GetPrototype(fd->message_type(i)));
    }
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  // Invalid UTF-8 in string fields is expected input: parsing fails, quietly.
  google::protobuf::SetLogHandler(nullptr);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::vector<const google::protobuf::Message*> prototypes = [] {
    // Touch every generated file so that it is registered in the pool.
    okr::v1::CreateTokenRequest a;
    okr::v1::IngestRequest b;
    okr::v1::BackupRequest c;
    okr::v1::DefineMetricRequest d;
    okr::v1::GetUnitRequest e;
    okr::v1::CascadeRequest f;
    okr::v1::ClosePeriodRequest g;
    okr::v1::ProgressRequest h;
    okr::v1::ProposeRequest i;
    return Prototypes();
  }();
  if (size == 0 || prototypes.empty()) return 0;
  const google::protobuf::Message* prototype = prototypes[data[0] % prototypes.size()];
  std::unique_ptr<google::protobuf::Message> message(prototype->New());
  if (!message->ParseFromArray(data + 1, static_cast<int>(size - 1))) return 0;
  std::string bytes;
  if (!message->SerializeToString(&bytes)) __builtin_trap();
  std::unique_ptr<google::protobuf::Message> again(prototype->New());
  if (!again->ParseFromString(bytes)) __builtin_trap();
  // NaN == NaN here: a double field may carry any bit pattern (found by the first long run).
  google::protobuf::util::DefaultFieldComparator comparator;
  comparator.set_treat_nan_as_equal(true);
  google::protobuf::util::MessageDifferencer differencer;
  differencer.set_field_comparator(&comparator);
  if (!differencer.Compare(*message, *again)) __builtin_trap();
  // The text the server parses: dates, months, periods and numbers.
  if (auto* ingest = dynamic_cast<okr::v1::IngestRequest*>(message.get())) {
    for (const auto& e : ingest->events()) {
      okr::ParseMicros(e.date()).IgnoreError();
      okr::ParseMicros(e.event_id()).IgnoreError();
    }
  }
  const google::protobuf::Reflection* reflection = message->GetReflection();
  std::vector<const google::protobuf::FieldDescriptor*> fields;
  reflection->ListFields(*message, &fields);
  for (const auto* field : fields) {
    if (field->type() != google::protobuf::FieldDescriptor::TYPE_STRING || field->is_repeated()) {
      continue;
    }
    const std::string text = reflection->GetString(*message, field);
    okr::ParseMicros(text).IgnoreError();
    okr::Date::Parse(text).IgnoreError();
    okr::Period::Parse(text).IgnoreError();
    okr::ParseYearMonth(text).IgnoreError();
  }
  return 0;
}
