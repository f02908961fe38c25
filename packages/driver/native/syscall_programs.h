// Which BPF programs serve which syscall: the one place the addon learns syscall numbers
// (from the host's <sys/syscall.h>, x86_64) and the program names in the BPF object.
#pragma once

#include <sys/syscall.h>

#include <cstdint>
#include <string_view>

namespace driver {

struct SyscallProgram {
  std::string_view name;       // syscall name as rules and the event table spell it
  int32_t nr;                  // x86_64 syscall number
  std::string_view exit_prog;  // tail-called from the sys_exit dispatcher
  std::string_view enter_prog; // enter program: tail-called from the sys_enter dispatcher, or its
                               // <enter_prog>_tp twin attached to syscalls/sys_enter_<name>; or empty
};

inline constexpr SyscallProgram kSyscallPrograms[] = {
    {"open", SYS_open, "open_x", "open_e"},
    {"openat", SYS_openat, "openat_x", "openat_e"},
    {"openat2", SYS_openat2, "openat2_x", "openat2_e"},
    {"creat", SYS_creat, "creat_x", "creat_e"},
    {"connect", SYS_connect, "connect_x", "connect_e"},
    {"accept", SYS_accept, "accept_x", ""},
    {"accept4", SYS_accept4, "accept_x", ""},
    {"bind", SYS_bind, "bind_x", ""},
    {"sendto", SYS_sendto, "sendto_x", ""},
    {"sendmsg", SYS_sendmsg, "sendmsg_x", ""},
    {"recvfrom", SYS_recvfrom, "recvfrom_x", ""},
    {"recvmsg", SYS_recvmsg, "recvmsg_x", ""},
    {"execve", SYS_execve, "execve_x", ""},
    {"execveat", SYS_execveat, "execveat_x", ""},
    {"clone", SYS_clone, "clone_x", ""},
    {"clone3", SYS_clone3, "clone_x", ""},
    {"fork", SYS_fork, "clone_x", ""},
    {"vfork", SYS_vfork, "clone_x", ""},
};

// Programs attached to the kernel directly at load; everything else is entered through a tail call.
// sys_enter_dispatch is attached only while a syscall with an enter event is captured (see
// CaptureSession::ApplySyscalls): every syscall on the machine pays for an attached dispatcher.
inline constexpr std::string_view kAttachedPrograms[] = {
    "sys_exit_dispatch", "sched_process_exec", "sched_process_exit",
};

// Process lifecycle tracepoints, switched with the same name list as syscalls.
struct LifecycleProgram {
  std::string_view name;
  int index;  // enum lifecycle_tp in bpf/maps/maps.h
  std::string_view prog;
};

inline constexpr LifecycleProgram kLifecyclePrograms[] = {
    {"sched_process_exit", 0, "sched_process_exit"},
};

}  // namespace driver
