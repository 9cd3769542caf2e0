/* Fuzz target: keyword rules files (INI and PCRE2 patterns), then matching. */
#include "fuzz_common.h"
#include "adapters.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mpi_rules *rs;
    if (mpi_rules_load(fuzz_file(data, size, ".rules"), &rs) != MP_OK)
        return 0;
    static const char *const texts[] = {"chaussure running", "Maison Lorient", "ÉLAN été",
                                        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!", ""};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        int g;
        mpi_rules_classify(rs, texts[i], &g);
    }
    mpi_rules_free(rs);
    return 0;
}
