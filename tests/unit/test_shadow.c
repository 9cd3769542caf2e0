/* Shadow prices on the exact curves (engine/src/shadow.c), against closed
 * forms worked out here. Curves f_i(x) = beta_i (1 - exp(-x / k_i)) have
 * f_i'(x) = beta_i / k_i exp(-x / k_i). The plans use a coarse precision
 * (1 %): the LP's chords are then far from the curves, and its dual is off
 * by a few percent, while the shadow price must be the exact optimum's
 * multiplier (to the finite differences' accuracy, 1e-6 here). */
#include "helpers.h"
#include "bound.h"
#include "report.h"

#include <math.h>

/* Two exp curves sharing a budget B, a third whose first euro returns less
 * than the budget's price (never bought). At the optimum f_1'(x_1) =
 * f_2'(x_2) = lambda, x_i = k_i ln(beta_i / (k_i lambda)), and x_1 + x_2 =
 * B gives ln lambda = (sum k_i ln(beta_i / k_i) - B) / sum k_i. */
static const char two_curves[] =
    "[plan]\nbudget = 100k\nstart = 2027-03-01\nperiods = 1\n"
    "precision = 1%\ngap = 1%\n"
    "[channel \"a\"]\ntype = curve\ncurve = exp\nbeta = 3000\nk = 40k\n"
    "[channel \"b\"]\ntype = curve\ncurve = exp\nbeta = 1000\nk = 30k\n"
    "[channel \"c\"]\ntype = curve\ncurve = exp\nbeta = 100\nk = 50k\n";

static const mpi_row_result *row_of_kind(const mp_solution *sol, int kind)
{
    for (size_t r = 0; r < sol->model.lp.nrows; r++)
        if (sol->model.lp.rows[r].kind == kind)
            return &sol->rows[r];
    fail_msg("no row of kind %d", kind);
    return NULL;
}

static void budget_price_is_the_common_derivative(void **state)
{
    (void)state;
    mp_plan *plan;
    mp_solution *sol;
    assert_int_equal(mp_plan_load_buffer(two_curves, sizeof two_curves - 1, NULL, &plan), MP_OK);
    assert_int_equal(mp_plan_solve(plan, NULL, &sol), MP_OK);
    double beta[] = {3000, 1000}, k[] = {40e3, 30e3}, B = 100e3, num = -B, ksum = 0;
    for (int i = 0; i < 2; i++) {
        num += k[i] * log(beta[i] / k[i]);
        ksum += k[i];
    }
    double lambda = exp(num / ksum);
    const mpi_row_result *budget = row_of_kind(sol, MPI_ROW_BUDGET);
    assert_true(fabs(budget->shadow - lambda) <= 1e-6 * lambda);
    /* the LP's dual is a chord slope: not that close at this precision */
    assert_true(fabs(budget->dual - lambda) > 1e-4 * lambda);
    /* each channel's marginal return is its exact derivative at its spend,
     * and c's the return of its first euro, beta / k */
    for (size_t c = 0; c < 2; c++) {
        double x = mp_solution_channel_spend(sol, c);
        double d = beta[c] / k[c] * exp(-x / k[c]);
        assert_true(fabs(mp_solution_channel_marginal(sol, c) - d) <= 1e-6 * d);
    }
    assert_true(mp_solution_channel_spend(sol, 2) == 0);
    assert_true(fabs(mp_solution_channel_marginal(sol, 2) - 100 / 50e3) <= 1e-9);
    mp_solution_free(sol);
    mp_plan_free(plan);
}

/* A share floor share(b) >= 60 % over two curves and B: b gets 0.6 B, a
 * 0.4 B, and the objective f_a(0.4 B) + f_b(0.6 B) moves with the share s
 * by d/ds = B (f_b' - f_a'), per fraction; the budget's price is d/dB =
 * (1 - s) f_a' + s f_b'. */
static void share_price_in_closed_form(void **state)
{
    (void)state;
    static const char text[] = "[plan]\nbudget = 100k\nstart = 2027-03-01\nperiods = 1\n"
                               "precision = 1%\ngap = 1%\n"
                               "[channel \"a\"]\ntype = curve\ncurve = exp\nbeta = 3000\nk = 40k\n"
                               "[channel \"b\"]\ntype = curve\ncurve = exp\nbeta = 1000\nk = 30k\n"
                               "[constraint \"floor\"]\nexpr = share(b) >= 60%\n";
    mp_plan *plan;
    mp_solution *sol;
    assert_int_equal(mp_plan_load_buffer(text, sizeof text - 1, NULL, &plan), MP_OK);
    assert_int_equal(mp_plan_solve(plan, NULL, &sol), MP_OK);
    double B = 100e3, s = 0.6;
    double fa = 3000 / 40e3 * exp(-(1 - s) * B / 40e3), fb = 1000 / 30e3 * exp(-s * B / 30e3);
    const mpi_row_result *share = row_of_kind(sol, MPI_ROW_CONSTRAINT);
    const mpi_row_result *budget = row_of_kind(sol, MPI_ROW_BUDGET);
    double want_share = B * (fb - fa), want_budget = (1 - s) * fa + s * fb;
    assert_true(fabs(share->shadow - want_share) <= 1e-6 * fabs(want_share));
    assert_true(fabs(budget->shadow - want_budget) <= 1e-6 * want_budget);
    /* in the report, per percentage point */
    const mpi_report *r = mpi_report_of(sol);
    for (size_t i = 0; i < r->nrows; i++)
        if (r->row[i].cons)
            assert_true(fabs(r->row[i].shadow - 0.01 * want_share) <= 1e-6 * fabs(want_share));
    mp_solution_free(sol);
    mp_plan_free(plan);
}

/* The passes over the curves after the solve (the bound's, the shadow
 * prices' Newton rounds) split them in two fixed halves and add the halves'
 * sums in order: the figures are the same to the bit on one thread or two. */
static void same_on_one_or_two_threads(void **state)
{
    (void)state;
    static const char text[] = "[plan]\nbudget = 300k\nstart = 2027-03-01\nperiods = 13\n"
                               "precision = 1%\ngap = 0.01%\nperiod_budget = 30k\n"
                               "[channel \"a\"]\ntype = curve\ncurve = exp\nbeta = 3000\nk = 40k\n"
                               "[channel \"b\"]\ntype = curve\ncurve = exp\nbeta = 1000\nk = 30k\n"
                               "[channel \"c\"]\ntype = curve\ncurve = exp\nbeta = 800\nk = 9k\n"
                               "[constraint \"floor\"]\nexpr = share(b) >= 30%\n";
    mp_plan *plan;
    mp_solution *sol[2];
    assert_int_equal(mp_plan_load_buffer(text, sizeof text - 1, NULL, &plan), MP_OK);
    size_t was = mpi_halves_tune_threads(0);
    assert_int_equal(mp_plan_solve(plan, NULL, &sol[0]), MP_OK);
    mpi_halves_tune_threads((size_t)-1);
    assert_int_equal(mp_plan_solve(plan, NULL, &sol[1]), MP_OK);
    mpi_halves_tune_threads(was);
    assert_int_equal(mp_solution_result(sol[1]), MP_RESULT_OPTIMAL);
    assert_true(isfinite(sol[1]->bound));
    assert_memory_equal(&sol[0]->bound, &sol[1]->bound, sizeof(double));
    assert_memory_equal(&sol[0]->objective, &sol[1]->objective, sizeof(double));
    size_t n = sol[1]->model.lp.nrows, priced = 0;
    for (size_t r = 0; r < n; r++) {
        assert_memory_equal(&sol[0]->rows[r].shadow, &sol[1]->rows[r].shadow, sizeof(double));
        assert_memory_equal(&sol[0]->rows[r].price, &sol[1]->rows[r].price, sizeof(double));
        priced += sol[1]->rows[r].shadow != 0 && !isnan(sol[1]->rows[r].shadow);
    }
    assert_true(priced >= 2); /* the budget and the share floor at least */
    for (size_t c = 0; c < 3; c++) {
        double m0 = mp_solution_channel_marginal(sol[0], c);
        double m1 = mp_solution_channel_marginal(sol[1], c);
        assert_memory_equal(&m0, &m1, sizeof m0);
    }
    mp_solution_free(sol[0]);
    mp_solution_free(sol[1]);
    mp_plan_free(plan);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(budget_price_is_the_common_derivative),
        cmocka_unit_test(share_price_in_closed_form),
        cmocka_unit_test(same_on_one_or_two_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
