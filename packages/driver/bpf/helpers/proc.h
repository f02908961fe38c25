/*
 * The process block shared by the execve/execveat and clone/fork/vfork/clone3 exit events:
 * parameters 2..15 (exe, args, tid, pid, ptid, cwd, fdlimit, pgft_maj, pgft_min, vm_size,
 * vm_rss, vm_swap, comm, cgroups), plus the credential and identity fields of the exec event.
 */
#ifndef DRIVER_HELPERS_PROC_H
#define DRIVER_HELPERS_PROC_H

#include "extract.h"

#define K_RLIMIT_NOFILE 7
#define K_PAGE_SHIFT 12

/* exe (argv[0]) and args (the rest of argv, NUL-separated), from the task's argument area. */
static __always_inline void proc__store_exe_args(struct auxiliary_map *aux, struct task_struct *task)
{
	struct mm_struct *mm = BPF_CORE_READ(task, mm);
	unsigned long start = BPF_CORE_READ(mm, arg_start);
	unsigned long end = BPF_CORE_READ(mm, arg_end);
	if (!mm || end <= start) {
		auxmap__store_empty(aux);
		auxmap__store_empty(aux);
		return;
	}
	long n = bpf_probe_read_user_str(&aux->data[SAFE_PAYLOAD(aux->payload_pos)], MAX_PATH_SIZE, (void *)start);
	if (n <= 0) {
		counters__count_read_failure();
		auxmap__store_empty(aux);
		auxmap__store_empty(aux);
		return;
	}
	auxmap__push_length(aux, (__u16)n);
	unsigned long rest = start + n < end ? end - (start + n) : 0;
	auxmap__store_user_bytes(aux, start + n, rest);
}

static __always_inline void proc__store_env(struct auxiliary_map *aux, struct task_struct *task)
{
	struct mm_struct *mm = BPF_CORE_READ(task, mm);
	unsigned long start = BPF_CORE_READ(mm, env_start);
	unsigned long end = BPF_CORE_READ(mm, env_end);
	auxmap__store_user_bytes(aux, start, end > start ? end - start : 0);
}

static __always_inline __u64 proc__rss_pages(struct mm_struct *mm, int member)
{
	__s64 count = BPF_CORE_READ(mm, rss_stat[member].count);
	return count > 0 ? (__u64)count : 0;
}

/* Parameters 2..15 of the exec and clone exit events. */
static __always_inline void proc__store_common(struct auxiliary_map *aux, struct task_struct *task)
{
	proc__store_exe_args(aux, task);
	auxmap__store_u64(aux, (__s64)BPF_CORE_READ(task, pid));
	auxmap__store_u64(aux, (__s64)BPF_CORE_READ(task, tgid));
	auxmap__store_u64(aux, (__s64)BPF_CORE_READ(task, real_parent, pid));
	struct fs_struct *fs = BPF_CORE_READ(task, fs);
	struct path pwd = BPF_CORE_READ(fs, pwd);
	extract__store_path(aux, &pwd);
	auxmap__store_u64(aux, BPF_CORE_READ(task, signal, rlim[K_RLIMIT_NOFILE].rlim_cur));
	auxmap__store_u64(aux, BPF_CORE_READ(task, maj_flt));
	auxmap__store_u64(aux, BPF_CORE_READ(task, min_flt));
	struct mm_struct *mm = BPF_CORE_READ(task, mm);
	if (mm) {
		auxmap__store_u32(aux, BPF_CORE_READ(mm, total_vm) << (K_PAGE_SHIFT - 10));
		__u64 rss = proc__rss_pages(mm, MM_FILEPAGES) + proc__rss_pages(mm, MM_ANONPAGES) + proc__rss_pages(mm, MM_SHMEMPAGES);
		auxmap__store_u32(aux, rss << (K_PAGE_SHIFT - 10));
		auxmap__store_u32(aux, proc__rss_pages(mm, MM_SWAPENTS) << (K_PAGE_SHIFT - 10));
	} else {
		auxmap__store_u32(aux, 0);
		auxmap__store_u32(aux, 0);
		auxmap__store_u32(aux, 0);
	}
	auxmap__store_kernel_string(aux, BPF_CORE_READ(task, comm), 16);
	extract__store_cgroups(aux, task);
}

/* The controlling terminal as a device number, 0 when there is none. */
static __always_inline __u32 proc__tty(struct task_struct *task)
{
	struct tty_struct *tty = BPF_CORE_READ(task, signal, tty);
	if (!tty)
		return 0;
	int index = BPF_CORE_READ(tty, index);
	int major = BPF_CORE_READ(tty, driver, major);
	int minor = BPF_CORE_READ(tty, driver, minor_start) + index;
	return (minor & 0xff) | (major << 8) | ((minor & ~0xff) << 12);
}

static __always_inline __u32 proc__pid_nr(struct pid *pid, bool ns_level)
{
	if (!pid)
		return 0;
	unsigned int level = ns_level ? BPF_CORE_READ(pid, level) : 0;
	return BPF_CORE_READ(pid, numbers[level].nr);
}

/* inode times as ns since the epoch; the split fields exist since 6.11 (older kernels report 0). */
static __always_inline __u64 proc__inode_ctime(struct inode *inode)
{
	if (!bpf_core_field_exists(inode->i_ctime_sec))
		return 0;
	return BPF_CORE_READ(inode, i_ctime_sec) * 1000000000ULL + BPF_CORE_READ(inode, i_ctime_nsec);
}

static __always_inline __u64 proc__inode_mtime(struct inode *inode)
{
	if (!bpf_core_field_exists(inode->i_mtime_sec))
		return 0;
	return BPF_CORE_READ(inode, i_mtime_sec) * 1000000000ULL + BPF_CORE_READ(inode, i_mtime_nsec);
}

#define PPM_EXE_FROM_MEMFD_FLAG 4
#define K_SB_RDONLY 1
#define K_S_IMMUTABLE 8
#define K_S_IFMT 0170000
#define K_S_IFREG 0100000
#define K_CAP_DAC_OVERRIDE 1
#define K_CAP_FOWNER 3
#define MAX_GROUPS_SCANNED 32

/* An executable with no link left whose name starts with "memfd:" was loaded from memfd_create. */
static __always_inline bool proc__exe_from_memfd(struct file *exe, struct inode *inode)
{
	if (BPF_CORE_READ(inode, __i_nlink) != 0)
		return false;
	char prefix[6] = {};
	bpf_probe_read_kernel(prefix, sizeof(prefix), BPF_CORE_READ(exe, f_path.dentry, d_name.name));
	return prefix[0] == 'm' && prefix[1] == 'e' && prefix[2] == 'm' && prefix[3] == 'f' && prefix[4] == 'd' && prefix[5] == ':';
}

/* Whether `gid` is among the first MAX_GROUPS_SCANNED supplementary groups of the credentials. */
static __always_inline bool proc__in_groups(const struct cred *cred, __u32 gid)
{
	struct group_info *groups = BPF_CORE_READ(cred, group_info);
	if (!groups)
		return false;
	int n = BPF_CORE_READ(groups, ngroups);
	for (int i = 0; i < MAX_GROUPS_SCANNED; i++) {
		if (i >= n)
			break;
		if (BPF_CORE_READ(groups, gid[i].val) == gid)
			return true;
	}
	return false;
}

/*
 * Whether the task could open its own executable for writing, following the kernel's generic
 * permission check: a read-only mount or an immutable inode says no; the owner, then the group
 * (primary or supplementary), then others, by the mode bits; CAP_DAC_OVERRIDE or CAP_FOWNER in
 * the initial user namespace say yes. ACLs and LSMs are not consulted.
 */
static __always_inline bool proc__exe_writable(const struct cred *cred, struct inode *inode)
{
	__u16 mode = BPF_CORE_READ(inode, i_mode);
	if ((BPF_CORE_READ(inode, i_sb, s_flags) & K_SB_RDONLY) && (mode & K_S_IFMT) == K_S_IFREG)
		return false;
	if (BPF_CORE_READ(inode, i_flags) & K_S_IMMUTABLE)
		return false;
	__u32 uid = BPF_CORE_READ(inode, i_uid.val);
	__u32 gid = BPF_CORE_READ(inode, i_gid.val);
	__u32 fsuid = BPF_CORE_READ(cred, fsuid.val);
	if (fsuid == uid)
		return true; /* the owner may always chmod it writable */
	__u16 bits = mode;
	if (BPF_CORE_READ(cred, fsgid.val) == gid || proc__in_groups(cred, gid))
		bits >>= 3;
	if (bits & 02)
		return true;
	if (BPF_CORE_READ(cred, user_ns, level) != 0)
		return false;
	__u64 caps = BPF_CORE_READ(cred, cap_effective.val);
	return caps & ((1ULL << K_CAP_DAC_OVERRIDE) | (1ULL << K_CAP_FOWNER));
}

/* The exec event's `flags`: writable, overlay layer, loaded from a memfd. */
static __always_inline __u32 proc__exe_flags(struct file *exe, const struct cred *cred)
{
	struct inode *inode = BPF_CORE_READ(exe, f_inode);
	if (!inode)
		return 0;
	__u32 flags = 0;
	if (proc__exe_from_memfd(exe, inode))
		flags |= PPM_EXE_FROM_MEMFD_FLAG;
	if (proc__exe_writable(cred, inode))
		flags |= PPM_EXE_WRITABLE;
	switch (extract__overlay_layer(exe)) {
	case LAYER_UPPER: flags |= PPM_EXE_UPPER_LAYER; break;
	case LAYER_LOWER: flags |= PPM_EXE_LOWER_LAYER; break;
	default: break;
	}
	return flags;
}

/*
 * Parameters 16..30 of the exec events (env .. gid): environment, terminal, process group,
 * login uid, executable flags, capabilities, executable inode and times, uid, the executable's
 * resolved path, gid.
 */
static __always_inline void proc__store_exec_tail(struct auxiliary_map *aux, struct task_struct *task)
{
	proc__store_env(aux, task);
	auxmap__store_u32(aux, proc__tty(task));
	struct pid *pgrp = BPF_CORE_READ(task, signal, pids[PIDTYPE_PGID]);
	auxmap__store_u64(aux, (__s64)proc__pid_nr(pgrp, true));
	auxmap__store_u32(aux, BPF_CORE_READ(task, loginuid.val));
	struct file *exe = BPF_CORE_READ(task, mm, exe_file);
	const struct cred *cred = BPF_CORE_READ(task, cred);
	auxmap__store_u32(aux, exe ? proc__exe_flags(exe, cred) : 0);
	auxmap__store_u64(aux, BPF_CORE_READ(cred, cap_inheritable.val));
	auxmap__store_u64(aux, BPF_CORE_READ(cred, cap_permitted.val));
	auxmap__store_u64(aux, BPF_CORE_READ(cred, cap_effective.val));
	struct inode *inode = exe ? BPF_CORE_READ(exe, f_inode) : NULL;
	auxmap__store_u64(aux, inode ? BPF_CORE_READ(inode, i_ino) : 0);
	auxmap__store_u64(aux, inode ? proc__inode_ctime(inode) : 0);
	auxmap__store_u64(aux, inode ? proc__inode_mtime(inode) : 0);
	auxmap__store_u32(aux, BPF_CORE_READ(cred, euid.val));
	if (exe) {
		struct path exe_path = BPF_CORE_READ(exe, f_path);
		extract__store_path(aux, &exe_path);
	} else {
		auxmap__store_empty(aux);
	}
	auxmap__store_u64(aux, (__s64)proc__pid_nr(pgrp, false));
	auxmap__store_u32(aux, BPF_CORE_READ(cred, egid.val));
}

#endif
