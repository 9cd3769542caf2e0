/* Fuzz target: Keyword Planner exports in any encoding. */
#include "fuzz_common.h"
#include "adapters.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mpi_strlist warn = {0};
    mpi_kwp k;
    if (mpi_kwp_load(fuzz_file(data, size, ".kwp"), NULL, &warn, &k) == MP_OK)
        mpi_kwp_free(&k);
    mpi_strlist_free(&warn);
    return 0;
}
