/*===- bench/memshim.c - live and peak heap bytes of a process -------------===*
 *
 * Part of the Kiln project.
 *
 * An LD_PRELOAD library for bench/run.py's memory column: it wraps malloc,
 * calloc, realloc, free, posix_memalign, aligned_alloc, memalign and valloc
 * (glibc's __libc_* functions do the work) and keeps the bytes in use
 * (malloc_usable_size of every live block) and their peak since the last
 * reset. The process reads them through
 *
 *   long long memshim_live(void);   bytes in use now
 *   long long memshim_peak(void);   largest bytes in use since the reset
 *   void memshim_reset(void);       peak := live
 *
 * (ctypes.CDLL(None) in Python). PyTorch's CPU allocator takes its tensors
 * from posix_memalign, so the step's tensors, parameters, gradients and
 * optimizer states are all counted. Memory mapped directly (mmap without
 * malloc) is not.
 *
 *   clang-19 -O2 -shared -fPIC bench/memshim.c -o memshim.so
 *===----------------------------------------------------------------------===*/

#include <errno.h>
#include <malloc.h>
#include <stddef.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);
extern void *__libc_memalign(size_t, size_t);

static long long live, peak;

static void count(void *p, int sign) {
  if (!p)
    return;
  long long n = (long long)malloc_usable_size(p) * sign;
  long long now = __atomic_add_fetch(&live, n, __ATOMIC_RELAXED);
  long long old = __atomic_load_n(&peak, __ATOMIC_RELAXED);
  while (now > old &&
         !__atomic_compare_exchange_n(&peak, &old, now, 1, __ATOMIC_RELAXED,
                                      __ATOMIC_RELAXED))
    ;
}

long long memshim_live(void) { return __atomic_load_n(&live, __ATOMIC_RELAXED); }
long long memshim_peak(void) { return __atomic_load_n(&peak, __ATOMIC_RELAXED); }
void memshim_reset(void) {
  __atomic_store_n(&peak, memshim_live(), __ATOMIC_RELAXED);
}

/* Counts the new block `p` (or nothing, if null) and returns it. */
static void *counted(void *p) {
  count(p, 1);
  return p;
}

void *malloc(size_t n) { return counted(__libc_malloc(n)); }

void *calloc(size_t m, size_t n) { return counted(__libc_calloc(m, n)); }

void free(void *p) {
  count(p, -1);
  __libc_free(p);
}

void *realloc(void *old, size_t n) {
  long long before = old ? (long long)malloc_usable_size(old) : 0;
  void *p = __libc_realloc(old, n);
  if (p || n == 0) {
    __atomic_sub_fetch(&live, before, __ATOMIC_RELAXED);
    count(p, 1);
  }
  return p;
}

void *memalign(size_t align, size_t n) {
  return counted(__libc_memalign(align, n));
}

void *aligned_alloc(size_t align, size_t n) { return memalign(align, n); }

void *valloc(size_t n) { return memalign(4096, n); }

int posix_memalign(void **out, size_t align, size_t n) {
  if (align < sizeof(void *) || (align & (align - 1)))
    return EINVAL;
  void *p = memalign(align, n);
  if (!p && n)
    return ENOMEM;
  *out = p;
  return 0;
}
