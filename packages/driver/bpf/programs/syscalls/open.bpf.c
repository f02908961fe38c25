// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * open, openat, openat2 and creat: the enter events (the path as the caller passed it, before the
 * kernel resolves it: the time-of-check view) and the exit events (fd, path, flags, dev/ino).
 */
#include "../../helpers/extract.h"
#include "../../helpers/flags.h"

/* openat2's struct open_how lives in user memory. */
struct open_how_user {
	__u64 flags;
	__u64 mode;
	__u64 resolve;
};

static __always_inline void open__read_how(unsigned long ptr, struct open_how_user *how)
{
	__builtin_memset(how, 0, sizeof(*how));
	bpf_probe_read_user(how, sizeof(*how), (void *)ptr);
}

/* RESOLVE_* → PPM openat2_flags. */
static __always_inline __u32 open__resolve_to_ppm(__u64 r)
{
	__u32 out = 0;
	if (r & 0x01) out |= 16; /* NO_XDEV */
	if (r & 0x02) out |= 4;  /* NO_MAGICLINKS */
	if (r & 0x04) out |= 8;  /* NO_SYMLINKS */
	if (r & 0x08) out |= 1;  /* BENEATH */
	if (r & 0x10) out |= 2;  /* IN_ROOT */
	if (r & 0x20) out |= 32; /* CACHED */
	return out;
}

/* Flags as reported at exit: the request, plus whether this call created the file. */
static __always_inline __u32 open__exit_flags(__u32 flags, struct file *file)
{
	__u32 r = flags__open_to_ppm(flags);
	if (file && (BPF_CORE_READ(file, f_mode) & K_FMODE_CREATED))
		r |= PPM_O_F_CREATED;
	switch (extract__overlay_layer(file)) {
	case LAYER_UPPER: r |= PPM_FD_UPPER_LAYER; break;
	case LAYER_LOWER: r |= PPM_FD_LOWER_LAYER; break;
	default: break;
	}
	return r;
}

static __always_inline void open__store_dev_ino(struct auxiliary_map *aux, long ret)
{
	__u32 dev;
	__u64 ino;
	extract__dev_ino(ret >= 0 ? extract__file_from_fd(ret) : NULL, &dev, &ino);
	auxmap__store_u32(aux, dev);
	auxmap__store_u64(aux, ino);
}

ENTER_PROGRAM(openat_e, openat)
{
	struct auxiliary_map *aux = auxmap__get();
	if (!aux)
		return 0;
	__u32 flags = syscall__arg(regs, 2);
	/* dirfd, name, flags, mode */
	auxmap__preload_header(aux, PPME_SYSCALL_OPENAT_2_E, PPME_SYSCALL_OPENAT_2_E_NPARAMS);
	auxmap__store_u64(aux, (__s64)(__s32)syscall__arg(regs, 0));
	auxmap__store_user_string(aux, syscall__arg(regs, 1));
	auxmap__store_u32(aux, flags__open_to_ppm(flags));
	auxmap__store_u32(aux, flags__open_mode(flags, syscall__arg(regs, 3)));
	auxmap__submit(aux);
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(openat_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *aux = auxmap__get();
	if (!aux)
		return 0;
	__u32 flags = syscall__arg(regs, 2);
	struct file *file = ret >= 0 ? extract__file_from_fd(ret) : NULL;
	/* fd, dirfd, name, flags, mode, dev, ino */
	auxmap__preload_header(aux, PPME_SYSCALL_OPENAT_2_X, PPME_SYSCALL_OPENAT_2_X_NPARAMS);
	auxmap__store_u64(aux, ret);
	auxmap__store_u64(aux, (__s64)(__s32)syscall__arg(regs, 0));
	auxmap__store_user_string(aux, syscall__arg(regs, 1));
	auxmap__store_u32(aux, open__exit_flags(flags, file));
	auxmap__store_u32(aux, flags__open_mode(flags, syscall__arg(regs, 3)));
	open__store_dev_ino(aux, ret);
	auxmap__submit(aux);
	return 0;
}

ENTER_PROGRAM(open_e, open)
{
	struct auxiliary_map *aux = auxmap__get();
	if (!aux)
		return 0;
	__u32 flags = syscall__arg(regs, 1);
	/* name, flags, mode */
	auxmap__preload_header(aux, PPME_SYSCALL_OPEN_E, PPME_SYSCALL_OPEN_E_NPARAMS);
	auxmap__store_user_string(aux, syscall__arg(regs, 0));
	auxmap__store_u32(aux, flags__open_to_ppm(flags));
	auxmap__store_u32(aux, flags__open_mode(flags, syscall__arg(regs, 2)));
	auxmap__submit(aux);
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(open_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *aux = auxmap__get();
	if (!aux)
		return 0;
	__u32 flags = syscall__arg(regs, 1);
	struct file *file = ret >= 0 ? extract__file_from_fd(ret) : NULL;
	/* fd, name, flags, mode, dev, ino */
	auxmap__preload_header(aux, PPME_SYSCALL_OPEN_X, PPME_SYSCALL_OPEN_X_NPARAMS);
	auxmap__store_u64(aux, ret);
	auxmap__store_user_string(aux, syscall__arg(regs, 0));
	auxmap__store_u32(aux, open__exit_flags(flags, file));
	auxmap__store_u32(aux, flags__open_mode(flags, syscall__arg(regs, 2)));
	open__store_dev_ino(aux, ret);
	auxmap__submit(aux);
	return 0;
}

ENTER_PROGRAM(creat_e, creat)
{
	struct auxiliary_map *aux = auxmap__get();
	if (!aux)
		return 0;
	/* name, mode */
	auxmap__preload_header(aux, PPME_SYSCALL_CREAT_E, PPME_SYSCALL_CREAT_E_NPARAMS);
	auxmap__store_user_string(aux, syscall__arg(regs, 0));
	auxmap__store_u32(aux, (__u32)syscall__arg(regs, 1));
	auxmap__submit(aux);
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(creat_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *aux = auxmap__get();
	if (!aux)
		return 0;
	/* fd, name, mode, dev, ino, creat_flags (the overlayfs layer of the file) */
	auxmap__preload_header(aux, PPME_SYSCALL_CREAT_X, PPME_SYSCALL_CREAT_X_NPARAMS);
	auxmap__store_u64(aux, ret);
	auxmap__store_user_string(aux, syscall__arg(regs, 0));
	auxmap__store_u32(aux, (__u32)syscall__arg(regs, 1));
	open__store_dev_ino(aux, ret);
	enum overlay_layer layer = extract__overlay_layer(ret >= 0 ? extract__file_from_fd(ret) : NULL);
	auxmap__store_u16(aux, layer == LAYER_UPPER ? PPM_FD_UPPER_LAYER_CREAT : layer == LAYER_LOWER ? PPM_FD_LOWER_LAYER_CREAT : 0);
	auxmap__submit(aux);
	return 0;
}

ENTER_PROGRAM(openat2_e, openat2)
{
	struct auxiliary_map *aux = auxmap__get();
	if (!aux)
		return 0;
	struct open_how_user how;
	open__read_how(syscall__arg(regs, 2), &how);
	/* dirfd, name, flags, mode, resolve */
	auxmap__preload_header(aux, PPME_SYSCALL_OPENAT2_E, PPME_SYSCALL_OPENAT2_E_NPARAMS);
	auxmap__store_u64(aux, (__s64)(__s32)syscall__arg(regs, 0));
	auxmap__store_user_string(aux, syscall__arg(regs, 1));
	auxmap__store_u32(aux, flags__open_to_ppm(how.flags));
	auxmap__store_u32(aux, flags__open_mode(how.flags, how.mode));
	auxmap__store_u32(aux, open__resolve_to_ppm(how.resolve));
	auxmap__submit(aux);
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(openat2_x, struct pt_regs *regs, long ret)
{
	struct auxiliary_map *aux = auxmap__get();
	if (!aux)
		return 0;
	struct open_how_user how;
	open__read_how(syscall__arg(regs, 2), &how);
	struct file *file = ret >= 0 ? extract__file_from_fd(ret) : NULL;
	/* fd, dirfd, name, flags, mode, resolve, dev, ino */
	auxmap__preload_header(aux, PPME_SYSCALL_OPENAT2_X, PPME_SYSCALL_OPENAT2_X_NPARAMS);
	auxmap__store_u64(aux, ret);
	auxmap__store_u64(aux, (__s64)(__s32)syscall__arg(regs, 0));
	auxmap__store_user_string(aux, syscall__arg(regs, 1));
	auxmap__store_u32(aux, open__exit_flags(how.flags, file));
	auxmap__store_u32(aux, flags__open_mode(how.flags, how.mode));
	auxmap__store_u32(aux, open__resolve_to_ppm(how.resolve));
	open__store_dev_ino(aux, ret);
	auxmap__submit(aux);
	return 0;
}
