// How much of the audit history one reply may carry (docs/paging.md "History's byte budget").
//
// Why: paging counts entries, but one entry can be huge: the first cascade over 100,000 agents
// records every cell before and after it, about 17 MB of JSON, more than a gRPC message may hold
// (4 MB by default), so the whole page failed with RESOURCE_EXHAUSTED. A history page therefore
// also ends once its entries reach kMaxHistoryPageBytes (the next page starts at the entry that
// did not fit), and an entry that alone is larger is sent with its large before/after replaced
// by a short summary (CutAuditRecord). The stored entry is never changed.
#ifndef OKR_SERVICES_CORE_HISTORY_BUDGET_H_
#define OKR_SERVICES_CORE_HISTORY_BUDGET_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "store/records.pb.h"

namespace okr {

// The most bytes of entries a history page holds: a quarter of gRPC's default 4 MB, so that a
// page with its framing stays well inside what any client accepts.
inline constexpr size_t kMaxHistoryPageBytes = 1024 * 1024;

// A before/after JSON larger than this is summarised when its entry is cut.
inline constexpr size_t kMaxCutJsonBytes = 4096;

// At least the bytes `record` takes in a reply (okr.v1.AuditEntry): its strings plus a fixed
// allowance for the field tags, lengths, numbers and the formatted time.
size_t AuditReplyBytes(const store::AuditRecord& record);

// The summary of a JSON document too large to send: the document's top-level scalars and short
// arrays of scalars as they are, `"truncated": true`, `"bytes"` (the whole document's size) and
// `"omitted"`: {member: how many values (numbers, strings, ...) it holds} for each member left
// out. A first cascade's `after` becomes {"from", "months", "units", "year", "truncated": true,
// "bytes": 17000000, "omitted": {"cells": 1200000, "years": 100000}}. A document that is not a
// JSON object, or whose summary would still be large, is {"truncated": true, "bytes": N}.
std::string SummariseJson(std::string_view json);

// Makes `record` fit a page: when AuditReplyBytes is above kMaxHistoryPageBytes, summarises
// each of before_json and after_json that is larger than kMaxCutJsonBytes and returns true.
bool CutAuditRecord(store::AuditRecord& record);

}  // namespace okr

#endif  // OKR_SERVICES_CORE_HISTORY_BUDGET_H_
