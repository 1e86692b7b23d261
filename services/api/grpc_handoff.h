// gRPC creates a reactor on one of its threads, calls its callbacks on others, and runs what a
// reactor starts (a read, a write, the finish) on yet others; its own locks and atomics order
// all of that. Debian's gRPC is not built with ThreadSanitizer, so TSan sees none of that
// order: under TSan, the first callback's access to a reactor (locking its mutex, say) looks
// like a race with the reactor's construction. These two calls state the hand-off to TSan:
// HandToGrpc before every StartRead/StartWrite/Finish, TakeFromGrpc at the start of every
// callback. In other builds they compile to nothing.
#ifndef OKR_SERVICES_API_GRPC_HANDOFF_H_
#define OKR_SERVICES_API_GRPC_HANDOFF_H_

#if defined(__SANITIZE_THREAD__)
extern "C" void __tsan_acquire(void* addr);
extern "C" void __tsan_release(void* addr);
#endif

namespace okr {

inline void HandToGrpc([[maybe_unused]] void* reactor) {
#if defined(__SANITIZE_THREAD__)
  __tsan_release(reactor);
#endif
}

inline void TakeFromGrpc([[maybe_unused]] void* reactor) {
#if defined(__SANITIZE_THREAD__)
  __tsan_acquire(reactor);
#endif
}

}  // namespace okr

#endif  // OKR_SERVICES_API_GRPC_HANDOFF_H_
