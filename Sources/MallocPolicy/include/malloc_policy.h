#ifndef MALLOC_POLICY_H
#define MALLOC_POLICY_H

/// Keeps freed blocks of up to glibc's largest mmap threshold (32 MB on 64-bit) in the heap for
/// reuse instead of unmapping them, and trims the heap only past `trimBytes` of free top memory.
/// Returns 1 when glibc took both settings, 0 when it refused one or the C library is not glibc.
int smp_malloc_keep_freed_blocks(long trimBytes);

#endif
