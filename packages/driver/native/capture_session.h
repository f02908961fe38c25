// One live capture: opens, sizes, loads and attaches the BPF object, owns the batch pool and the
// consumer thread, and exposes stats and the run-time syscall switch to JavaScript.
#pragma once

#include <napi.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "batch_pool.h"
#include "consumer.h"

extern "C" {
#include "../bpf/shared/wire.h"
}

struct driver_bpf;
struct bpf_link;

namespace driver {

struct SessionSettings {
  uint64_t ring_bytes = 8u << 20;
  size_t batch_bytes = 1u << 20;
  size_t batch_slots = 4;
  uint64_t wakeup_bytes = 256u << 10;
  int poll_ms = 10;
  // Hook enter events on per-syscall syscalls/sys_enter_<name> tracepoints when tracefs allows it
  // (false: always use the generic tp_btf/sys_enter dispatcher).
  bool enter_tracepoints = true;
  std::vector<std::string> syscalls;
};

class CaptureSession : public Napi::ObjectWrap<CaptureSession> {
 public:
  static Napi::Function Define(Napi::Env env);
  explicit CaptureSession(const Napi::CallbackInfo& info);
  ~CaptureSession() override;

 private:
  Napi::Value Buffers(const Napi::CallbackInfo& info);
  Napi::Value Release(const Napi::CallbackInfo& info);
  Napi::Value Stats(const Napi::CallbackInfo& info);
  Napi::Value SetSyscalls(const Napi::CallbackInfo& info);
  Napi::Value Supported(const Napi::CallbackInfo& info);
  Napi::Value Close(const Napi::CallbackInfo& info);

  void Load(Napi::Env env);
  void PlanSyscalls();
  void ApplySyscalls(const std::vector<std::string>& names);
  bool ApplyEnterTracepoints(const bool (&enters)[SYSCALL_TABLE_SIZE]);
  void ApplyEnterDispatcher(bool any_enter);
  void DetachEnterTracepoints();
  void Shutdown();

  struct SyscallEntry {
    int32_t nr;
    std::string_view exit_prog;
    std::string_view enter_prog;
    bool generic = false;  // written by the dispatcher itself (ROUTE_GENERIC)
  };
  std::map<std::string, SyscallEntry> syscalls_;  // every name this build can capture
  SessionSettings settings_;
  bool enter_attach_failed_ = false;  // reported through stats as enterAttached = false
  // Per-syscall enter tracepoints, attached while their syscall is captured (by syscall number).
  // Cleared for good, and the dispatcher used instead, once one fails to attach (no tracefs).
  bool use_enter_tracepoints_ = true;
  std::map<int32_t, bpf_link*> enter_links_;
  driver_bpf* skel_ = nullptr;
  // Shared with every ArrayBuffer handed to JavaScript, so a batch view outliving the session
  // never points at freed memory.
  std::shared_ptr<BatchPool> pool_;
  std::unique_ptr<Consumer> consumer_;
};

}  // namespace driver
