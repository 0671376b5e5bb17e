// SPDX-License-Identifier: GPL-2.0
/*
 * umh_shmem: the char device /dev/umh_shm. It owns one zeroed page from the
 * page allocator and lets root map that very page into any number of
 * processes with mmap(MAP_SHARED), so the kernel and user programs read
 * and write the same bytes. At load time the kernel writes a health-check
 * request into the page (layout in common/include/umh_shm.h).
 *
 * Lab 1 of kdlab; docs/lab-1.md explains the lab.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/gfp.h>
#include <linux/init.h>
#include <linux/io.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/seq_file.h>
#include <linux/string.h>

#include <umh_shm.h>

static uint id = 2;
module_param(id, uint, 0444);
MODULE_PARM_DESC(id, "id of the health-check request (default 2)");

/*
 * Root may change the strings at run time (in /sys/module/umh_shmem/
 * parameters/); debugfs health_check then writes the new request.
 */
static char *payload = "hello";
module_param(payload, charp, 0644);
MODULE_PARM_DESC(payload, "payload of the health-check request (default hello)");

static char *hash = "world";
module_param(hash, charp, 0644);
MODULE_PARM_DESC(hash, "pl_hash of the health-check request (default world)");

/* The one page that the kernel and every mapping of the device share. */
static struct page *shm_page;
static struct dentry *shm_debugfs;

/*
 * For lab 2's helper module, which talks through the same page. Using the
 * symbol pins this module, so the page stays while the caller is loaded.
 * NULL while the page is still a TODO.
 */
struct page *umh_shm_page(void)
{
	return shm_page;
}
EXPORT_SYMBOL_GPL(umh_shm_page);

/* The strings must fit in their fields with their NUL. */
static bool umh_request_fits(const char *pl, const char *pl_hash)
{
	return strlen(pl) < UMH_SHM_PAYLOAD_LEN &&
	       strlen(pl_hash) < UMH_SHM_HASH_LEN;
}

/*
 * Writes a request into the shared page, as the article's health check
 * does. noinline: gdb breaks here and watches the page (labs 2 and 4).
 */
static noinline void umh_health_check(struct umh_shm_req *req, u32 req_id,
				      const char *pl, const char *pl_hash)
{
	/*
	 * TODO(lab 1): store req_id in req->id first (lab 4's watchpoint
	 * stops on that store), then copy pl into req->payload and pl_hash
	 * into req->pl_hash as NUL-terminated strings. The page may hold an
	 * older request: clear the rest of each field, so that a shorter
	 * string leaves no byte of a longer one behind.
	 */
	/* SOLUTION BEGIN */
	req->id = req_id;
	strscpy_pad(req->payload, pl, sizeof(req->payload));
	strscpy_pad(req->pl_hash, pl_hash, sizeof(req->pl_hash));
	/* SOLUTION END */
}

static int shmem_mmap(struct file *file, struct vm_area_struct *vma)
{
	/*
	 * TODO(lab 1): refuse what this device cannot honour, each with the
	 * errno of the table in docs/lab-1.md, in this order: a non-zero
	 * offset, more than one page, PROT_WRITE without a writable open
	 * (shared or private: the VFS only refuses the shared one), a
	 * private mapping, PROT_EXEC. Then make sure a later mprotect()
	 * cannot add write (to a read-only mapping) or exec, and that
	 * mremap() cannot grow it.
	 */
	/* SOLUTION BEGIN */
	if (vma->vm_pgoff)
		return -ENXIO;
	if (vma->vm_end - vma->vm_start > PAGE_SIZE)
		return -EINVAL;
	/* For MAP_PRIVATE the VFS lets this through: only the driver decides. */
	if ((vma->vm_flags & VM_WRITE) && !(file->f_mode & FMODE_WRITE))
		return -EACCES;
	/* MAP_SHARED always sets VM_MAYSHARE; a read-only open drops VM_SHARED */
	if (!(vma->vm_flags & VM_MAYSHARE))
		return -EINVAL;
	if (vma->vm_flags & VM_EXEC)
		return -EPERM;

	/* mprotect() can only grant what the VM_MAY* bits still allow. */
	vma->vm_flags &= ~VM_MAYEXEC;
	if (!(vma->vm_flags & VM_WRITE))
		vma->vm_flags &= ~VM_MAYWRITE;
	/* mremap() may not grow the mapping past the page; no core dumps. */
	vma->vm_flags |= VM_DONTEXPAND | VM_DONTDUMP;
	/* SOLUTION END */

	/*
	 * TODO(lab 1): map shm_page at the start of the area. The page table
	 * entry must hold its own reference on the page, so that the page
	 * outlives the module's reference for as long as it is mapped.
	 */
	/* SOLUTION BEGIN */
	return vm_insert_page(vma, vma->vm_start, shm_page);
	/* SKELETON: return -ENODEV; */
	/* SOLUTION END */
}

static const struct file_operations shmem_fops = {
	/* An open file pins the module: no rmmod under a live mapping. */
	.owner = THIS_MODULE,
	.mmap = shmem_mmap,
	.llseek = noop_llseek,
};

static struct miscdevice shmem_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "umh_shm",
	.fops = &shmem_fops,
	/* Root only: i_mode 0x2180, a char device with rw------- */
	.mode = 0600,
};

/*
 * debugfs, for the graders and for gdb in lab 4 (not part of the lab's
 * TODOs): "page" tells where the page is, and writing to "health_check"
 * writes the request, with the parameters' current strings, into the page
 * again.
 */
static int umh_page_show(struct seq_file *m, void *unused)
{
	phys_addr_t phys;

	if (!shm_page)	/* the skeleton has no page yet */
		return -ENXIO;
	phys = page_to_phys(shm_page);
	/* The raw address is the point of this root-only file. */
	seq_printf(m, "virt 0x%lx\nphys %pa\n",
		   (unsigned long)page_address(shm_page), &phys);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(umh_page);

static ssize_t health_check_write(struct file *file, const char __user *buf,
				  size_t len, loff_t *ppos)
{
	ssize_t ret = len;

	if (!shm_page)
		return -ENXIO;
	/* A write to the parameters may free the old strings meanwhile. */
	kernel_param_lock(THIS_MODULE);
	if (umh_request_fits(payload, hash))
		umh_health_check(page_address(shm_page), id, payload, hash);
	else
		ret = -EINVAL;
	kernel_param_unlock(THIS_MODULE);
	return ret;
}

static const struct file_operations health_check_fops = {
	.owner = THIS_MODULE,
	.write = health_check_write,
	.llseek = noop_llseek,
};

static int __init umh_shm_init(void)
{
	int err;

	if (!umh_request_fits(payload, hash)) {
		pr_err("payload and hash must be shorter than %d bytes\n",
		       UMH_SHM_PAYLOAD_LEN);
		return -EINVAL;
	}

	/*
	 * TODO(lab 1): take one zeroed page from the page allocator into
	 * shm_page (fail the load with -ENOMEM without one), then write the
	 * health check into it with umh_health_check().
	 */
	/* SOLUTION BEGIN */
	shm_page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!shm_page)
		return -ENOMEM;
	umh_health_check(page_address(shm_page), id, payload, hash);
	/* SKELETON: pr_warn("no shared page yet: see the TODOs\n"); */
	/* SOLUTION END */

	err = misc_register(&shmem_dev);
	if (err)
		goto out_page;

	shm_debugfs = debugfs_create_dir("umh_shm", NULL);
	debugfs_create_file("page", 0400, shm_debugfs, NULL, &umh_page_fops);
	debugfs_create_file("health_check", 0200, shm_debugfs, NULL,
			    &health_check_fops);

	pr_info("%s ready, health check id=%u\n", UMH_SHM_DEV, id);
	return 0;

out_page:
	/* TODO(lab 1): give the page back (also in umh_shm_exit()). */
	/* SOLUTION BEGIN */
	put_page(shm_page);
	/* SOLUTION END */
	return err;
}

static void __exit umh_shm_exit(void)
{
	debugfs_remove_recursive(shm_debugfs);
	misc_deregister(&shmem_dev);
	/* TODO(lab 1): drop the module's reference on the page. */
	/* SOLUTION BEGIN */
	put_page(shm_page);
	/* SOLUTION END */
	pr_info("unloaded\n");
}

module_init(umh_shm_init);
module_exit(umh_shm_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kdlab lab 1: one kernel page shared through /dev/umh_shm");
