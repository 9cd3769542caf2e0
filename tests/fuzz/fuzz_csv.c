/* Fuzz target: delimited datasets (encoding and delimiter detection, libcsv). */
#include "fuzz_common.h"
#include "adapters.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mpi_table t;
    if (mpi_table_read(fuzz_file(data, size, ".csv"), 0, &t) == MP_OK)
        mpi_table_free(&t);
    return 0;
}
