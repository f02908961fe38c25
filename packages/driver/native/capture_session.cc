#include "capture_session.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <string>

#include "../bpf/shared/wire.h"
#include "errors.h"
#include "driver.skel.h"
#include "simple_specs.h"
#include "syscall_programs.h"

namespace driver {

namespace {

// libbpf's diagnostics (verifier log included) are kept so a load failure can say why.
thread_local std::string g_libbpf_log;
int CollectLibbpfLog(enum libbpf_print_level level, const char* format, va_list args) {
  if (level == LIBBPF_DEBUG) return 0;
  va_list copy;
  va_copy(copy, args);
  int n = vsnprintf(nullptr, 0, format, copy);
  va_end(copy);
  if (n <= 0) return n;
  std::string line(static_cast<size_t>(n) + 1, '\0');
  vsnprintf(line.data(), line.size(), format, args);
  line.resize(static_cast<size_t>(n));
  // The verifier log can be megabytes; its end says why a program was refused.
  if (line.size() > 6144) line = "...\n" + line.substr(line.size() - 6144);
  g_libbpf_log += line;
  if (g_libbpf_log.size() > 16384) g_libbpf_log.erase(0, g_libbpf_log.size() - 16384);
  return n;
}

uint64_t ClockNs(clockid_t clock) {
  timespec ts{};
  clock_gettime(clock, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000ull + ts.tv_nsec;
}

std::string LoadErrorCode(int err) {
  if (err == -EPERM || err == -EACCES) return "NOT_PRIVILEGED";
  if (access("/sys/kernel/btf/vmlinux", R_OK) != 0) return "NO_BTF";
  return "BPF_LOAD_FAILED";
}

uint64_t GetNumber(const Napi::Object& o, const char* key, uint64_t fallback) {
  Napi::Value v = o.Get(key);
  return v.IsNumber() ? static_cast<uint64_t>(v.As<Napi::Number>().Int64Value()) : fallback;
}

std::vector<std::string> GetStrings(const Napi::Value& value) {
  std::vector<std::string> out;
  if (!value.IsArray()) return out;
  Napi::Array array = value.As<Napi::Array>();
  for (uint32_t i = 0; i < array.Length(); i++) out.push_back(array.Get(i).ToString().Utf8Value());
  return out;
}

}  // namespace

Napi::Function CaptureSession::Define(Napi::Env env) {
  return DefineClass(env, "CaptureSession",
                     {InstanceMethod("buffers", &CaptureSession::Buffers),
                      InstanceMethod("release", &CaptureSession::Release),
                      InstanceMethod("stats", &CaptureSession::Stats),
                      InstanceMethod("setSyscalls", &CaptureSession::SetSyscalls),
                      InstanceMethod("supported", &CaptureSession::Supported),
                      InstanceMethod("close", &CaptureSession::Close)});
}

// new CaptureSession(options, onBatch(slot, count, bytes))
CaptureSession::CaptureSession(const Napi::CallbackInfo& info) : Napi::ObjectWrap<CaptureSession>(info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsObject() || !info[1].IsFunction()) {
    throw MakeDriverError(env, "BAD_OPTIONS", "CaptureSession(options, onBatch) expects an object and a function", 0);
  }
  // The baton rule: copy every setting into plain C++ before any thread exists.
  Napi::Object options = info[0].As<Napi::Object>();
  settings_.ring_bytes = GetNumber(options, "bufferBytes", settings_.ring_bytes);
  settings_.batch_bytes = GetNumber(options, "batchBytes", settings_.batch_bytes);
  settings_.batch_slots = GetNumber(options, "batchSlots", settings_.batch_slots);
  settings_.wakeup_bytes = GetNumber(options, "wakeupBytes", settings_.wakeup_bytes);
  settings_.poll_ms = static_cast<int>(GetNumber(options, "pollMs", settings_.poll_ms));
  Napi::Value enter_hook = options.Get("enterHook");
  settings_.enter_tracepoints = !(enter_hook.IsString() && enter_hook.As<Napi::String>().Utf8Value() == "tp_btf");
  use_enter_tracepoints_ = settings_.enter_tracepoints;
  settings_.syscalls = GetStrings(options.Get("syscalls"));
  if (settings_.batch_bytes < 2 * MAX_RECORD_SIZE) settings_.batch_bytes = 2 * MAX_RECORD_SIZE;
  if (settings_.batch_slots < 2) settings_.batch_slots = 2;

  Load(env);
  pool_ = std::make_shared<BatchPool>(settings_.batch_slots, settings_.batch_bytes);
  BatchCallback callback = BatchCallback::New(env, info[1].As<Napi::Function>(), "falco-ts-driver-batches", 0, 1);
  ConsumerSettings cs;
  cs.ring_fd = bpf_map__fd(skel_->maps.ringbuf);
  cs.poll_ms = settings_.poll_ms;
  cs.flush_bytes = settings_.batch_bytes - MAX_RECORD_SIZE;
  consumer_ = std::make_unique<Consumer>(cs, *pool_, callback);
  int err = consumer_->Start();
  if (err != 0) {
    callback.Release();
    Shutdown();
    throw MakeDriverError(env, "RINGBUF_FAILED", "cannot set up the ring buffer consumer", err);
  }
  ApplySyscalls(settings_.syscalls);
}

CaptureSession::~CaptureSession() { Shutdown(); }

void CaptureSession::Load(Napi::Env env) {
  g_libbpf_log.clear();
  libbpf_set_print(CollectLibbpfLog);
  skel_ = driver_bpf__open();
  if (skel_ == nullptr) {
    int err = -errno;
    throw MakeDriverError(env, LoadErrorCode(err), "cannot open the BPF object\n" + g_libbpf_log, err);
  }
  if (skel_->rodata->g_schema_version != DRIVER_SCHEMA_VERSION) {
    Shutdown();
    throw MakeDriverError(env, "SCHEMA_MISMATCH", "the BPF object was built from another wire header; rebuild the package", 0);
  }
  skel_->rodata->g_boot_time_ns = ClockNs(CLOCK_REALTIME) - ClockNs(CLOCK_BOOTTIME);
  int cpus = libbpf_num_possible_cpus();
  // Each CPU counts its own bytes between wake-ups; together they wake about every wakeup_bytes.
  skel_->rodata->g_wakeup_bytes = std::max<uint64_t>(4096, settings_.wakeup_bytes / static_cast<uint64_t>(cpus > 0 ? cpus : 1));
  bpf_map__set_max_entries(skel_->maps.ringbuf, static_cast<uint32_t>(settings_.ring_bytes));
  bpf_map__set_max_entries(skel_->maps.auxiliary_maps, cpus > 0 ? cpus : 1);
  // Only the dispatchers and the lifecycle programs attach to the kernel; every per-syscall
  // program is entered through a tail-call table.
  bpf_program* prog = nullptr;
  bpf_object__for_each_program(prog, skel_->obj) {
    std::string_view name = bpf_program__name(prog);
    bool attached = false;
    for (std::string_view a : kAttachedPrograms) attached = attached || name == a;
    bpf_program__set_autoattach(prog, attached);
  }
  PlanSyscalls();
  int err = driver_bpf__load(skel_);
  if (err != 0) {
    std::string log = g_libbpf_log;
    Shutdown();
    throw MakeDriverError(env, LoadErrorCode(err), "cannot load the BPF programs\n" + log, err);
  }
  int exit_table = bpf_map__fd(skel_->maps.syscall_exit_tail_table);
  int enter_table = bpf_map__fd(skel_->maps.syscall_enter_tail_table);
  for (const auto& [name, entry] : syscalls_) {
    for (auto [table, prog_name] : {std::pair{exit_table, entry.exit_prog}, std::pair{enter_table, entry.enter_prog}}) {
      if (prog_name.empty()) continue;
      bpf_program* prog = bpf_object__find_program_by_name(skel_->obj, std::string(prog_name).c_str());
      if (prog == nullptr) continue;
      uint32_t key = static_cast<uint32_t>(entry.nr);
      int fd = bpf_program__fd(prog);
      if (bpf_map_update_elem(table, &key, &fd, BPF_ANY) != 0) {
        int e = -errno;
        Shutdown();
        throw MakeDriverError(env, "BPF_LOAD_FAILED", "cannot fill the syscall tail-call tables", e);
      }
    }
  }
  err = driver_bpf__attach(skel_);
  if (err != 0) {
    std::string log = g_libbpf_log;
    Shutdown();
    throw MakeDriverError(env, LoadErrorCode(err), "cannot attach the BPF programs\n" + log, err);
  }
}

// Decides which program serves each syscall: a dedicated one, the table-driven one (with its
// encoding written to rodata), or the table-driven generic event. Must run before load.
void CaptureSession::PlanSyscalls() {
  for (const auto& def : kSimpleDefs) {
    if (def.nr < 0 || def.nr >= SYSCALL_TABLE_SIZE) continue;
    simple_spec& spec = const_cast<simple_spec&>(skel_->rodata->g_simple_specs[def.nr]);
    spec.event = def.event;
    spec.nparams = def.nparams;
    for (int i = 0; i < def.nparams; i++) spec.params[i] = def.params[i];
    syscalls_[std::string(def.name)] = {def.nr, "simple_x", ""};
  }
#define DRIVER_GENERIC_SYSCALL(NR, NAME, SC, EXIT_EVENT, ENTER_EVENT)                 \
  if ((EXIT_EVENT) == PPME_GENERIC_X && (NR) < SYSCALL_TABLE_SIZE && !syscalls_.count(#NAME)) { \
    simple_spec& spec = const_cast<simple_spec&>(skel_->rodata->g_simple_specs[NR]); \
    spec.event = PPME_GENERIC_X;                                                      \
    spec.ppm_sc = SC;                                                                 \
    spec.nparams = 2;                                                                 \
    spec.params[0] = {SPK_PPM_SC, 0, CONV_NONE, 0};                                   \
    spec.params[1] = {SPK_NR, 0, CONV_NONE, 0};                                       \
    syscalls_[#NAME] = {NR, "simple_x", "", true};                                    \
  }
  FALCO_TS_SYSCALLS_X86_64(DRIVER_GENERIC_SYSCALL)
#undef DRIVER_GENERIC_SYSCALL
  for (const auto& sc : kSyscallPrograms) syscalls_[std::string(sc.name)] = {sc.nr, sc.exit_prog, sc.enter_prog};
}

// Writes the interest tables in the mapped .bss: takes effect on the next syscall, no reload.
void CaptureSession::ApplySyscalls(const std::vector<std::string>& names) {
  uint8_t routes[SYSCALL_TABLE_SIZE] = {};
  bool enters[SYSCALL_TABLE_SIZE] = {};
  bool lifecycle[sizeof(skel_->bss->g_interesting_lifecycle)] = {};
  for (const auto& name : names) {
    auto it = syscalls_.find(name);
    if (it != syscalls_.end()) {
      routes[it->second.nr] = it->second.generic ? ROUTE_GENERIC : ROUTE_TAIL_CALL;
      enters[it->second.nr] = !it->second.enter_prog.empty();
    }
    for (const auto& lp : kLifecyclePrograms)
      if (lp.name == name) lifecycle[lp.index] = true;
  }
  bool any_enter = false;
  for (int i = 0; i < SYSCALL_TABLE_SIZE; i++) {
    skel_->bss->g_interesting_syscalls[i] = routes[i];
    skel_->bss->g_interesting_enter[i] = enters[i];
    any_enter = any_enter || enters[i];
  }
  if (use_enter_tracepoints_ && !ApplyEnterTracepoints(enters)) {
    // No tracefs (or the kernel refused): the generic dispatcher works everywhere tp_btf does.
    DetachEnterTracepoints();
    use_enter_tracepoints_ = false;
  }
  ApplyEnterDispatcher(!use_enter_tracepoints_ && any_enter);
  for (size_t i = 0; i < sizeof(lifecycle); i++) skel_->bss->g_interesting_lifecycle[i] = lifecycle[i];
}

// Attaches NAME_tp to syscalls/sys_enter_<name> for each captured syscall with an enter event and
// detaches the others. Returns false when one cannot be attached.
bool CaptureSession::ApplyEnterTracepoints(const bool (&enters)[SYSCALL_TABLE_SIZE]) {
  for (const auto& [name, entry] : syscalls_) {
    if (entry.enter_prog.empty()) continue;
    auto link = enter_links_.find(entry.nr);
    if (!enters[entry.nr]) {
      if (link != enter_links_.end()) {
        bpf_link__destroy(link->second);
        enter_links_.erase(link);
      }
      continue;
    }
    if (link != enter_links_.end()) continue;
    std::string prog_name = std::string(entry.enter_prog) + "_tp";
    bpf_program* prog = bpf_object__find_program_by_name(skel_->obj, prog_name.c_str());
    bpf_link* attached = prog != nullptr ? bpf_program__attach(prog) : nullptr;
    if (attached == nullptr) return false;
    enter_links_[entry.nr] = attached;
  }
  return true;
}

void CaptureSession::ApplyEnterDispatcher(bool wanted) {
  if (wanted && skel_->links.sys_enter_dispatch == nullptr) {
    skel_->links.sys_enter_dispatch = bpf_program__attach(skel_->progs.sys_enter_dispatch);
    enter_attach_failed_ = skel_->links.sys_enter_dispatch == nullptr;
  } else if (!wanted && skel_->links.sys_enter_dispatch != nullptr) {
    bpf_link__destroy(skel_->links.sys_enter_dispatch);
    skel_->links.sys_enter_dispatch = nullptr;
  }
}

void CaptureSession::DetachEnterTracepoints() {
  for (auto& [nr, link] : enter_links_) bpf_link__destroy(link);
  enter_links_.clear();
}

// buffers(): one external ArrayBuffer per batch slot, created once; each keeps the pool alive.
Napi::Value CaptureSession::Buffers(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Array out = Napi::Array::New(env, pool_->size());
  for (size_t i = 0; i < pool_->size(); i++) {
    BatchSlot& slot = pool_->slot(static_cast<int>(i));
    auto* keep = new std::shared_ptr<BatchPool>(pool_);
    out.Set(i, Napi::ArrayBuffer::New(
                   env, slot.data.get(), slot.capacity,
                   [](Napi::Env, void*, std::shared_ptr<BatchPool>* hint) { delete hint; }, keep));
  }
  return out;
}

Napi::Value CaptureSession::Release(const Napi::CallbackInfo& info) {
  if (info.Length() > 0 && info[0].IsNumber() && pool_) pool_->Release(info[0].As<Napi::Number>().Int32Value());
  return info.Env().Undefined();
}

Napi::Value CaptureSession::Stats(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object out = Napi::Object::New(env);
  driver_counters total{};
  if (skel_ != nullptr) {
    int cpus = libbpf_num_possible_cpus();
    std::vector<driver_counters> per_cpu(cpus > 0 ? cpus : 1);
    uint32_t zero = 0;
    if (bpf_map_lookup_elem(bpf_map__fd(skel_->maps.counters_map), &zero, per_cpu.data()) == 0) {
      for (const auto& c : per_cpu) {
        total.events += c.events;
        total.drops_buffer_full += c.drops_buffer_full;
        total.drops_too_large += c.drops_too_large;
        total.drops_tail_call += c.drops_tail_call;
        total.read_failures += c.read_failures;
      }
    }
  }
  auto num = [&](const char* key, uint64_t v) { out.Set(key, Napi::Number::New(env, static_cast<double>(v))); };
  num("kernelEvents", total.events);
  num("dropsBufferFull", total.drops_buffer_full);
  num("dropsTooLarge", total.drops_too_large);
  num("dropsTailCall", total.drops_tail_call);
  num("readFailures", total.read_failures);
  bool dispatcher = skel_ != nullptr && skel_->links.sys_enter_dispatch != nullptr;
  bool tracepoints = !enter_links_.empty();
  out.Set("enterAttached", Napi::Boolean::New(env, dispatcher || tracepoints));
  out.Set("enterHook", Napi::String::New(env, dispatcher ? "tp_btf" : tracepoints ? "syscall_tracepoints" : "none"));
  if (consumer_) {
    const ConsumerStats& cs = consumer_->stats();
    num("deliveredEvents", cs.events);
    num("deliveredBatches", cs.batches);
    num("deliveredBytes", cs.bytes);
    num("consumerCpuNs", cs.cpu_ns);
    num("consumerStalledMs", cs.stalled_ms);
    num("pollErrors", cs.poll_errors);
  }
  return out;
}

Napi::Value CaptureSession::SetSyscalls(const Napi::CallbackInfo& info) {
  if (skel_ != nullptr && info.Length() > 0) ApplySyscalls(GetStrings(info[0]));
  return info.Env().Undefined();
}

// supported(): the names this build can switch on.
Napi::Value CaptureSession::Supported(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Array out = Napi::Array::New(env);
  uint32_t i = 0;
  for (const auto& [name, entry] : syscalls_) out.Set(i++, Napi::String::New(env, name));
  for (const auto& lp : kLifecyclePrograms) out.Set(i++, Napi::String::New(env, std::string(lp.name)));
  return out;
}

Napi::Value CaptureSession::Close(const Napi::CallbackInfo& info) {
  Shutdown();
  return info.Env().Undefined();
}

void CaptureSession::Shutdown() {
  if (consumer_) {
    consumer_->Stop();
    consumer_.reset();
  }
  DetachEnterTracepoints();
  if (skel_ != nullptr) {
    driver_bpf__destroy(skel_);
    skel_ = nullptr;
  }
}

}  // namespace driver
