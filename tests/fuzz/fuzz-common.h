/* fuzz-common.h: what the libFuzzer harnesses share. */
#pragma once

#include <glib.h>
#include <stddef.h>
#include <stdint.h>

int   LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* A scratch folder for the process, removed at exit. */
const char *fuzz_scratch_dir  (void);
/* Writes @size bytes to a file named @name in the scratch folder. */
char       *fuzz_write_file   (const char *name, const uint8_t *data, size_t size);
