/* The booked MIP restricted to the segments in question (mip_band.c) on
 * small plans, made to take that path (mpi_mip_tune_band(0)), against the
 * whole MIP (mpi_mip_tune_band(SIZE_MAX): GLPK's branch and cut on the whole
 * explicit MIP, whose optimum test_flights checks against every on/off
 * pattern): flights with a burst, a flight and a cap on active weeks; whole
 * spots and insertions; the same tv carrying over (adstock, the pattern's
 * rows over the money paid). The same objective to 1e-9 and the same units
 * and airing weeks.
 *
 * Then failure injection over a load and solve on the restricted path: with
 * the Nth allocation made to fail, each run ends with MP_ERR_NOMEM and "out
 * of memory" in mp_last_error(), or (when it makes fewer than N, or a pass
 * falls back when short of memory) with the untouched run's objective to the
 * bit; leaks are LeakSanitizer's under the ASan build. Sampled: every N up to
 * DENSE, then every STRIDE-th (a prime) and the last TAIL; 420 allocations a
 * run, 324 runs, under 1 s of CPU on the 2-core machine (RelWithDebInfo).
 * MP_FAILINJECT_ALL=1 tries every N. */
#include "inject.h"

#include <math.h>
#include <stdint.h>

#include "base.h"
#include "solution.h"

#define DENSE  300
#define STRIDE 13
#define TAIL   20

static const char *FLIGHTS = "[plan]\n"
                             "budget = 150000\n"
                             "start = 2027-03-01\n"
                             "periods = 6\n"
                             "objective = max conversions\n"
                             "precision = 0.01%\n"
                             "[channel \"telly\"]\n"
                             "type = tv\n"
                             "cpp = 1000\n"
                             "response = exp\n"
                             "beta = 900\n"
                             "response_k = 30000\n"
                             "min_grp = 20\n"
                             "min_burst = 2\n"
                             "max_active_periods = 4\n"
                             "flight = 1-2, 4-6\n"
                             "@"
                             "[channel \"web\"]\n"
                             "type = curve\n"
                             "curve = exp\n"
                             "beta = 400\n"
                             "k = 15000\n";

static const char *SPOTS = "[plan]\n"
                           "budget = 100000\n"
                           "start = 2027-03-01\n"
                           "periods = 4\n"
                           "objective = max conversions\n"
                           "precision = 0.01%\n"
                           "[channel \"telly\"]\n"
                           "type = tv\n"
                           "spot_cost = 2500\n"
                           "grp_per_spot = 2.5\n"
                           "response = exp\n"
                           "beta = 500\n"
                           "response_k = 20000\n"
                           "@"
                           "[channel \"daily\"]\n"
                           "type = press\n"
                           "cpi = 7000\n"
                           "audience = 500k\n"
                           "readership = 1.5M\n"
                           "response = exp\n"
                           "beta = 300\n"
                           "response_k = 15000\n"
                           "[channel \"web\"]\n"
                           "type = curve\n"
                           "curve = exp\n"
                           "beta = 200\n"
                           "k = 10000\n";

typedef struct booked {
    double objective;
    double units[16], airs[16]; /* [channel * periods + period], up to 16 */
    size_t n;
} booked;

/* Load and solve path with the MIP restricted (band 1) or whole (band 0). */
static mp_status solve_booked(const char *path, int band, booked *out)
{
    size_t old = mpi_mip_tune_band(band ? 0 : SIZE_MAX);
    mp_plan *plan = NULL;
    mp_solution *sol = NULL;
    mp_status st = mp_plan_load(path, &plan);
    if (st == MP_OK)
        st = mp_plan_solve(plan, NULL, &sol);
    mpi_mip_tune_band(old);
    if (st == MP_OK) {
        out->objective = mp_solution_objective(sol);
        out->n = plan->nch * (size_t)plan->periods;
        assert_true(out->n <= 16 && sol->booked);
        assert_true(band ? sol->mip_band_cols > 0 && sol->mip_band_settled
                         : sol->mip_band_cols == 0);
        for (size_t i = 0; i < out->n; i++) {
            out->units[i] = sol->book_units ? sol->book_units[i] : NAN;
            out->airs[i] = sol->book_airs ? sol->book_airs[i] : 0;
        }
    }
    mp_solution_free(sol);
    mp_plan_free(plan);
    return st;
}

/* The plan text with extra keys for tv in place of its "@". */
static char *write_plan(const char *dir, const char *text, const char *extra)
{
    char out[2048];
    const char *at = strchr(text, '@');
    assert_non_null(at);
    snprintf(out, sizeof out, "%.*s%s%s", (int)(at - text), text, extra, at + 1);
    return test_write(dir, "plan.ini", out);
}

static void band_as_whole(const char *text, const char *extra)
{
    char *dir = test_tmpdir();
    char *path = write_plan(dir, text, extra);
    booked b, w;
    assert_int_equal(solve_booked(path, 1, &b), MP_OK);
    assert_int_equal(solve_booked(path, 0, &w), MP_OK);
    assert_true(fabs(b.objective - w.objective) <= 1e-9 * fabs(w.objective));
    for (size_t i = 0; i < w.n; i++) {
        assert_true(b.airs[i] == w.airs[i]);
        assert_true((isnan(b.units[i]) && isnan(w.units[i])) || b.units[i] == w.units[i]);
    }
    free(path);
    free(dir);
}

static void flights_as_whole(void **state)
{
    (void)state;
    band_as_whole(FLIGHTS, "");
}

static void flights_adstock_as_whole(void **state)
{
    (void)state;
    band_as_whole(FLIGHTS, "adstock = 0.5\ncarryover_in = 10k\n");
}

static void spots_as_whole(void **state)
{
    (void)state;
    band_as_whole(SPOTS, "");
}

/* The restricted MIP's solve, for inject_sweep. */
static mp_status band_run(void *arg, double *objective)
{
    booked b;
    mp_status st = solve_booked(arg, 1, &b);
    if (st == MP_OK)
        *objective = b.objective;
    return st;
}

static void band_fails_cleanly(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    char *path = write_plan(dir, SPOTS, "");
    inject_sample sample = {DENSE, STRIDE, TAIL};
    assert_true(inject_sweep("restricted MIP", band_run, path, sample) > 100);
    free(path);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(flights_as_whole),
        cmocka_unit_test(flights_adstock_as_whole),
        cmocka_unit_test(spots_as_whole),
        cmocka_unit_test(band_fails_cleanly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
