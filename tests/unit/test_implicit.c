/* The implicit solve (engine/src/implicit.c): random plans of the shape the
 * solve is for (a search channel of many keywords, social, TV and radio over
 * several weeks; the budget, a cap per week, an offline share and a CPA cap;
 * concave curves with several KPIs) solved from their curves and row prices
 * must reach the optimum GLPK reaches on the whole explicit LP: the same
 * objective to 1e-9, the same row activities, the same verdict when there is
 * no plan; and the answer must pass lpnum.c's check on the explicit LP, which
 * the implicit solve never reads. */
#include "helpers.h"
#include "model.h"

#include <math.h>

/* A deterministic stream (xorshift), one seed per instance. */
static unsigned long long rng;
static double uniform(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (double)(rng >> 11) / 9007199254740992.0;
}

/* A Keyword Planner export of n random keywords. */
static void write_keywords(const char *dir, long n)
{
    size_t cap = 200 + 100 * (size_t)n, len = 0;
    char *text = malloc(cap);
    assert_non_null(text);
    len += (size_t)snprintf(text, cap,
                            "Keyword Stats 2026-06-15 at 09_00_00\n\"June 1, 2025 - May 31, "
                            "2026\"\nKeyword\tCurrency\tAvg. monthly searches\t"
                            "Top of page bid (low range)\tTop of page bid (high range)\n");
    for (long i = 0; i < n; i++) {
        double vol = 50 + 20000 * pow(uniform(), 4), lo = 0.2 + 2 * uniform();
        len += (size_t)snprintf(text + len, cap - len, "kw %ld\tEUR\t%.0f\t%.2f\t%.2f\n", i, vol,
                                lo, lo * (1.5 + 2 * uniform()));
    }
    free(test_write(dir, "kw.csv", text));
    free(text);
}

/* A plan over those keywords: objective and extra lines as given. */
static mp_plan *random_plan(const char *dir, long n, int periods, const char *objective,
                            const char *extra)
{
    write_keywords(dir, n);
    double budget = 40.0 * (double)n + 60000;
    /* distinct weeks: with equal ones, money moves between them at no cost
     * and the optimum (its row activities) is not unique */
    char season[256] = "";
    for (int t = 0, len = 0; t < periods; t++)
        len += snprintf(season + len, sizeof season - (size_t)len, "%s%.3f", t ? ", " : "",
                        0.8 + 0.4 * uniform());
    char text[4096];
    snprintf(text, sizeof text,
             "[plan]\nbudget = %.0f\nstart = 2027-03-01\nperiods = %d\nperiod_budget = %.0f\n"
             "objective = %s\nuniverse = 30M\nseasonality = %s\n"
             "[channel \"google\"]\ntype = search\nkeywords = kw.csv\nctr = 4%%\ncvr = 3%%\n"
             "value = 80\ninflation = 9%%\n"
             "[channel \"meta\"]\ntype = social\ncpm = 7.5\nctr = 1.2%%\ncvr = 1.5%%\n"
             "audience = 3M\nvalue = 80\n"
             "[channel \"tf1\"]\ntype = tv\ncpp = 5200\nresponse = hill\nbeta = 900\nec = 60k\n"
             "value = 80\n"
             "[channel \"nrj\"]\ntype = radio\ncpp = 900\nresponse = exp\nbeta = 150\n"
             "response_k = 15k\nvalue = 80\n"
             "[constraint \"offline\"]\nexpr = share(tv, radio) >= %.0f%%\n%s",
             budget, periods, 0.6 * budget / periods, objective, season, 10 + 20 * uniform(),
             extra);
    return test_plan(dir, text);
}

static void assert_close(double got, double want, double size, double tol, const char *what)
{
    if (!(fabs(got - want) <= tol * (fabs(want) + size))) {
        fprintf(stderr, "%s: expected %.15g, got %.15g\n", what, want, got);
        fail();
    }
}

/* The implicit answer against GLPK's on the whole explicit LP, and against
 * lpnum.c's check of the explicit LP. */
static void compare(const mpi_model *m, const mpi_lp_sol *direct, mpi_lp_sol *imp)
{
    assert_int_equal(imp->status, direct->status);
    if (direct->status != MPI_LP_OPTIMAL)
        return;
    assert_close(imp->obj, direct->obj, 0, 1e-9, "objective");
    mpi_lp lp; /* the explicit LP, which the model does not keep */
    assert_int_equal(mpi_model_explicit(m, &lp), MP_OK);
    for (size_t r = 0; r < lp.nrows; r++) {
        double size = fabs(lp.rows[r].rhs);
        for (size_t k = 0; k < lp.rows[r].len; k++)
            size += fabs(lp.val[lp.rows[r].start + k]) * lp.ub[lp.ind[lp.rows[r].start + k]];
        assert_close(imp->row_act[r], direct->row_act[r], size, 1e-9, lp.rows[r].name);
    }
    mpi_lp_check chk;
    assert_int_equal(mpi_lp_verify(&lp, imp, &chk), MP_OK);
    assert_true(chk.ok);
    mpi_lp_free(&lp);
}

/* One instance: direct, implicit from a sample (sampling forced on by a low
 * whole-LP threshold), implicit from poor prices (the direct optimum's,
 * scaled by `poor`). */
static void one_instance(unsigned long long seed, long n, int periods, const char *objective,
                         const char *extra, double poor)
{
    rng = seed;
    char *dir = test_tmpdir();
    mp_plan *plan = random_plan(dir, n, periods, objective, extra);
    mpi_model m;
    assert_int_equal(mpi_model_build(plan, NULL, &m), MP_OK);
    mpi_lp_sol direct, imp;
    assert_int_equal(mpi_model_solve_explicit(&m, NULL, &direct), MP_OK);
    size_t was = mpi_implicit_tune(m.lp.ncols / 20);
    assert_int_equal(mpi_model_solve_implicit(&m, NULL, NULL, &imp), MP_OK);
    mpi_implicit_stats st;
    mpi_implicit_last(&st);
    assert_true(st.sample_cols > 0 && st.sample_cols < m.lp.ncols);
    if (getenv("MP_IMPLICIT_DEBUG"))
        fprintf(stderr, "cols %zu rows %zu sample %zu rounds %zu band %zu whole %d\n", m.lp.ncols,
                m.lp.nrows, st.sample_cols, st.rounds, st.band_cols, st.whole);
    compare(&m, &direct, &imp);
    mpi_lp_sol_free(&imp);
    if (direct.status == MPI_LP_OPTIMAL) {
        double *pi = calloc(m.lp.nrows, sizeof(double));
        assert_non_null(pi);
        for (size_t r = 0; r < m.lp.nrows; r++)
            pi[r] = direct.row_dual[r] * (r % 2 ? poor : 1 / poor);
        assert_int_equal(mpi_model_solve_implicit(&m, pi, NULL, &imp), MP_OK);
        mpi_implicit_last(&st);
        if (getenv("MP_IMPLICIT_DEBUG"))
            fprintf(stderr, "  poor prices: rounds %zu band %zu whole %d\n", st.rounds,
                    st.band_cols, st.whole);
        if (poor != 1) /* prices that far off take more than one band */
            assert_true(st.rounds > 1 || st.whole);
        compare(&m, &direct, &imp);
        mpi_lp_sol_free(&imp);
        free(pi);
    }
    mpi_implicit_tune(was);
    mpi_lp_sol_free(&direct);
    mpi_model_free(&m);
    mp_plan_free(plan);
    free(dir);
}

static void max_conversions_cpa(void **state)
{
    (void)state;
    one_instance(88172645463325252ULL, 90, 4, "max conversions",
                 "[constraint \"cpa\"]\nexpr = cpa(google) <= 30\n", 1.05);
}

static void max_revenue_roas(void **state)
{
    (void)state;
    one_instance(1234567ULL, 70, 3, "max revenue",
                 "[constraint \"roas\"]\nexpr = roas >= 250%\n"
                 "[constraint \"cpa\"]\nexpr = cpa <= 40\n",
                 1.1);
}

static void min_cost_floor(void **state)
{
    (void)state;
    one_instance(987654321ULL, 60, 4, "min cost",
                 "[constraint \"conv\"]\nexpr = conversions >= 400\n", 1.03);
}

static void max_clicks_capped_conversions(void **state)
{
    (void)state; /* a KPI cap against the objective: reduced costs not monotone along curves */
    one_instance(55555ULL, 60, 3, "max clicks",
                 "[constraint \"conv\"]\nexpr = conversions(google) <= 300\n", 1.05);
}

static void infeasible_floor(void **state)
{
    (void)state;
    one_instance(4242ULL, 50, 3, "max conversions",
                 "[constraint \"conv\"]\nexpr = conversions >= 1e9\n", 1);
}

/* The passes over the curves split them in two fixed halves, summed in
 * order: the answer is the same to the bit on one thread or two. */
static void same_on_one_or_two_threads(void **state)
{
    (void)state;
    rng = 777ULL;
    char *dir = test_tmpdir();
    mp_plan *plan = random_plan(dir, 60, 3, "max conversions",
                                "[constraint \"cpa\"]\nexpr = cpa(google) <= 30\n");
    mpi_model m;
    assert_int_equal(mpi_model_build(plan, NULL, &m), MP_OK);
    size_t was = mpi_implicit_tune(m.lp.ncols / 20), was_t = mpi_implicit_tune_threads(0);
    mpi_lp_sol two, one;
    assert_int_equal(mpi_model_solve_implicit(&m, NULL, NULL, &two), MP_OK);
    mpi_implicit_tune_threads((size_t)-1);
    assert_int_equal(mpi_model_solve_implicit(&m, NULL, NULL, &one), MP_OK);
    assert_int_equal(one.status, MPI_LP_OPTIMAL);
    assert_memory_equal(&one.obj, &two.obj, sizeof one.obj);
    assert_memory_equal(one.x, two.x, m.lp.ncols * sizeof(double));
    assert_memory_equal(one.row_act, two.row_act, m.lp.nrows * sizeof(double));
    assert_memory_equal(one.row_dual, two.row_dual, m.lp.nrows * sizeof(double));
    /* from poor prices, bands that move between rounds: the columns written
     * while GLPK solved a band that then moved are not the answer's */
    double *pi = calloc(m.lp.nrows, sizeof(double));
    assert_non_null(pi);
    for (size_t r = 0; r < m.lp.nrows; r++)
        pi[r] = one.row_dual[r] * (r % 2 ? 1.1 : 1 / 1.1);
    mpi_lp_sol poor_one, poor_two;
    assert_int_equal(mpi_model_solve_implicit(&m, pi, NULL, &poor_one), MP_OK);
    mpi_implicit_stats st;
    mpi_implicit_last(&st);
    assert_true(st.rounds > 1 && !st.whole);
    mpi_implicit_tune_threads(0);
    assert_int_equal(mpi_model_solve_implicit(&m, pi, NULL, &poor_two), MP_OK);
    mpi_implicit_last(&st);
    assert_true(st.rounds > 1 && !st.whole);
    assert_memory_equal(poor_one.x, poor_two.x, m.lp.ncols * sizeof(double));
    assert_memory_equal(poor_one.row_dual, poor_two.row_dual, m.lp.nrows * sizeof(double));
    /* the optimum from the sample's prices (its spends may differ where the LP is degenerate) */
    assert_true(fabs(poor_one.obj - one.obj) <= 1e-9 * fabs(one.obj));
    mpi_lp_sol_free(&poor_one);
    mpi_lp_sol_free(&poor_two);
    free(pi);
    mpi_implicit_tune(was);
    mpi_implicit_tune_threads(was_t);
    mpi_lp_sol_free(&one);
    mpi_lp_sol_free(&two);
    mpi_model_free(&m);
    mp_plan_free(plan);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(max_conversions_cpa), cmocka_unit_test(max_revenue_roas),
        cmocka_unit_test(min_cost_floor),      cmocka_unit_test(max_clicks_capped_conversions),
        cmocka_unit_test(infeasible_floor),    cmocka_unit_test(same_on_one_or_two_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
