// SPDX-License-Identifier: GPL-2.0-only OR MIT
/* openat(2): the enter event (time-of-check path) and the exit event. */
#include "../../helpers/extract.h"
#include "../../helpers/flags.h"

SEC("tp_btf/sys_enter")
int BPF_PROG(openat_e, struct pt_regs *regs, long id)
{
	struct auxiliary_map *aux = auxmap__get();
	if (!aux)
		return 0;
	/* dirfd, name, flags, mode */
	auxmap__preload_header(aux, PPME_SYSCALL_OPENAT_2_E, 4);
	__u32 flags = syscall__arg(regs, 2);
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
	__u32 dev;
	__u64 ino;
	extract__dev_ino(file, &dev, &ino);
	__u32 ppm_flags = flags__open_to_ppm(flags);
	if (file && (BPF_CORE_READ(file, f_mode) & K_FMODE_CREATED))
		ppm_flags |= PPM_O_F_CREATED;

	/* fd, dirfd, name, flags, mode, dev, ino */
	auxmap__preload_header(aux, PPME_SYSCALL_OPENAT_2_X, 7);
	auxmap__store_u64(aux, ret);
	auxmap__store_u64(aux, (__s64)(__s32)syscall__arg(regs, 0));
	auxmap__store_user_string(aux, syscall__arg(regs, 1));
	auxmap__store_u32(aux, ppm_flags);
	auxmap__store_u32(aux, flags__open_mode(flags, syscall__arg(regs, 3)));
	auxmap__store_u32(aux, dev);
	auxmap__store_u64(aux, ino);
	auxmap__submit(aux);
	return 0;
}
