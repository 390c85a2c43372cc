#include "malloc_policy.h"

#include <limits.h>  // before the test: any C library header defines __GLIBC__ on glibc

#if defined(__GLIBC__)
#include <malloc.h>

int smp_malloc_keep_freed_blocks(long trimBytes) {
    // glibc refuses a threshold above HEAP_MAX_SIZE / 2: 4 MB * sizeof(long).
    const int largestThreshold = 4 * 1024 * 1024 * (int)sizeof(long);
    const int trim = trimBytes > INT_MAX ? INT_MAX : (int)trimBytes;
    return mallopt(M_MMAP_THRESHOLD, largestThreshold) == 1 && mallopt(M_TRIM_THRESHOLD, trim) == 1;
}
#else
int smp_malloc_keep_freed_blocks(long trimBytes) {
    (void)trimBytes;
    return 0;
}
#endif
