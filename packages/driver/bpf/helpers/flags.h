/*
 * Kernel flag values → the PPM flag values scap events carry (flags_tables.json in the shared
 * reference). Only the x86_64 kernel values are spelled out: that is the one architecture built.
 */
#ifndef DRIVER_HELPERS_FLAGS_H
#define DRIVER_HELPERS_FLAGS_H

#include "base.h"

/* x86_64 open(2) flag values (asm-generic/fcntl.h). */
#define K_O_ACCMODE 00000003
#define K_O_WRONLY 00000001
#define K_O_RDWR 00000002
#define K_O_CREAT 00000100
#define K_O_EXCL 00000200
#define K_O_TRUNC 00001000
#define K_O_APPEND 00002000
#define K_O_NONBLOCK 00004000
#define K_O_DSYNC 00010000
#define K_O_DIRECT 00040000
#define K_O_LARGEFILE 00100000
#define K_O_DIRECTORY 00200000
#define K_O_CLOEXEC 02000000
#define K_O_SYNC 04000000
#define K_O_TMPFILE 020000000

#define K_FMODE_CREATED 0x100000

static __always_inline __u32 flags__open_to_ppm(__u32 f)
{
	__u32 r = 0;
	switch (f & K_O_ACCMODE) {
	case K_O_WRONLY: r |= PPM_O_WRONLY; break;
	case K_O_RDWR: r |= PPM_O_RDWR; break;
	default: r |= PPM_O_RDONLY; break;
	}
	if (f & K_O_CREAT) r |= PPM_O_CREAT;
	if (f & K_O_EXCL) r |= PPM_O_EXCL;
	if (f & K_O_TRUNC) r |= PPM_O_TRUNC;
	if (f & K_O_APPEND) r |= PPM_O_APPEND;
	if (f & K_O_NONBLOCK) r |= PPM_O_NONBLOCK;
	/* O_SYNC includes the O_DSYNC bit; report it once, as SYNC. */
	if ((f & K_O_SYNC) == K_O_SYNC) r |= PPM_O_SYNC;
	else if (f & K_O_DSYNC) r |= PPM_O_DSYNC;
	if (f & K_O_DIRECT) r |= PPM_O_DIRECT;
	if ((f & K_O_TMPFILE) == K_O_TMPFILE) r |= PPM_O_TMPFILE;
	else if (f & K_O_DIRECTORY) r |= PPM_O_DIRECTORY;
	if (f & K_O_LARGEFILE) r |= PPM_O_LARGEFILE;
	if (f & K_O_CLOEXEC) r |= PPM_O_CLOEXEC;
	return r;
}

/* The mode argument only means something when a file may be created. */
static __always_inline __u32 flags__open_mode(__u32 flags, __u32 mode)
{
	return (flags & (K_O_CREAT | K_O_TMPFILE)) ? mode : 0;
}

/* clone(2) flags → PPM_CL_* (clone_flags table). */
static __always_inline __u32 flags__clone_to_ppm(unsigned long f)
{
	__u32 r = 0;
	if (f & 0x100UL) r |= PPM_CL_CLONE_VM;
	if (f & 0x200UL) r |= PPM_CL_CLONE_FS;
	if (f & 0x400UL) r |= PPM_CL_CLONE_FILES;
	if (f & 0x800UL) r |= PPM_CL_CLONE_SIGHAND;
	if (f & 0x2000UL) r |= PPM_CL_CLONE_PTRACE;
	if (f & 0x4000UL) r |= PPM_CL_CLONE_VFORK;
	if (f & 0x8000UL) r |= PPM_CL_CLONE_PARENT;
	if (f & 0x10000UL) r |= PPM_CL_CLONE_THREAD;
	if (f & 0x20000UL) r |= PPM_CL_CLONE_NEWNS;
	if (f & 0x40000UL) r |= PPM_CL_CLONE_SYSVSEM;
	if (f & 0x80000UL) r |= PPM_CL_CLONE_SETTLS;
	if (f & 0x100000UL) r |= PPM_CL_CLONE_PARENT_SETTID;
	if (f & 0x200000UL) r |= PPM_CL_CLONE_CHILD_CLEARTID;
	if (f & 0x800000UL) r |= PPM_CL_CLONE_UNTRACED;
	if (f & 0x1000000UL) r |= PPM_CL_CLONE_CHILD_SETTID;
	if (f & 0x2000000UL) r |= PPM_CL_CLONE_NEWCGROUP;
	if (f & 0x4000000UL) r |= PPM_CL_CLONE_NEWUTS;
	if (f & 0x8000000UL) r |= PPM_CL_CLONE_NEWIPC;
	if (f & 0x10000000UL) r |= PPM_CL_CLONE_NEWUSER;
	if (f & 0x20000000UL) r |= PPM_CL_CLONE_NEWPID;
	if (f & 0x40000000UL) r |= PPM_CL_CLONE_NEWNET;
	if (f & 0x80000000UL) r |= PPM_CL_CLONE_IO;
	return r;
}

/* Only the fd-level bits: O_CLOEXEC and O_NONBLOCK (dup3, pipe2, userfaultfd, socket types). */
static __always_inline __u32 flags__fd_to_ppm(__u32 f)
{
	__u32 r = 0;
	if (f & K_O_CLOEXEC) r |= PPM_O_CLOEXEC;
	if (f & K_O_NONBLOCK) r |= PPM_O_NONBLOCK;
	return r;
}

static __always_inline __u32 flags__fchownat_to_ppm(__u32 f)
{
	__u32 r = 0;
	if (f & 0x100) r |= 1024; /* AT_SYMLINK_NOFOLLOW */
	if (f & 0x1000) r |= 4096; /* AT_EMPTY_PATH */
	return r;
}

static __always_inline __u32 flags__delete_module_to_ppm(__u32 f)
{
	__u32 r = 0;
	if (f & K_O_NONBLOCK) r |= 2;
	if (f & K_O_TRUNC) r |= 1;
	return r;
}

static __always_inline __u32 flags__mount_to_ppm(__u32 f)
{
	/* Callers may still pass the pre-2.4 magic in the upper half; the kernel ignores it. */
	if ((f & 0xffff0000) == 0xc0ed0000)
		f &= 0xffff;
	return f;
}

static __always_inline __u32 flags__fcntl_to_ppm(__u32 cmd)
{
	switch (cmd) {
	case 0: return 1;    /* F_DUPFD */
	case 1: return 2;    /* F_GETFD */
	case 2: return 3;    /* F_SETFD */
	case 3: return 4;    /* F_GETFL */
	case 4: return 5;    /* F_SETFL */
	case 5: return 6;    /* F_GETLK */
	case 6: return 8;    /* F_SETLK */
	case 7: return 9;    /* F_SETLKW */
	case 8: return 10;   /* F_SETOWN */
	case 9: return 12;   /* F_GETOWN */
	case 10: return 13;  /* F_SETSIG */
	case 11: return 15;  /* F_GETSIG */
	case 15: return 21;  /* F_SETOWN_EX */
	case 16: return 22;  /* F_GETOWN_EX */
	case 36: return 30;  /* F_OFD_GETLK */
	case 37: return 31;  /* F_OFD_SETLK */
	case 38: return 32;  /* F_OFD_SETLKW */
	case 1024: return 23; /* F_SETLEASE */
	case 1025: return 24; /* F_GETLEASE */
	case 1026: return 27; /* F_NOTIFY */
	case 1029: return 25; /* F_CANCELLK */
	case 1030: return 26; /* F_DUPFD_CLOEXEC */
	case 1031: return 28; /* F_SETPIPE_SZ */
	case 1032: return 29; /* F_GETPIPE_SZ */
	default: return 0;   /* UNKNOWN */
	}
}

static __always_inline __u32 flags__ptrace_to_ppm(__u32 req)
{
	if (req <= 9)
		return req + 1; /* TRACEME .. SINGLESTEP */
	switch (req) {
	case 12: return 26;  /* GETREGS */
	case 13: return 27;  /* SETREGS */
	case 14: return 28;  /* GETFPREGS */
	case 15: return 29;  /* SETFPREGS */
	case 16: return 11;  /* ATTACH */
	case 17: return 12;  /* DETACH */
	case 18: return 30;  /* GETFPXREGS */
	case 19: return 31;  /* SETFPXREGS */
	case 24: return 13;  /* SYSCALL */
	case 21: return 32;  /* OLDSETOPTIONS */
	case 25: return 33;  /* GET_THREAD_AREA */
	case 26: return 34;  /* SET_THREAD_AREA */
	case 30: return 35;  /* ARCH_PRCTL */
	case 31: return 36;  /* SYSEMU */
	case 32: return 37;  /* SYSEMU_SINGLESTEP */
	case 33: return 38;  /* SINGLEBLOCK */
	case 0x4200: return 14; /* SETOPTIONS */
	case 0x4201: return 15; /* GETEVENTMSG */
	case 0x4202: return 16; /* GETSIGINFO */
	case 0x4203: return 17; /* SETSIGINFO */
	case 0x4204: return 18; /* GETREGSET */
	case 0x4205: return 19; /* SETREGSET */
	case 0x4206: return 20; /* SEIZE */
	case 0x4207: return 21; /* INTERRUPT */
	case 0x4208: return 22; /* LISTEN */
	case 0x4209: return 23; /* PEEKSIGINFO */
	case 0x420a: return 24; /* GETSIGMASK */
	case 0x420b: return 25; /* SETSIGMASK */
	default: return 0;
	}
}

static __always_inline __u32 flags__convert(__u8 conv, __u64 v)
{
	switch (conv) {
	case CONV_OPEN_FLAGS: return flags__open_to_ppm(v);
	case CONV_FD_FLAGS: return flags__fd_to_ppm(v);
	case CONV_CLONE_FLAGS: return flags__clone_to_ppm(v);
	case CONV_FCHOWNAT_FLAGS: return flags__fchownat_to_ppm(v);
	case CONV_DELETE_MODULE_FLAGS: return flags__delete_module_to_ppm(v);
	case CONV_MOUNT_FLAGS: return flags__mount_to_ppm(v);
	case CONV_FCNTL_CMD: return flags__fcntl_to_ppm(v);
	case CONV_PTRACE_REQUEST: return flags__ptrace_to_ppm(v);
	default: return (__u32)v;
	}
}

#endif
