/* Fuzz target: the plan file parser (INI, numbers, dates, expressions, channels). */
#include "fuzz_common.h"
#include "mixplan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mp_plan *plan = NULL;
    if (mp_plan_load(fuzz_file(data, size, ".ini"), &plan) == MP_OK)
        mp_plan_free(plan);
    return 0;
}
