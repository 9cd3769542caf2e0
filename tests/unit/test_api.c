/* The public accessors: every figure against a plan whose optimum is known in
 * closed form, keyword rows against the export they came from, and NULL
 * handles and indexes out of range. */
#include "helpers.h"

#include "base.h"

#include <math.h>
#include <sys/stat.h>
#include <unistd.h>

/* Two exp curves y = beta (1 - e^(-x/k)) in each of two equal periods and a
 * budget B. The optimum spends B/2 a period and equalises the marginal
 * returns beta/k e^(-x/k) = lambda, so in each period
 *   x_a / k_a - x_b / k_b = ln(beta_a / k_a) - ln(beta_b / k_b) = L,
 *   x_a + x_b = B / 2  =>  x_a = (L + B / (2 k_b)) / (1 / k_a + 1 / k_b).
 * With beta_a 1000, k_a 20k, beta_b 600, k_b 10k, B 30k: L = ln(5/6),
 * x_a = 8784.5 and x_b = 6215.5 a period, lambda = 0.05 e^(-0.43923) = 0.032227.
 * Channel a has a value of 50 a conversion (revenue), b 2 kg CO2e per 1000
 * spent; b's max_spend and the constraint on a do not bind. */
#define BUDGET 30000.0
#define BETA_A 1000.0
#define K_A    20000.0
#define BETA_B 600.0
#define K_B    10000.0

#define PLAN_TEXT                                                                                  \
    "[plan]\nbudget = 30k\nstart = 2027-03-01\nperiods = 2\n"                                      \
    "precision = 0.001%\n"                                                                         \
    "[channel \"a\"]\ntype = curve\ncurve = exp\nbeta = 1000\n"                                    \
    "k = 20k\nvalue = 50\n"                                                                        \
    "[channel \"b\"]\ntype = curve\ncurve = exp\nbeta = 600\n"                                     \
    "k = 10k\nco2 = 2\nmax_spend = 20k\n"                                                          \
    "[constraint \"cap-a\"]\nexpr = spend(a) <= 25k\n"

/* The piecewise-linear curves (breakpoints within the precision) leave the
 * objective within 0.1 % of the smooth optimum, but a flat optimum lets the
 * split between channels move by segments: spends are checked to 1 % of the
 * budget (as tests/e2e/test_closed_form.py does), a channel's conversions to
 * the steepest slope (beta/k at most 0.06) times that, plus 0.1 %. */
#define SPEND_TOL              0.01
#define CONV_TOL(spend_tol, v) (0.06 * (spend_tol) + 1e-3 * (v))

typedef struct optimum {
    double xa, xb;         /* spend a period */
    double conv_a, conv_b; /* conversions a period */
    double lambda;         /* marginal return */
} optimum;

static optimum closed_form(double budget)
{
    optimum o;
    double L = log(BETA_A / K_A) - log(BETA_B / K_B);
    o.xa = (L + budget / 2 / K_B) / (1 / K_A + 1 / K_B);
    o.xb = budget / 2 - o.xa;
    o.conv_a = BETA_A * -expm1(-o.xa / K_A);
    o.conv_b = BETA_B * -expm1(-o.xb / K_B);
    o.lambda = BETA_A / K_A * exp(-o.xa / K_A);
    return o;
}

/* |got - want| <= tol, with both in the message. */
#define assert_close(got, want, tol)                                                               \
    do {                                                                                           \
        double g_ = (got), w_ = (want);                                                            \
        if (!(fabs(g_ - w_) <= (tol))) {                                                           \
            fprintf(stderr, "%s = %.9g, expected %.9g (tolerance %g)\n", #got, g_, w_,             \
                    (double)(tol));                                                                \
            fail();                                                                                \
        }                                                                                          \
    } while (0)

static mp_solution *solve(const char *dir, const char *text, mp_plan **plan)
{
    *plan = test_plan(dir, text);
    mp_solution *sol = NULL;
    assert_int_equal(mp_plan_solve(*plan, NULL, &sol), MP_OK);
    assert_int_equal(mp_solution_result(sol), MP_RESULT_OPTIMAL);
    return sol;
}

/* The plan above, solved once for the tests that read it. */
typedef struct fixture {
    char *dir;
    mp_plan *plan;
    mp_solution *sol;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->dir = test_tmpdir();
    f->sol = solve(f->dir, PLAN_TEXT, &f->plan);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    mp_solution_free(f->sol);
    mp_plan_free(f->plan);
    free(f->dir);
    free(f);
    return 0;
}

static void totals_and_channels_match_the_closed_form(void **state)
{
    const fixture *f = *state;
    const mp_solution *sol = f->sol;
    optimum o = closed_form(BUDGET);
    double conv = 2 * (o.conv_a + o.conv_b);
    double spend_tol = SPEND_TOL * BUDGET, conv_tol = CONV_TOL(spend_tol, conv);
    assert_string_equal(mp_solution_currency(sol), "EUR");
    assert_close(mp_solution_kpi(sol, MP_KPI_SPEND), BUDGET, 1e-6 * BUDGET);
    assert_close(mp_solution_kpi(sol, MP_KPI_CONVERSIONS), conv, 1e-3 * conv);
    assert_close(mp_solution_kpi(sol, MP_KPI_REVENUE), 50 * 2 * o.conv_a, 50 * conv_tol);
    assert_close(mp_solution_kpi(sol, MP_KPI_CO2), 2 * 2 * o.xb / 1000, 2 * spend_tol / 1000);
    assert_close(mp_solution_kpi(sol, MP_KPI_CLICKS), 0, 0);
    assert_true(isnan(mp_solution_reach_dedup(sol))); /* no universe */
    assert_close(mp_solution_objective(sol), conv, 1e-3 * conv);
    assert_string_equal(mp_solution_objective_kpi(sol), "conversions");
    assert_string_equal(mp_solution_objective_sense(sol), "max");
    assert_string_equal(mp_solution_objective_unit(sol), "conversions");

    /* the brief, as PLAN_TEXT writes it */
    const mp_plan *plan = f->plan;
    char day[16];
    assert_string_equal(mp_plan_name(plan), "Untitled plan");
    assert_string_equal(mp_plan_client(plan), "");
    assert_string_equal(mp_plan_currency(plan), "EUR");
    assert_close(mp_plan_budget(plan), BUDGET, 0);
    assert_int_equal(mp_plan_budget_exact(plan), 0);
    assert_int_equal(mp_plan_start(plan, day, sizeof day), MP_OK);
    assert_string_equal(day, "2027-03-01");
    assert_int_equal(mp_plan_period_count(plan), 2);
    assert_string_equal(mp_plan_period_unit(plan), "week");
    assert_close(mp_plan_precision(plan), 0.00001, 1e-15);
    assert_true(isnan(mp_plan_universe(plan)));
    assert_non_null(strstr(mp_plan_file(plan), "plan.ini"));

    assert_int_equal(mp_solution_channel_count(sol), 2);
    assert_string_equal(mp_solution_channel_name(sol, 0), "a");
    assert_string_equal(mp_solution_channel_name(sol, 1), "b");
    assert_string_equal(mp_solution_channel_type(sol, 1), "curve");
    assert_int_equal(mp_solution_channel_digital(sol, 0), 1);
    assert_close(mp_solution_channel_spend(sol, 0), 2 * o.xa, spend_tol);
    assert_close(mp_solution_channel_spend(sol, 1), 2 * o.xb, spend_tol);
    assert_close(mp_solution_channel_share(sol, 0), 2 * o.xa / BUDGET, spend_tol / BUDGET);
    assert_close(mp_solution_channel_share(sol, 0) + mp_solution_channel_share(sol, 1), 1, 1e-9);
    assert_close(mp_solution_channel_kpi(sol, 0, MP_KPI_CONVERSIONS), 2 * o.conv_a, conv_tol);
    assert_close(mp_solution_channel_kpi(sol, 1, MP_KPI_CONVERSIONS), 2 * o.conv_b, conv_tol);
    assert_close(mp_solution_channel_kpi(sol, 1, MP_KPI_REVENUE), 0, 0);
    /* the slope of a piecewise-linear curve near the optimum: within 2 % */
    assert_close(mp_solution_channel_marginal(sol, 0), o.lambda, 0.02 * o.lambda);
    assert_close(mp_solution_channel_marginal(sol, 1), o.lambda, 0.02 * o.lambda);

    /* media families: every channel is a digital curve */
    size_t nm = mp_media_count();
    assert_true(nm >= 3);
    assert_string_equal(mp_media_name(nm - 2), "digital");
    assert_string_equal(mp_media_name(nm - 1), "offline");
    assert_close(mp_solution_media_spend(sol, "curve"), BUDGET, 1e-6 * BUDGET);
    assert_close(mp_solution_media_spend(sol, "digital"), BUDGET, 1e-6 * BUDGET);
    assert_close(mp_solution_media_spend(sol, "offline"), 0, 0);
    assert_close(mp_solution_media_spend(sol, "search"), 0, 0);
    assert_true(isnan(mp_solution_media_spend(sol, "cinema")));
}

static void periods_and_constraints_match_the_closed_form(void **state)
{
    const fixture *f = *state;
    const mp_solution *sol = f->sol;
    optimum o = closed_form(BUDGET);
    double spend_tol = SPEND_TOL * BUDGET;
    assert_int_equal(mp_solution_period_count(sol), 2);
    char date[16];
    assert_int_equal(mp_solution_period_start(sol, 1, date, sizeof date), MP_OK);
    assert_string_equal(date, "2027-03-08"); /* weeks from Monday 1 March */
    for (size_t t = 0; t < 2; t++) {
        assert_close(mp_solution_period_kpi(sol, 0, t, MP_KPI_SPEND), o.xa, spend_tol / 2);
        assert_close(mp_solution_period_kpi(sol, 1, t, MP_KPI_CONVERSIONS), o.conv_b,
                     CONV_TOL(spend_tol / 2, o.conv_b));
        assert_true(isnan(mp_solution_period_kpi(sol, 0, t, MP_KPI_REACH)));
    }
    /* the budget, b's max_spend, then the plan's constraint */
    assert_int_equal(mp_solution_constraint_count(sol), 3);
    assert_string_equal(mp_solution_constraint_name(sol, 0), "budget");
    assert_string_equal(mp_solution_constraint_op(sol, 0), "<=");
    assert_close(mp_solution_constraint_value(sol, 0), BUDGET, 1e-6 * BUDGET);
    assert_close(mp_solution_constraint_bound(sol, 0), BUDGET, 0);
    assert_int_equal(mp_solution_constraint_binding(sol, 0), 1);
    assert_close(mp_solution_constraint_dual(sol, 0), o.lambda, 0.02 * o.lambda);
    assert_string_equal(mp_solution_constraint_name(sol, 1), "max_spend_b");
    assert_close(mp_solution_constraint_value(sol, 1), 2 * o.xb, spend_tol);
    assert_close(mp_solution_constraint_bound(sol, 1), 20000, 0);
    assert_int_equal(mp_solution_constraint_binding(sol, 1), 0);
    assert_string_equal(mp_solution_constraint_name(sol, 2), "cap-a");
    assert_string_equal(mp_solution_constraint_expr(sol, 2), "spend(a) <= 25k");
    assert_close(mp_solution_constraint_value(sol, 2), 2 * o.xa, spend_tol);
    assert_close(mp_solution_constraint_dual(sol, 2), 0, 1e-9);
    /* no keywords on curve channels */
    assert_int_equal(mp_solution_keyword_count(sol), 0);
    assert_int_equal(mp_solution_group_count(sol), 0);
}

/* Reach links are the LP's own rows, not constraints of the plan. */
static void reach_links_are_not_constraints(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    mp_plan *plan;
    mp_solution *sol =
        solve(dir,
              "[plan]\nbudget = 100k\nstart = 2027-03-01\nperiods = 1\nuniverse = 1M\n"
              "objective = max reach\n"
              "[channel \"m\"]\ntype = social\ncpm = 5\naudience = 800k\n",
              &plan);
    assert_int_equal(mp_solution_constraint_count(sol), 1);
    assert_string_equal(mp_solution_constraint_name(sol, 0), "budget");
    assert_null(mp_solution_constraint_name(sol, 1));
    /* one channel: the de-duplicated reach is the channel's */
    assert_close(mp_solution_reach_dedup(sol), mp_solution_channel_kpi(sol, 0, MP_KPI_REACH), 1e-3);
    assert_true(isnan(mp_solution_period_kpi(sol, 0, 0, MP_KPI_REACH)));
    mp_solution_free(sol);
    mp_plan_free(plan);
    free(dir);
}

/* A Keyword Planner export of three keywords; rules put two in "brand". */
static const char kw_csv[] = "Keyword,Currency,Avg. monthly searches,Competition (indexed value),"
                             "Top of page bid (low range),Top of page bid (high range)\n"
                             "lorient shoes,EUR,1000,20,0.50,1.50\n"
                             "lorient boots,EUR,500,,0.40,1.20\n"
                             "running shoes,EUR,8000,70,0.80,2.00\n";

static void keywords_and_groups_match_the_export(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    free(test_write(dir, "kw.csv", kw_csv));
    free(test_write(dir, "groups.ini", "[group \"brand\"]\nmatch = lorient\n"));
    mp_plan *plan;
    mp_solution *sol = solve(dir,
                             "[plan]\nbudget = 1M\nstart = 2027-03-01\nperiods = 1\n"
                             "period = month\n"
                             "[channel \"s\"]\ntype = search\nkeywords = kw.csv\nctr = 5%\n"
                             "cvr = 2%\ngroups = groups.ini\n",
                             &plan);
    assert_int_equal(mp_solution_keyword_count(sol), 3);
    assert_string_equal(mp_solution_keyword_text(sol, 0), "lorient shoes");
    assert_string_equal(mp_solution_keyword_channel(sol, 0), "s");
    assert_string_equal(mp_solution_keyword_group(sol, 1), "brand");
    assert_string_equal(mp_solution_keyword_group(sol, 2), "");
    assert_close(mp_solution_keyword_value(sol, 2, MP_KW_MONTHLY_SEARCHES), 8000, 0);
    assert_close(mp_solution_keyword_value(sol, 0, MP_KW_BID_LOW), 0.5, 1e-12);
    assert_close(mp_solution_keyword_value(sol, 2, MP_KW_BID_HIGH), 2.0, 1e-12);
    assert_close(mp_solution_keyword_value(sol, 0, MP_KW_COMPETITION), 20, 0);
    assert_true(isnan(mp_solution_keyword_value(sol, 1, MP_KW_COMPETITION)));
    assert_close(mp_solution_keyword_value(sol, 0, MP_KW_DEFAULT_BIDS), 0, 0);
    /* 1000 and 8000 are bucketed volumes of the export */
    assert_close(mp_solution_keyword_value(sol, 2, MP_KW_BUCKETED_VOLUME), 0, 0);
    /* the keywords add up to the channel; the groups to their keywords */
    double spend = 0, conv = 0, brand = 0, brand_conv = 0;
    for (size_t k = 0; k < 3; k++) {
        double s = mp_solution_keyword_value(sol, k, MP_KW_SPEND);
        double c = mp_solution_keyword_value(sol, k, MP_KW_CONVERSIONS);
        assert_true(s > 0);
        /* cvr 2 %: conversions are clicks x 0.02 */
        assert_close(c, 0.02 * mp_solution_keyword_value(sol, k, MP_KW_CLICKS), 1e-9 * c);
        spend += s;
        conv += c;
        if (k < 2) {
            brand += s;
            brand_conv += c;
        }
    }
    assert_close(mp_solution_channel_spend(sol, 0), spend, 1e-9 * spend);
    assert_close(mp_solution_channel_kpi(sol, 0, MP_KPI_CONVERSIONS), conv, 1e-9 * conv);
    assert_int_equal(mp_solution_group_count(sol), 2);
    assert_string_equal(mp_solution_group_channel(sol, 0), "s");
    assert_string_equal(mp_solution_group_name(sol, 0), "brand");
    assert_string_equal(mp_solution_group_name(sol, 1), "");
    assert_close(mp_solution_group_value(sol, 0, MP_GROUP_KEYWORDS), 2, 0);
    assert_close(mp_solution_group_value(sol, 0, MP_GROUP_SPEND), brand, 1e-9 * brand);
    assert_close(mp_solution_group_value(sol, 0, MP_GROUP_CPA), brand / brand_conv,
                 1e-9 * brand / brand_conv);
    assert_null(mp_solution_group_name(sol, 2));
    assert_true(isnan(mp_solution_group_value(sol, 2, MP_GROUP_SPEND)));
    assert_null(mp_solution_keyword_text(sol, 3));
    assert_true(isnan(mp_solution_keyword_value(sol, 3, MP_KW_SPEND)));
    mp_solution_free(sol);
    mp_plan_free(plan);
    free(dir);
}

/* Budgets 20k and 30k: each scenario is the closed form at its budget. */
static void whatif_scenarios_match_the_closed_form(void **state)
{
    const fixture *f = *state;
    const char *axes[] = {"budget=20k,30k"};
    mp_whatif *w = NULL;
    assert_int_equal(mp_whatif_run(f->plan, axes, 1, NULL, &w), MP_OK);
    assert_int_equal(mp_whatif_count(w), 2);
    assert_int_equal(mp_whatif_axis_count(w), 1);
    assert_string_equal(mp_whatif_axis_name(w, 0), "budget");
    assert_int_equal(mp_whatif_axis_is_rate(w, 0), 0);
    assert_int_equal(mp_whatif_axis_value_count(w, 0), 2);
    assert_close(mp_whatif_axis_value(w, 0, 0), 20000, 0);
    assert_close(mp_whatif_axis_value(w, 0, 1), 30000, 0);
    for (size_t i = 0; i < 2; i++) {
        double budget = i == 0 ? 20000 : 30000;
        optimum o = closed_form(budget);
        double conv = 2 * (o.conv_a + o.conv_b);
        assert_close(mp_whatif_scenario_param(w, i, 0), budget, 0);
        assert_string_equal(mp_whatif_scenario_explain(w, i), "");
        assert_close(mp_whatif_scenario_kpi(w, i, MP_KPI_SPEND), budget, 1e-6 * budget);
        assert_close(mp_whatif_scenario_kpi(w, i, MP_KPI_CONVERSIONS), conv, 1e-3 * conv);
        assert_close(mp_whatif_scenario_channel_spend(w, i, 0), 2 * o.xa, SPEND_TOL * budget);
        assert_close(mp_whatif_scenario_channel_spend(w, i, 1), 2 * o.xb, SPEND_TOL * budget);
        assert_close(mp_whatif_scenario_media_spend(w, i, "digital"), budget, 1e-6 * budget);
        assert_close(mp_whatif_scenario_media_spend(w, i, "offline"), 0, 0);
        assert_close(mp_whatif_scenario_marginal(w, i), o.lambda, 0.02 * o.lambda);
    }
    assert_true(isnan(mp_whatif_scenario_param(w, 0, 1)));
    assert_true(isnan(mp_whatif_scenario_param(w, 2, 0)));
    assert_null(mp_whatif_scenario_explain(w, 2));
    assert_true(isnan(mp_whatif_scenario_kpi(w, 2, MP_KPI_SPEND)));
    assert_true(isnan(mp_whatif_scenario_channel_spend(w, 0, 2)));
    assert_true(isnan(mp_whatif_scenario_media_spend(w, 0, "cinema")));
    assert_true(isnan(mp_whatif_scenario_marginal(w, 2)));
    assert_null(mp_whatif_axis_name(w, 1));
    assert_int_equal(mp_whatif_axis_is_rate(w, 1), -1);
    mp_whatif_free(w);
}

/* An infeasible plan has channels but no figures: the curves bring at most
 * 2 x (1000 + 600) = 3200 conversions. */
static void infeasible_plans_have_no_figures(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    mp_plan *plan =
        test_plan(dir, PLAN_TEXT "[constraint \"floor\"]\nexpr = conversions >= 3300\n");
    mp_solution *sol;
    assert_int_equal(mp_plan_solve(plan, NULL, &sol), MP_OK);
    assert_int_equal(mp_solution_result(sol), MP_RESULT_INFEASIBLE);
    assert_true(isnan(mp_solution_objective(sol)));
    assert_string_equal(mp_solution_objective_kpi(sol), "conversions");
    assert_int_equal(mp_solution_channel_count(sol), 2);
    assert_string_equal(mp_solution_channel_name(sol, 1), "b");
    assert_true(isnan(mp_solution_channel_spend(sol, 0)));
    assert_true(isnan(mp_solution_channel_share(sol, 0)));
    assert_true(isnan(mp_solution_channel_marginal(sol, 0)));
    assert_true(isnan(mp_solution_kpi(sol, MP_KPI_SPEND)));
    assert_true(isnan(mp_solution_media_spend(sol, "curve")));
    assert_true(isnan(mp_solution_period_kpi(sol, 0, 0, MP_KPI_SPEND)));
    assert_int_equal(mp_solution_constraint_count(sol), 0);
    assert_int_equal(mp_solution_keyword_count(sol), 0);
    assert_int_equal(mp_solution_group_count(sol), 0);
    mp_solution_free(sol);
    mp_plan_free(plan);
    free(dir);
}

static void null_handles_and_indexes_out_of_range(void **state)
{
    const mp_solution *sol = ((const fixture *)*state)->sol;
    assert_string_equal(mp_kpi_name(MP_KPI_CONVERSIONS), "conversions");
    assert_string_equal(mp_kpi_name(MP_KPI_CO2), "co2");
    assert_null(mp_kpi_name(MP_KPI_COUNT));
    assert_null(mp_kpi_name((mp_kpi)-1));
    assert_string_equal(mp_result_name(MP_RESULT_TIME_LIMIT), "time_limit");
    assert_null(mp_result_name((mp_result)42));
    assert_null(mp_media_name(mp_media_count()));
    assert_null(mp_solution_currency(NULL));
    assert_true(isnan(mp_solution_kpi(NULL, MP_KPI_SPEND)));
    assert_true(isnan(mp_solution_reach_dedup(NULL)));
    assert_true(isnan(mp_solution_media_spend(NULL, "digital")));
    assert_int_equal(mp_solution_channel_count(NULL), 0);
    assert_null(mp_solution_channel_name(NULL, 0));
    assert_null(mp_solution_channel_type(NULL, 0));
    assert_int_equal(mp_solution_channel_digital(NULL, 0), -1);
    assert_true(isnan(mp_solution_channel_spend(NULL, 0)));
    assert_true(isnan(mp_solution_channel_share(NULL, 0)));
    assert_true(isnan(mp_solution_channel_kpi(NULL, 0, MP_KPI_SPEND)));
    assert_true(isnan(mp_solution_channel_marginal(NULL, 0)));
    assert_int_equal(mp_solution_period_count(NULL), 0);
    char date[16];
    assert_int_equal(mp_solution_period_start(NULL, 0, date, sizeof date), MP_ERR_INPUT);
    assert_true(isnan(mp_solution_period_kpi(NULL, 0, 0, MP_KPI_SPEND)));
    assert_int_equal(mp_solution_keyword_count(NULL), 0);
    assert_null(mp_solution_keyword_text(NULL, 0));
    assert_null(mp_solution_keyword_channel(NULL, 0));
    assert_null(mp_solution_keyword_group(NULL, 0));
    assert_true(isnan(mp_solution_keyword_value(NULL, 0, MP_KW_SPEND)));
    assert_int_equal(mp_solution_group_count(NULL), 0);
    assert_null(mp_solution_group_channel(NULL, 0));
    assert_null(mp_solution_group_name(NULL, 0));
    assert_true(isnan(mp_solution_group_value(NULL, 0, MP_GROUP_SPEND)));
    assert_int_equal(mp_solution_constraint_count(NULL), 0);
    assert_null(mp_solution_constraint_name(NULL, 0));
    assert_null(mp_solution_constraint_expr(NULL, 0));
    assert_null(mp_solution_constraint_op(NULL, 0));
    assert_true(isnan(mp_solution_constraint_value(NULL, 0)));
    assert_true(isnan(mp_solution_constraint_bound(NULL, 0)));
    assert_int_equal(mp_solution_constraint_binding(NULL, 0), -1);
    assert_true(isnan(mp_solution_constraint_dual(NULL, 0)));
    assert_int_equal(mp_whatif_axis_count(NULL), 0);
    assert_null(mp_whatif_axis_name(NULL, 0));
    assert_int_equal(mp_whatif_axis_is_rate(NULL, 0), -1);
    assert_true(isnan(mp_whatif_scenario_param(NULL, 0, 0)));
    assert_null(mp_whatif_scenario_explain(NULL, 0));
    assert_true(isnan(mp_whatif_scenario_kpi(NULL, 0, MP_KPI_SPEND)));
    assert_true(isnan(mp_whatif_scenario_channel_spend(NULL, 0, 0)));
    assert_true(isnan(mp_whatif_scenario_media_spend(NULL, 0, "digital")));
    assert_true(isnan(mp_whatif_scenario_marginal(NULL, 0)));
    assert_int_equal(mp_solution_write_json_to(NULL, stdout), MP_ERR_INPUT);
    assert_int_equal(mp_whatif_write_json_to(NULL, stdout), MP_ERR_INPUT);

    assert_null(mp_solution_channel_name(sol, 2));
    assert_int_equal(mp_solution_channel_digital(sol, 2), -1);
    assert_true(isnan(mp_solution_channel_spend(sol, 2)));
    assert_true(isnan(mp_solution_channel_kpi(sol, 0, MP_KPI_COUNT)));
    assert_true(isnan(mp_solution_kpi(sol, (mp_kpi)-1)));
    assert_int_equal(mp_solution_period_start(sol, 2, date, sizeof date), MP_ERR_INPUT);
    assert_int_equal(mp_solution_period_start(sol, 0, date, 10), MP_ERR_INPUT);
    assert_true(isnan(mp_solution_period_kpi(sol, 0, 2, MP_KPI_SPEND)));
    assert_true(isnan(mp_solution_period_kpi(sol, 2, 0, MP_KPI_SPEND)));
    assert_null(mp_solution_constraint_name(sol, 3));
    assert_int_equal(mp_solution_constraint_binding(sol, 3), -1);
    assert_true(isnan(mp_solution_constraint_dual(sol, 3)));
    assert_true(isnan(mp_solution_media_spend(sol, NULL)));
}

/* The JSON written to a stream is the document written to a file. */
static void json_to_a_stream_equals_the_file(void **state)
{
    const fixture *fx = *state;
    const mp_solution *sol = fx->sol;
    char path[600], spath[600];
    snprintf(path, sizeof path, "%s/out.json", fx->dir);
    snprintf(spath, sizeof spath, "%s/stream.json", fx->dir);
    assert_int_equal(mp_solution_write_json(sol, path), MP_OK);
    FILE *f = fopen(spath, "wb");
    assert_non_null(f);
    assert_int_equal(mp_solution_write_json_to(sol, f), MP_OK);
    fclose(f);
    char cmd[1300];
    snprintf(cmd, sizeof cmd, "cmp -s %s %s", path, spath);
    assert_int_equal(system(cmd), 0);
}

/* The library itself replaces only regular files (a program other than the
 * CLI may pass /dev/null or a FIFO): refused with MP_ERR_IO, the device and
 * the FIFO left as they were. */
static void writes_only_regular_files(void **state)
{
    const fixture *fx = *state;
    struct stat before, after;
    assert_int_equal(stat("/dev/null", &before), 0);
    assert_int_equal(mp_solution_write_json(fx->sol, "/dev/null"), MP_ERR_IO);
    assert_non_null(strstr(mp_last_error(), "/dev/null: not a regular file"));
    assert_int_equal(mp_solution_write_xlsx(fx->sol, "/dev/null"), MP_ERR_IO);
    assert_int_equal(mp_plan_write_lp(fx->plan, "/dev/null"), MP_ERR_IO);
    assert_int_equal(stat("/dev/null", &after), 0);
    assert_true(S_ISCHR(after.st_mode) && after.st_rdev == before.st_rdev);
    char fifo[600], dangling[600];
    snprintf(fifo, sizeof fifo, "%s/pipe.json", fx->dir);
    assert_int_equal(mkfifo(fifo, 0644), 0);
    assert_int_equal(mp_solution_write_json(fx->sol, fifo), MP_ERR_IO);
    assert_int_equal(lstat(fifo, &after), 0);
    assert_true(S_ISFIFO(after.st_mode));
    unlink(fifo);
    snprintf(dangling, sizeof dangling, "%s/dangling.json", fx->dir);
    assert_int_equal(symlink("nowhere.json", dangling), 0);
    assert_int_equal(mp_solution_write_json(fx->sol, dangling), MP_ERR_IO);
    assert_non_null(strstr(mp_last_error(), "does not exist"));
    unlink(dangling);
}

/* Out of memory while writing the JSON fails the write with MP_ERR_NOMEM
 * and leaves the previous file as it was, never a document with fields
 * missing: every allocation from the first on is made to fail in turn until
 * the write succeeds. */
static void json_out_of_memory_is_an_error(void **state)
{
    const fixture *fx = *state;
    const mp_solution *sol = fx->sol;
    char *path = test_write(fx->dir, "out.json", "previous");
    unsigned long n = 1;
    for (;; n++) {
        mpi_alloc_fail_at(n);
        mp_status st = mp_solution_write_json(sol, path);
        if (st == MP_OK)
            break;
        assert_int_equal(st, MP_ERR_NOMEM);
        assert_string_equal(mp_last_error(), "out of memory");
        FILE *f = fopen(path, "rb");
        char buf[16] = "";
        assert_non_null(f);
        assert_non_null(fgets(buf, sizeof buf, f));
        fclose(f);
        assert_string_equal(buf, "previous");
    }
    fprintf(stderr, "JSON write: %lu allocations failed in turn, each cleanly\n", n - 1);
    mpi_alloc_fail_at(0);
    /* the temporary's names, the document and its buffer: a few, never one
     * per value (the text is streamed) */
    assert_true(n >= 3);
    FILE *f = fopen(path, "rb");
    char buf[4] = "";
    assert_non_null(fgets(buf, sizeof buf, f));
    fclose(f);
    assert_string_equal(buf, "{\n");
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(totals_and_channels_match_the_closed_form, setup, teardown),
        cmocka_unit_test_setup_teardown(periods_and_constraints_match_the_closed_form, setup,
                                        teardown),
        cmocka_unit_test(reach_links_are_not_constraints),
        cmocka_unit_test(keywords_and_groups_match_the_export),
        cmocka_unit_test_setup_teardown(whatif_scenarios_match_the_closed_form, setup, teardown),
        cmocka_unit_test(infeasible_plans_have_no_figures),
        cmocka_unit_test_setup_teardown(null_handles_and_indexes_out_of_range, setup, teardown),
        cmocka_unit_test_setup_teardown(json_to_a_stream_equals_the_file, setup, teardown),
        cmocka_unit_test_setup_teardown(writes_only_regular_files, setup, teardown),
        cmocka_unit_test_setup_teardown(json_out_of_memory_is_an_error, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
