// How each table-driven syscall's exit event is encoded (bpf/programs/syscalls/simple.bpf.c): the
// parameters in event-table order, each naming where its value comes from.
#pragma once

#include <sys/syscall.h>

#include <cstdint>
#include <string_view>

extern "C" {
#include "../bpf/shared/wire.h"
#include "../bpf/shared/events_generated.h"
}

namespace driver {

struct SimpleDef {
  std::string_view name;
  int32_t nr;
  uint16_t event;
  uint8_t nparams;
  simple_param params[SIMPLE_MAX_PARAMS];
};

namespace p {
constexpr simple_param Ret() { return {SPK_RET, 0, CONV_NONE, 0}; }
constexpr simple_param Fd(uint8_t a) { return {SPK_ARG_S64, a, CONV_NONE, 0}; }
constexpr simple_param U64(uint8_t a) { return {SPK_ARG_U64, a, CONV_NONE, 0}; }
constexpr simple_param U32(uint8_t a, uint8_t conv = CONV_NONE) { return {SPK_ARG_U32, a, conv, 0}; }
constexpr simple_param U16(uint8_t a, uint8_t conv = CONV_NONE) { return {SPK_ARG_U16, a, conv, 0}; }
constexpr simple_param U8(uint8_t a, uint8_t conv = CONV_NONE) { return {SPK_ARG_U8, a, conv, 0}; }
constexpr simple_param Str(uint8_t a) { return {SPK_ARG_STR, a, CONV_NONE, 0}; }
constexpr simple_param UserFd(uint8_t a, uint8_t off) { return {SPK_USER_S64, a, CONV_NONE, off}; }
constexpr simple_param UserU32(uint8_t a, uint8_t off) { return {SPK_USER_U32, a, CONV_NONE, off}; }
constexpr simple_param Zero64() { return {SPK_ZERO_U64, 0, CONV_NONE, 0}; }
constexpr simple_param Empty() { return {SPK_EMPTY, 0, CONV_NONE, 0}; }
constexpr simple_param Dyn(uint8_t a) { return {SPK_DYN_U64, a, CONV_NONE, 0}; }
constexpr simple_param Cap(uint8_t kind) { return {kind, 0, CONV_NONE, 0}; }
constexpr simple_param UserFdIno(uint8_t a, uint8_t off) { return {SPK_USER_FD_INO, a, CONV_NONE, off}; }
constexpr simple_param UserFdSock(uint8_t a, uint8_t off) { return {SPK_USER_FD_SOCK, a, CONV_NONE, off}; }
constexpr simple_param UserFdPeer(uint8_t a, uint8_t off) { return {SPK_USER_FD_PEER, a, CONV_NONE, off}; }
constexpr simple_param Bytes(uint8_t a, uint8_t len_arg) { return {SPK_USER_BYTES, a, CONV_NONE, len_arg}; }
constexpr simple_param PrctlStr() { return {SPK_PRCTL_STR, 1, CONV_NONE, 0}; }
constexpr simple_param PrctlInt() { return {SPK_PRCTL_INT, 1, CONV_NONE, 0}; }
}  // namespace p

#define SIMPLE(name, event, ...)                                                                  \
  SimpleDef {                                                                                     \
    #name, SYS_##name, event, static_cast<uint8_t>(std::initializer_list<simple_param>{__VA_ARGS__}.size()), { __VA_ARGS__ } \
  }

using namespace p;  // NOLINT: keeps the table below readable

// Parameter lists follow event_table.json for each event; arguments are x86_64 syscall argument
// indexes. init_module's image is its first SNAPLEN (80) bytes, like other data buffers.
inline const SimpleDef kSimpleDefs[] = {
    SIMPLE(close, PPME_SYSCALL_CLOSE_X, Ret(), Fd(0)),
    SIMPLE(dup, PPME_SYSCALL_DUP_1_X, Ret(), Fd(0)),
    SIMPLE(dup2, PPME_SYSCALL_DUP2_X, Ret(), Fd(0), Fd(1)),
    SIMPLE(dup3, PPME_SYSCALL_DUP3_X, Ret(), Fd(0), Fd(1), U32(2, CONV_FD_FLAGS)),
    SIMPLE(listen, PPME_SOCKET_LISTEN_X, Ret(), Fd(0), U32(1)),
    SIMPLE(socket, PPME_SOCKET_SOCKET_X, Ret(), U32(0), U32(1), U32(2), U32(1, CONV_FD_FLAGS)),
    SIMPLE(socketpair, PPME_SOCKET_SOCKETPAIR_X, Ret(), UserFd(3, 0), UserFd(3, 4), UserFdSock(3, 0), UserFdPeer(3, 0), U32(0), U32(1), U32(2)),
    SIMPLE(chdir, PPME_SYSCALL_CHDIR_X, Ret(), Str(0)),
    SIMPLE(fchdir, PPME_SYSCALL_FCHDIR_X, Ret(), Fd(0)),
    SIMPLE(setuid, PPME_SYSCALL_SETUID_X, Ret(), U32(0)),
    SIMPLE(setgid, PPME_SYSCALL_SETGID_X, Ret(), U32(0)),
    SIMPLE(setresuid, PPME_SYSCALL_SETRESUID_X, Ret(), U32(0), U32(1), U32(2)),
    SIMPLE(setresgid, PPME_SYSCALL_SETRESGID_X, Ret(), U32(0), U32(1), U32(2)),
    SIMPLE(setreuid, PPME_SYSCALL_SETREUID_X, Ret(), U32(0), U32(1)),
    SIMPLE(setregid, PPME_SYSCALL_SETREGID_X, Ret(), U32(0), U32(1)),
    SIMPLE(ptrace, PPME_SYSCALL_PTRACE_X, Ret(), Dyn(2), Dyn(3), U16(0, CONV_PTRACE_REQUEST), Fd(1)),
    SIMPLE(unlink, PPME_SYSCALL_UNLINK_2_X, Ret(), Str(0)),
    SIMPLE(unlinkat, PPME_SYSCALL_UNLINKAT_2_X, Ret(), Fd(0), Str(1), U32(2)),
    SIMPLE(rename, PPME_SYSCALL_RENAME_X, Ret(), Str(0), Str(1)),
    SIMPLE(renameat, PPME_SYSCALL_RENAMEAT_X, Ret(), Fd(0), Str(1), Fd(2), Str(3)),
    SIMPLE(renameat2, PPME_SYSCALL_RENAMEAT2_X, Ret(), Fd(0), Str(1), Fd(2), Str(3), U32(4)),
    SIMPLE(mkdir, PPME_SYSCALL_MKDIR_2_X, Ret(), Str(0), U32(1)),
    SIMPLE(mkdirat, PPME_SYSCALL_MKDIRAT_X, Ret(), Fd(0), Str(1), U32(2)),
    SIMPLE(rmdir, PPME_SYSCALL_RMDIR_2_X, Ret(), Str(0)),
    SIMPLE(link, PPME_SYSCALL_LINK_2_X, Ret(), Str(0), Str(1)),
    SIMPLE(linkat, PPME_SYSCALL_LINKAT_2_X, Ret(), Fd(0), Str(1), Fd(2), Str(3), U32(4)),
    SIMPLE(symlink, PPME_SYSCALL_SYMLINK_X, Ret(), Str(0), Str(1)),
    SIMPLE(symlinkat, PPME_SYSCALL_SYMLINKAT_X, Ret(), Str(0), Fd(1), Str(2)),
    SIMPLE(chmod, PPME_SYSCALL_CHMOD_X, Ret(), Str(0), U32(1)),
    SIMPLE(fchmod, PPME_SYSCALL_FCHMOD_X, Ret(), Fd(0), U32(1)),
    SIMPLE(fchmodat, PPME_SYSCALL_FCHMODAT_X, Ret(), Fd(0), Str(1), U32(2)),
    SIMPLE(chown, PPME_SYSCALL_CHOWN_X, Ret(), Str(0), U32(1), U32(2)),
    SIMPLE(lchown, PPME_SYSCALL_LCHOWN_X, Ret(), Str(0), U32(1), U32(2)),
    SIMPLE(fchown, PPME_SYSCALL_FCHOWN_X, Ret(), Fd(0), U32(1), U32(2)),
    SIMPLE(fchownat, PPME_SYSCALL_FCHOWNAT_X, Ret(), Fd(0), Str(1), U32(2), U32(3), U32(4, CONV_FCHOWNAT_FLAGS)),
    SIMPLE(mount, PPME_SYSCALL_MOUNT_X, Ret(), Str(0), Str(1), Str(2), U32(3, CONV_MOUNT_FLAGS)),
    SIMPLE(umount2, PPME_SYSCALL_UMOUNT2_X, Ret(), Str(0), U32(1)),
    SIMPLE(init_module, PPME_SYSCALL_INIT_MODULE_X, Ret(), Bytes(0, 1), U64(1), Str(2)),
    SIMPLE(finit_module, PPME_SYSCALL_FINIT_MODULE_X, Ret(), Fd(0), Str(1), U32(2)),
    SIMPLE(delete_module, PPME_SYSCALL_DELETE_MODULE_X, Ret(), Str(0), U32(1, CONV_DELETE_MODULE_FLAGS)),
    SIMPLE(memfd_create, PPME_SYSCALL_MEMFD_CREATE_X, Ret(), Str(0), U32(1)),
    SIMPLE(bpf, PPME_SYSCALL_BPF_2_X, Ret(), U32(0)),
    SIMPLE(setns, PPME_SYSCALL_SETNS_X, Ret(), Fd(0), U32(1, CONV_CLONE_FLAGS)),
    SIMPLE(unshare, PPME_SYSCALL_UNSHARE_X, Ret(), U32(0, CONV_CLONE_FLAGS)),
    SIMPLE(capset, PPME_SYSCALL_CAPSET_X, Ret(), Cap(SPK_CAP_INHERITABLE), Cap(SPK_CAP_PERMITTED), Cap(SPK_CAP_EFFECTIVE)),
    SIMPLE(prctl, PPME_SYSCALL_PRCTL_X, Ret(), U32(0), PrctlStr(), PrctlInt()),
    SIMPLE(userfaultfd, PPME_SYSCALL_USERFAULTFD_X, Ret(), U32(0, CONV_FD_FLAGS)),
    SIMPLE(pipe, PPME_SYSCALL_PIPE_X, Ret(), UserFd(0, 0), UserFd(0, 4), UserFdIno(0, 0)),
    SIMPLE(pipe2, PPME_SYSCALL_PIPE2_X, Ret(), UserFd(0, 0), UserFd(0, 4), UserFdIno(0, 0), U32(1, CONV_FD_FLAGS)),
    SIMPLE(fcntl, PPME_SYSCALL_FCNTL_X, Ret(), Fd(0), U8(1, CONV_FCNTL_CMD), U64(2)),
    SIMPLE(kill, PPME_SYSCALL_KILL_X, Ret(), Fd(0), U8(1)),
    SIMPLE(tgkill, PPME_SYSCALL_TGKILL_X, Ret(), Fd(0), Fd(1), U8(2)),
    SIMPLE(io_uring_setup, PPME_SYSCALL_IO_URING_SETUP_X, Ret(), U32(0), UserU32(1, 0), UserU32(1, 4), UserU32(1, 8),
           UserU32(1, 12), UserU32(1, 16), UserU32(1, 20)),
};

#undef SIMPLE

}  // namespace driver
