/* svyaz-prefetch.h: asking for memory before it is read.
 *
 * Walking a large graph in the spatial index's order (cells, not ids)
 * reads edges, segments and stamps scattered through hundreds of
 * megabytes; each read waited on memory in turn. Loops that know what
 * they will read a few turns ahead ask for it with SVYAZ_PREFETCH, a
 * hint with no effect on results, nothing where the compiler has no
 * such builtin.
 */
#pragma once

#if defined(__GNUC__) || defined(__clang__)
#define SVYAZ_PREFETCH(address) __builtin_prefetch (address)
#else
#define SVYAZ_PREFETCH(address) ((void) (address))
#endif
