/*
 * Reading kernel state: paths from dentries, the current task's identity, the file behind an fd,
 * the cgroup path. All reads go through CO-RE so the object runs on kernels other than the one
 * vmlinux.h came from.
 */
#ifndef DRIVER_HELPERS_EXTRACT_H
#define DRIVER_HELPERS_EXTRACT_H

#include "store.h"

#define MAX_PATH_COMPONENTS 48
#define MAX_NAME_SIZE 256
/* Paths are assembled backwards in aux->tmp[0, PATH_TMP_END]; the terminating NUL sits at the end. */
#define PATH_TMP_END (AUXMAP_TMP_SIZE / 2 - 1)

/* kernfs_node.parent was renamed __parent in 6.15; this flavour keeps older kernels working. */
struct kernfs_node___legacy {
	struct kernfs_node *parent;
} __attribute__((preserve_access_index));

static __always_inline struct kernfs_node *extract__kernfs_parent(struct kernfs_node *kn)
{
	if (bpf_core_field_exists(kn->__parent))
		return BPF_CORE_READ(kn, __parent);
	return BPF_CORE_READ((struct kernfs_node___legacy *)kn, parent);
}

/*
 * Prepends "/name" in front of `pos` in aux->tmp; returns the new start, or -1 when the buffer is
 * full (the path is then reported from the deepest components that fit).
 */
static __always_inline long extract__prepend_component(struct auxiliary_map *aux, long pos, const unsigned char *name, __u32 len)
{
	if (len == 0)
		return pos;
	if (len >= MAX_NAME_SIZE)
		len = MAX_NAME_SIZE - 1;
	if (pos < (long)len + 1)
		return -1;
	pos -= len;
	bpf_probe_read_kernel(&aux->tmp[SAFE_TMP(pos) & (AUXMAP_TMP_SIZE / 2 - 1)], len & (MAX_NAME_SIZE - 1), name);
	pos -= 1;
	aux->tmp[SAFE_TMP(pos) & (AUXMAP_TMP_SIZE / 2 - 1)] = '/';
	return pos;
}

struct path_walk {
	struct auxiliary_map *aux;
	struct dentry *dentry;
	struct mount *mnt;
	struct mount *mnt_parent;
	struct dentry *mnt_root;
};

/* One step up the tree: a bpf_loop callback, so the verifier checks it once, not per level. */
static long extract__path_step(__u64 index, void *ctx)
{
	struct path_walk *w = ctx;
	/* Locals, not w->field, inside BPF_CORE_READ: the walk state is not a kernel type. */
	struct dentry *dentry = w->dentry;
	struct mount *mnt = w->mnt;
	struct dentry *parent = BPF_CORE_READ(dentry, d_parent);
	if (dentry == w->mnt_root || dentry == parent) {
		if (mnt == w->mnt_parent)
			return 1; /* the real root */
		/* At the root of a mount: continue from where it is mounted. */
		struct mount *up = w->mnt_parent;
		w->dentry = BPF_CORE_READ(mnt, mnt_mountpoint);
		w->mnt = up;
		w->mnt_parent = BPF_CORE_READ(up, mnt_parent);
		w->mnt_root = BPF_CORE_READ(up, mnt.mnt_root);
		return 0;
	}
	struct qstr d_name = BPF_CORE_READ(dentry, d_name);
	struct auxiliary_map *aux = w->aux;
	long next = extract__prepend_component(aux, aux->path_pos & (AUXMAP_TMP_SIZE / 2 - 1), d_name.name, d_name.len);
	if (next < 0)
		return 1;
	aux->path_pos = next;
	w->dentry = parent;
	return 0;
}

/*
 * Resolves a struct path to an absolute path as seen from the initial mount namespace, crossing
 * mount points upwards, and stores it as one charbuf parameter.
 */
static __always_inline void extract__store_path(struct auxiliary_map *aux, struct path *path)
{
	struct vfsmount *vfsmnt = BPF_CORE_READ(path, mnt);
	struct mount *mnt = container_of(vfsmnt, struct mount, mnt);
	struct path_walk w = {
		.aux = aux,
		.dentry = BPF_CORE_READ(path, dentry),
		.mnt = mnt,
		.mnt_parent = BPF_CORE_READ(mnt, mnt_parent),
		.mnt_root = BPF_CORE_READ(vfsmnt, mnt_root),
	};
	aux->tmp[PATH_TMP_END] = 0;
	aux->path_pos = PATH_TMP_END;
	bpf_loop(MAX_PATH_COMPONENTS, extract__path_step, &w, 0);
	long pos = aux->path_pos & (AUXMAP_TMP_SIZE / 2 - 1);
	if (pos == PATH_TMP_END) {
		pos -= 1;
		aux->tmp[PATH_TMP_END - 1] = '/';
	}
	auxmap__store_tmp(aux, (__u32)pos, (__u32)(PATH_TMP_END + 1 - pos));
}

struct cgroup_walk {
	struct auxiliary_map *aux;
	struct kernfs_node *kn;
};

static long extract__cgroup_step(__u64 index, void *ctx)
{
	struct cgroup_walk *w = ctx;
	struct kernfs_node *kn = w->kn;
	if (!kn)
		return 1;
	struct kernfs_node *parent = extract__kernfs_parent(kn);
	if (!parent)
		return 1; /* the root node's name is not part of the path */
	const char *name = BPF_CORE_READ(kn, name);
	char probe[MAX_NAME_SIZE];
	long n = bpf_probe_read_kernel_str(probe, sizeof(probe), name);
	if (n <= 1)
		return 1;
	struct auxiliary_map *aux = w->aux;
	long next = extract__prepend_component(aux, aux->path_pos & (AUXMAP_TMP_SIZE / 2 - 1), (const unsigned char *)name, (__u32)(n - 1));
	if (next < 0)
		return 1;
	aux->path_pos = next;
	w->kn = parent;
	return 0;
}

/* The path of a cgroup's kernfs node up to its hierarchy root, assembled in aux->tmp. */
static __always_inline long extract__cgroup_path_into_tmp(struct auxiliary_map *aux, struct kernfs_node *kn)
{
	struct cgroup_walk w = {.aux = aux, .kn = kn};
	aux->tmp[PATH_TMP_END] = 0;
	aux->path_pos = PATH_TMP_END;
	bpf_loop(MAX_PATH_COMPONENTS, extract__cgroup_step, &w, 0);
	long pos = aux->path_pos & (AUXMAP_TMP_SIZE / 2 - 1);
	if (pos == PATH_TMP_END) {
		pos -= 1;
		aux->tmp[PATH_TMP_END - 1] = '/';
	}
	return pos;
}

#define MAX_CGROUPS_PARAM 8192
#define MAX_CGROUP_PATH 1024

/*
 * The `cgroups` parameter: "subsystem=path" strings back to back, one per controller the task's
 * css_set has, each path taken from that controller's own hierarchy. On cgroup v1 (and hybrid)
 * hosts containers live in the v1 hierarchies; on v2 every controller resolves to the one
 * unified cgroup.
 */
static __always_inline void extract__store_cgroups(struct auxiliary_map *aux, struct task_struct *task)
{
	struct css_set *cset = BPF_CORE_READ(task, cgroups);
	__u64 start = aux->payload_pos;
	aux->cgroups_len = 0;
	for (int i = 0; i < CGROUP_SUBSYS_COUNT; i++) {
		struct cgroup_subsys_state *css = BPF_CORE_READ(cset, subsys[i]);
		if (!css)
			continue;
		__u64 at = aux->cgroups_len & (MAX_CGROUPS_PARAM - 1);
		/* v1 hierarchies show the legacy name (blkio, not io), as /proc/<pid>/cgroup does. */
		struct cgroup *cgrp = BPF_CORE_READ(css, cgroup);
		bool v1 = BPF_CORE_READ(cgrp, root, hierarchy_id) != 0;
		const char *name = v1 ? BPF_CORE_READ(css, ss, legacy_name) : BPF_CORE_READ(css, ss, name);
		long n = bpf_probe_read_kernel_str(&aux->data[SAFE_PAYLOAD(start + at)], 32, name);
		if (n <= 1)
			continue;
		at += n - 1;
		aux->data[SAFE_PAYLOAD(start + at)] = '=';
		at += 1;
		long pos = extract__cgroup_path_into_tmp(aux, BPF_CORE_READ(cgrp, kn));
		__u32 len = (__u32)(PATH_TMP_END + 1 - pos); /* includes the NUL */
		if (len >= MAX_CGROUP_PATH)
			break;
		bpf_probe_read_kernel(&aux->data[SAFE_PAYLOAD(start + at)], len & (MAX_CGROUP_PATH - 1),
				      &aux->tmp[SAFE_TMP(pos) & (AUXMAP_TMP_SIZE / 2 - 1)]);
		at += len;
		aux->cgroups_len = at;
		if (at > MAX_CGROUPS_PARAM - MAX_CGROUP_PATH - 64)
			break;
	}
	auxmap__push_length(aux, (__u16)(aux->cgroups_len & (MAX_CGROUPS_PARAM - 1)));
}

/* The open file behind `fd` in the current task, or NULL. */
static __always_inline struct file *extract__file_from_fd(long fd)
{
	if (fd < 0)
		return NULL;
	struct task_struct *task = bpf_get_current_task_btf();
	struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);
	unsigned int max_fds = BPF_CORE_READ(fdt, max_fds);
	if ((unsigned long)fd >= max_fds)
		return NULL;
	struct file **fds = BPF_CORE_READ(fdt, fd);
	struct file *file = NULL;
	bpf_probe_read_kernel(&file, sizeof(file), &fds[fd]);
	return file;
}

/* dev_t in the userspace (stat) encoding, which is what scap's `dev` parameters carry. */
static __always_inline __u32 extract__encode_dev(__u32 kdev)
{
	__u32 major = kdev >> 20, minor = kdev & ((1U << 20) - 1);
	return (minor & 0xff) | (major << 8) | ((minor & ~0xffU) << 12);
}

static __always_inline void extract__dev_ino(struct file *file, __u32 *dev, __u64 *ino)
{
	*dev = 0;
	*ino = 0;
	if (!file)
		return;
	struct inode *inode = BPF_CORE_READ(file, f_inode);
	*dev = extract__encode_dev(BPF_CORE_READ(inode, i_sb, s_dev));
	*ino = BPF_CORE_READ(inode, i_ino);
}

#define K_OVERLAYFS_SUPER_MAGIC 0x794c7630
enum overlay_layer { LAYER_NONE = 0, LAYER_UPPER = 1, LAYER_LOWER = 2 };

/*
 * Which overlayfs layer a file lives in. An overlay inode is embedded in struct ovl_inode, whose
 * next member after the VFS inode is the upper-layer dentry (NULL until the file is copied up or
 * created in the upper layer). overlayfs may be a module absent from vmlinux BTF, so the member is
 * found by the running kernel's sizeof(struct inode) rather than by name.
 */
static __always_inline enum overlay_layer extract__overlay_layer(struct file *file)
{
	if (!file)
		return LAYER_NONE;
	struct dentry *dentry = BPF_CORE_READ(file, f_path.dentry);
	if (BPF_CORE_READ(dentry, d_sb, s_magic) != K_OVERLAYFS_SUPER_MAGIC)
		return LAYER_NONE;
	struct inode *inode = BPF_CORE_READ(dentry, d_inode);
	__u64 inode_size = bpf_core_type_size(struct inode);
	struct dentry *upper = NULL;
	if (!inode || !inode_size || bpf_probe_read_kernel(&upper, sizeof(upper), (void *)inode + inode_size))
		return LAYER_LOWER;
	return upper && BPF_CORE_READ(upper, d_inode) ? LAYER_UPPER : LAYER_LOWER;
}

/* A task's pid as seen from its own pid namespace (vpid/vtid). */
static __always_inline __u32 extract__ns_pid(struct task_struct *task, bool group)
{
	struct pid *pid = group ? BPF_CORE_READ(task, signal, pids[PIDTYPE_TGID]) : BPF_CORE_READ(task, thread_pid);
	unsigned int level = BPF_CORE_READ(pid, level);
	return BPF_CORE_READ(pid, numbers[level].nr);
}

#endif
