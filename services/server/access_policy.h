// Who may call what: one table for every RPC, checked in one place (see rpc.h) before any
// handler runs, so no handler has to remember to check.
#ifndef OKR_SERVICES_SERVER_ACCESS_POLICY_H_
#define OKR_SERVICES_SERVER_ACCESS_POLICY_H_

#include <map>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "services/domain/org.h"
#include "services/server/auth.h"

namespace okr {

enum class Access {
  kAnyone,    // any valid token (the handler filters what it returns to the caller's view)
  kReadUnit,  // director+; a lead inside its subtree; an agent on itself
  kLeadUnit,  // director+; a lead inside its subtree (proposals, kudos below it)
  kDirector,  // admin and director
  kAdmin,     // admin only (PRODUCT.md gives directors everything, so no RPC uses it yet)
};

// The rule of every RPC, keyed by its full name "/okr.v1.OrgService/GetUnit".
const std::map<std::string, Access, std::less<>>& AccessTable();

// Ok, or PERMISSION_DENIED saying why. `unit_id` is the unit the request is about (empty
// when it names none); `org` resolves subtrees.
absl::Status CheckAccess(std::string_view method, const Caller& caller, std::string_view unit_id,
                         const OrgSnapshot& org);

// True when the caller may read data of `unit_id` (for filtering lists and streams).
bool MayRead(const Caller& caller, std::string_view unit_id, const OrgSnapshot& org);

}  // namespace okr

#endif  // OKR_SERVICES_SERVER_ACCESS_POLICY_H_
