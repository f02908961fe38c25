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

#endif
