/* Fuzz target: constraint expressions, against a plan with every media type. */
#include "fuzz_common.h"
#include "plan.h"

static mp_plan *plan;

static const char plan_text[] =
    "[plan]\nbudget = 100k\nstart = 2027-03-01\nuniverse = 10M\n"
    "[channel \"meta\"]\ntype = social\ncpm = 8\nctr = 1%\naudience = 1M\n"
    "[channel \"tf1\"]\ntype = tv\ncpp = 5000\n"
    "[channel \"nrj\"]\ntype = radio\ncpp = 900\n"
    "[channel \"daily\"]\ntype = press\ncpi = 9000\naudience = 1M\n"
    "[channel \"x1\"]\ntype = curve\ncurve = exp\nbeta = 10\nk = 1000\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!plan) {
        const char *path = fuzz_file((const uint8_t *)plan_text, sizeof plan_text - 1, ".plan");
        if (mp_plan_load(path, &plan) != MP_OK)
            abort();
    }
    char *text = fuzz_string(data, size);
    mpi_loc loc = {"fuzz", 1, "expr"};
    mpi_expr e;
    if (mpi_expr_parse(plan, text, &loc, &e) == MP_OK)
        mpi_expr_free(&e);
    free(text);
    return 0;
}
