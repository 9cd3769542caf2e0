/* Argument checks over the whole public API: every function of mixplan.h is
 * called with a NULL handle, a NULL out-pointer, path or stream, and an index
 * out of range, and must return MP_ERR_INPUT (with a message), NAN, NULL, 0
 * or -1 as the header documents, never crash. tests/unit/check_api_args.py
 * checks that this file names every function the header declares. */
#include "helpers.h"

#include <math.h>

/* Two curve channels over two weeks and one named constraint: a plan that
 * solves in milliseconds, so that every index has a real bound to step past. */
static const char plan_text[] = "[plan]\nbudget = 30k\nstart = 2027-03-01\nperiods = 2\n"
                                "[channel \"a\"]\ntype = curve\ncurve = exp\nbeta = 1000\n"
                                "k = 20k\n"
                                "[channel \"b\"]\ntype = curve\ncurve = exp\nbeta = 600\n"
                                "k = 10k\n"
                                "[constraint \"cap-a\"]\nexpr = spend(a) <= 25k\n";

#define NCH      2
#define NPERIODS 2

/* The status is MP_ERR_INPUT and mp_last_error() says something. */
#define assert_input_error(call)                                                                   \
    do {                                                                                           \
        assert_int_equal((call), MP_ERR_INPUT);                                                    \
        assert_true(mp_last_error()[0] != '\0');                                                   \
    } while (0)

typedef struct fixture {
    char *dir;
    mp_plan *plan;
    mp_solution *sol;
    mp_whatif *w;
    char *json, *xlsx, *lp; /* paths a bad call must not need */
    FILE *sink;             /* a stream a bad call must not write */
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->dir = test_tmpdir();
    assert_int_equal(mp_plan_load_buffer(plan_text, sizeof plan_text - 1, f->dir, &f->plan), MP_OK);
    assert_int_equal(mp_plan_solve(f->plan, NULL, &f->sol), MP_OK);
    assert_int_equal(mp_solution_result(f->sol), MP_RESULT_OPTIMAL);
    const char *axes[] = {"budget=20k,30k"};
    assert_int_equal(mp_whatif_run(f->plan, axes, 1, NULL, &f->w), MP_OK);
    assert_int_equal(mp_whatif_count(f->w), 2);
    f->json = test_write(f->dir, "out.json", "");
    f->xlsx = test_write(f->dir, "out.xlsx", "");
    f->lp = test_write(f->dir, "out.lp", "");
    f->sink = fopen("/dev/null", "w");
    assert_non_null(f->sink);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    mp_whatif_free(f->w);
    mp_solution_free(f->sol);
    mp_plan_free(f->plan);
    fclose(f->sink);
    free(f->json);
    free(f->xlsx);
    free(f->lp);
    free(f->dir);
    free(f);
    return 0;
}

static void version_and_messages(void **state)
{
    (void)state;
    assert_string_equal(mp_version(), MP_EXPECT_VERSION); /* project() in CMakeLists.txt */
    assert_non_null(mp_strerror((mp_status)-1));
    assert_non_null(mp_strerror((mp_status)1000));
    assert_non_null(mp_last_error());
    /* the message language: an unknown code is refused and changes nothing */
    assert_input_error(mp_set_message_language("de"));
    assert_input_error(mp_set_message_language(""));
    assert_string_equal(mp_message_language(), "en");
    assert_null(mp_message(NULL));
    assert_string_equal(mp_message("no such message"), "no such message");
    assert_int_equal(mp_set_message_language("FR"), MP_OK);
    assert_string_equal(mp_message_language(), "fr");
    assert_string_equal(mp_strerror(MP_ERR_INPUT), "entrée invalide");
    assert_input_error(mp_set_message_language("xx"));
    assert_string_equal(mp_message_language(), "fr");
    assert_int_equal(mp_set_message_language(NULL), MP_OK); /* NULL: English */
    assert_string_equal(mp_message_language(), "en");
    assert_string_equal(mp_strerror(MP_ERR_INPUT), "bad input");
}

static void loading(void **state)
{
    fixture *f = *state;
    mp_plan *p = (mp_plan *)f; /* not NULL: a failed call must set it to NULL */
    assert_input_error(mp_plan_load(NULL, &p));
    assert_null(p);
    assert_input_error(mp_plan_load("plan.ini", NULL));
    p = (mp_plan *)f;
    assert_input_error(mp_plan_load_buffer(NULL, 10, f->dir, &p));
    assert_null(p);
    assert_input_error(mp_plan_load_buffer(plan_text, sizeof plan_text - 1, f->dir, NULL));
    mp_plan_free(NULL);
    p = (mp_plan *)f;
    mp_errors *e = (mp_errors *)f;
    assert_input_error(mp_plan_check(NULL, &p, &e));
    assert_null(p);
    assert_null(e);
    assert_input_error(mp_plan_check(NULL, NULL, NULL));
    assert_int_equal(mp_errors_count(NULL), 0);
    assert_null(mp_errors_message(NULL, 0));
    mp_errors_free(NULL);
}

static void plan_lists(void **state)
{
    fixture *f = *state;
    assert_int_equal(mp_plan_warning_count(NULL), 0);
    assert_null(mp_plan_warning(NULL, 0));
    assert_null(mp_plan_warning(f->plan, mp_plan_warning_count(f->plan)));
    assert_int_equal(mp_solution_warning_count(NULL), 0);
    assert_null(mp_solution_warning(NULL, 0));
    assert_null(mp_solution_warning(f->sol, mp_solution_warning_count(f->sol)));
    assert_int_equal(mp_plan_note_count(NULL), 0);
    assert_null(mp_plan_note(NULL, 0));
    assert_null(mp_plan_note(f->plan, mp_plan_note_count(f->plan)));
    assert_int_equal(mp_plan_input_count(NULL), 0);
    assert_null(mp_plan_input(NULL, 0));
    assert_null(mp_plan_input(f->plan, mp_plan_input_count(f->plan)));
    mp_remove_temporaries(); /* nothing being written: nothing to remove */
    assert_null(mp_plan_name(NULL));
    assert_null(mp_plan_client(NULL));
    assert_null(mp_plan_file(NULL));
    assert_null(mp_plan_currency(NULL));
    assert_true(isnan(mp_plan_budget(NULL)));
    assert_int_equal(mp_plan_budget_exact(NULL), -1);
    char day[16];
    assert_input_error(mp_plan_start(NULL, day, sizeof day));
    assert_input_error(mp_plan_start(f->plan, NULL, sizeof day));
    assert_input_error(mp_plan_start(f->plan, day, 10));
    assert_int_equal(mp_plan_period_count(NULL), 0);
    assert_null(mp_plan_period_unit(NULL));
    assert_true(isnan(mp_plan_precision(NULL)));
    assert_true(isnan(mp_plan_gap(NULL)));
    assert_input_error(mp_plan_set_gap(NULL, "0.1%"));
    assert_input_error(mp_plan_set_gap(f->plan, NULL));
    assert_input_error(mp_plan_set_gap(f->plan, "0%"));
    assert_input_error(mp_plan_set_gap(f->plan, "20%"));
    assert_input_error(mp_plan_set_gap(f->plan, "5"));
    assert_input_error(mp_plan_set_gap(f->plan, "abc"));
    assert_true(mp_plan_gap(f->plan) == 0.001); /* unchanged by the refused values */
    assert_null(mp_plan_language(NULL));
    assert_input_error(mp_plan_set_language(NULL, "fr"));
    assert_input_error(mp_plan_set_language(f->plan, NULL));
    assert_input_error(mp_plan_set_language(f->plan, "xx"));
    assert_input_error(mp_plan_set_language(f->plan, ""));
    assert_input_error(mp_plan_set_language(f->plan, "fr_FR"));
    assert_string_equal(mp_plan_language(f->plan), "en"); /* unchanged by the refused values */
    assert_true(isnan(mp_plan_universe(NULL)));
}

static void solving(void **state)
{
    fixture *f = *state;
    mp_solve_opts_init(NULL);
    mp_solution *s = (mp_solution *)f;
    assert_input_error(mp_plan_solve(NULL, NULL, &s));
    assert_input_error(mp_plan_solve(f->plan, NULL, NULL));
    /* options out of range: a negative or non-finite time limit, an unknown method */
    const double limits[] = {-1, NAN, INFINITY};
    for (size_t i = 0; i < 3; i++) {
        mp_solve_opts o;
        mp_solve_opts_init(&o);
        o.time_limit_s = limits[i];
        assert_input_error(mp_plan_solve(f->plan, &o, &s));
        assert_null(s);
    }
    mp_solve_opts o;
    mp_solve_opts_init(&o);
    o.method = (mp_method)7;
    assert_input_error(mp_plan_solve(f->plan, &o, &s));
    assert_input_error(mp_plan_write_lp(NULL, f->lp));
    assert_input_error(mp_plan_write_lp(f->plan, NULL));
    size_t lp_cols = 1, lp_rows = 1;
    assert_input_error(mp_plan_export_lp(NULL, f->lp, &lp_cols, &lp_rows));
    assert_true(lp_cols == 0 && lp_rows == 0);
    assert_input_error(mp_plan_export_lp(f->plan, NULL, NULL, NULL));
    /* export-lp's options are checked as mp_plan_solve() checks them */
    lp_cols = lp_rows = 1;
    assert_input_error(mp_plan_export_lp_opts(f->plan, &o, f->lp, &lp_cols, &lp_rows));
    assert_true(lp_cols == 0 && lp_rows == 0);
    mp_solve_opts_init(&o);
    o.time_limit_s = -1;
    assert_input_error(mp_plan_export_lp_opts(f->plan, &o, f->lp, NULL, NULL));
    assert_input_error(mp_plan_export_lp_opts(NULL, NULL, f->lp, NULL, NULL));
    mp_solution_free(NULL);
}

static void solution_basics(void **state)
{
    (void)state;
    assert_int_equal(mp_solution_result(NULL), MP_RESULT_INFEASIBLE);
    assert_true(isnan(mp_solution_objective(NULL)));
    assert_true(isnan(mp_solution_bound(NULL)));
    assert_true(isnan(mp_solution_gap(NULL)));
    assert_null(mp_solution_objective_kpi(NULL));
    assert_null(mp_solution_objective_sense(NULL));
    assert_null(mp_solution_objective_unit(NULL));
    assert_null(mp_solution_explain(NULL));
    double build_s = 0, solve_s = 0;
    mp_solution_timings(NULL, &build_s, &solve_s);
    assert_true(isnan(build_s) && isnan(solve_s));
    mp_solution_timings(NULL, NULL, NULL);
    size_t cols = 1, rows = 1, nnz = 1;
    mp_solution_lp_size(NULL, &cols, &rows, &nnz);
    assert_true(cols == 0 && rows == 0 && nnz == 0);
    mp_solution_lp_size(NULL, NULL, NULL, NULL);
}

static void solution_output(void **state)
{
    fixture *f = *state;
    assert_input_error(mp_solution_print_summary(NULL, f->sink));
    assert_input_error(mp_solution_print_summary(f->sol, NULL));
    assert_input_error(mp_solution_print_summary_in(NULL, f->sink, "fr"));
    assert_input_error(mp_solution_print_summary_in(f->sol, NULL, "fr"));
    assert_input_error(mp_solution_print_summary_in(f->sol, f->sink, "xx"));
    assert_input_error(mp_solution_write_json(NULL, f->json));
    assert_input_error(mp_solution_write_json(f->sol, NULL));
    assert_input_error(mp_solution_write_json_to(NULL, f->sink));
    assert_input_error(mp_solution_write_json_to(f->sol, NULL));
    assert_input_error(mp_solution_write_xlsx(NULL, f->xlsx));
    assert_input_error(mp_solution_write_xlsx(f->sol, NULL));
    char names[16];
    assert_input_error(mp_workbook_sheet_names(NULL, 0, names, sizeof names));
    assert_input_error(mp_workbook_sheet_names(f->plan, 0, NULL, sizeof names));
    assert_input_error(mp_workbook_sheet_names(f->plan, 0, names, 0));
    assert_int_equal(mp_workbook_sheet_names(f->plan, 1, names, sizeof names), MP_OK);
    assert_string_equal(names, "Summary, Plan, "); /* cut to the buffer */
}

static void names_and_totals(void **state)
{
    fixture *f = *state;
    assert_null(mp_kpi_name((mp_kpi)-1));
    assert_null(mp_kpi_name(MP_KPI_COUNT));
    assert_null(mp_result_name((mp_result)-1));
    assert_null(mp_result_name((mp_result)(MP_RESULT_TIME_LIMIT + 1)));
    assert_null(mp_solution_currency(NULL));
    assert_true(isnan(mp_solution_kpi(NULL, MP_KPI_SPEND)));
    assert_true(isnan(mp_solution_kpi(f->sol, MP_KPI_COUNT)));
    assert_true(isnan(mp_solution_kpi(f->sol, (mp_kpi)-1)));
    assert_true(isnan(mp_solution_reach_dedup(NULL)));
    assert_true(mp_media_count() > 0);
    assert_null(mp_media_name(mp_media_count()));
    assert_true(isnan(mp_solution_media_spend(NULL, mp_media_name(0))));
    assert_true(isnan(mp_solution_media_spend(f->sol, NULL)));
    assert_true(isnan(mp_solution_media_spend(f->sol, "no-such-media")));
}

static void channels_and_periods(void **state)
{
    fixture *f = *state;
    assert_int_equal(mp_solution_channel_count(NULL), 0);
    assert_int_equal(mp_solution_channel_count(f->sol), NCH);
    assert_null(mp_solution_channel_name(NULL, 0));
    assert_null(mp_solution_channel_name(f->sol, NCH));
    assert_null(mp_solution_channel_type(f->sol, NCH));
    assert_int_equal(mp_solution_channel_digital(NULL, 0), -1);
    assert_int_equal(mp_solution_channel_digital(f->sol, NCH), -1);
    assert_true(isnan(mp_solution_channel_spend(NULL, 0)));
    assert_true(isnan(mp_solution_channel_spend(f->sol, NCH)));
    assert_true(isnan(mp_solution_channel_share(f->sol, NCH)));
    assert_true(isnan(mp_solution_channel_kpi(f->sol, NCH, MP_KPI_SPEND)));
    assert_true(isnan(mp_solution_channel_kpi(f->sol, 0, MP_KPI_COUNT)));
    assert_true(isnan(mp_solution_channel_marginal(f->sol, NCH)));
    assert_int_equal(mp_solution_period_count(NULL), 0);
    assert_int_equal(mp_solution_period_count(f->sol), NPERIODS);
    char buf[16];
    assert_input_error(mp_solution_period_start(NULL, 0, buf, sizeof buf));
    assert_input_error(mp_solution_period_start(f->sol, NPERIODS, buf, sizeof buf));
    assert_input_error(mp_solution_period_start(f->sol, 0, NULL, sizeof buf));
    assert_input_error(mp_solution_period_start(f->sol, 0, buf, 10)); /* "YYYY-MM-DD" + NUL */
    assert_true(isnan(mp_solution_period_kpi(NULL, 0, 0, MP_KPI_SPEND)));
    assert_true(isnan(mp_solution_period_kpi(f->sol, NCH, 0, MP_KPI_SPEND)));
    assert_true(isnan(mp_solution_period_kpi(f->sol, 0, NPERIODS, MP_KPI_SPEND)));
    assert_true(isnan(mp_solution_period_kpi(f->sol, 0, 0, MP_KPI_COUNT)));
}

static void keywords_groups_constraints(void **state)
{
    fixture *f = *state;
    /* no search channel: no keyword rows, no groups */
    assert_int_equal(mp_solution_keyword_count(NULL), 0);
    assert_int_equal(mp_solution_keyword_count(f->sol), 0);
    assert_null(mp_solution_keyword_text(f->sol, 0));
    assert_null(mp_solution_keyword_channel(f->sol, 0));
    assert_null(mp_solution_keyword_group(f->sol, 0));
    assert_true(isnan(mp_solution_keyword_value(f->sol, 0, MP_KW_SPEND)));
    assert_true(isnan(mp_solution_keyword_value(NULL, 0, MP_KW_SPEND)));
    assert_int_equal(mp_solution_group_count(NULL), 0);
    assert_int_equal(mp_solution_group_count(f->sol), 0);
    assert_null(mp_solution_group_channel(f->sol, 0));
    assert_null(mp_solution_group_name(f->sol, 0));
    assert_true(isnan(mp_solution_group_value(f->sol, 0, MP_GROUP_SPEND)));
    size_t nc = mp_solution_constraint_count(f->sol);
    assert_true(nc >= 1); /* cap-a, and the implicit budget rows */
    assert_int_equal(mp_solution_constraint_count(NULL), 0);
    assert_null(mp_solution_constraint_name(NULL, 0));
    assert_null(mp_solution_constraint_name(f->sol, nc));
    assert_null(mp_solution_constraint_expr(f->sol, nc));
    assert_null(mp_solution_constraint_op(f->sol, nc));
    assert_true(isnan(mp_solution_constraint_value(f->sol, nc)));
    assert_true(isnan(mp_solution_constraint_bound(f->sol, nc)));
    assert_int_equal(mp_solution_constraint_binding(f->sol, nc), -1);
    assert_int_equal(mp_solution_constraint_binding(NULL, 0), -1);
    assert_true(isnan(mp_solution_constraint_dual(f->sol, nc)));
}

static void keywords_report(void **state)
{
    fixture *f = *state;
    assert_input_error(mp_keywords_report(NULL, NULL, 0, f->sink, NULL));
    assert_input_error(mp_keywords_report(MP_FIXTURES "/kwp_uk_sample.csv", NULL, 0, NULL, NULL));
}

static void whatif_run_arguments(void **state)
{
    fixture *f = *state;
    mp_whatif_opts_init(NULL);
    const char *axes[] = {"budget=20k,30k"};
    const char *null_axis[] = {NULL};
    mp_whatif *w = (mp_whatif *)f;
    assert_input_error(mp_whatif_run(NULL, axes, 1, NULL, &w));
    assert_input_error(mp_whatif_run(f->plan, NULL, 1, NULL, &w));
    assert_input_error(mp_whatif_run(f->plan, axes, 1, NULL, NULL));
    assert_input_error(mp_whatif_run(f->plan, null_axis, 1, NULL, &w));
    assert_null(w);
    assert_input_error(mp_whatif_run(f->plan, axes, 0, NULL, &w));
    assert_input_error(mp_whatif_run(f->plan, axes, 3, NULL, &w));
    mp_whatif_free(NULL);
}

static void whatif_readers(void **state)
{
    fixture *f = *state;
    size_t ns = mp_whatif_count(f->w), na = mp_whatif_axis_count(f->w);
    assert_int_equal(na, 1);
    assert_int_equal(mp_whatif_count(NULL), 0);
    assert_int_equal(mp_whatif_scenario_result(NULL, 0), MP_RESULT_INFEASIBLE);
    assert_int_equal(mp_whatif_scenario_result(f->w, ns), MP_RESULT_INFEASIBLE);
    assert_true(isnan(mp_whatif_scenario_objective(NULL, 0)));
    assert_true(isnan(mp_whatif_scenario_objective(f->w, ns)));
    assert_true(isnan(mp_whatif_sweep_seconds(NULL)));
    assert_null(mp_whatif_base(NULL));
    assert_int_equal(mp_whatif_warning_count(NULL), 0);
    assert_null(mp_whatif_warning(NULL, 0));
    assert_null(mp_whatif_warning(f->w, mp_whatif_warning_count(f->w)));
    assert_int_equal(mp_whatif_axis_count(NULL), 0);
    assert_null(mp_whatif_axis_name(NULL, 0));
    assert_null(mp_whatif_axis_name(f->w, na));
    assert_int_equal(mp_whatif_axis_is_rate(NULL, 0), -1);
    assert_int_equal(mp_whatif_axis_is_rate(f->w, na), -1);
    assert_int_equal(mp_whatif_axis_value_count(NULL, 0), 0);
    assert_int_equal(mp_whatif_axis_value_count(f->w, na), 0);
    assert_true(isnan(mp_whatif_axis_value(NULL, 0, 0)));
    assert_true(isnan(mp_whatif_axis_value(f->w, na, 0)));
    assert_true(isnan(mp_whatif_axis_value(f->w, 0, mp_whatif_axis_value_count(f->w, 0))));
    assert_true(isnan(mp_whatif_scenario_param(f->w, ns, 0)));
    assert_true(isnan(mp_whatif_scenario_param(f->w, 0, na)));
    assert_null(mp_whatif_scenario_explain(NULL, 0));
    assert_null(mp_whatif_scenario_explain(f->w, ns));
    assert_true(isnan(mp_whatif_scenario_kpi(f->w, ns, MP_KPI_SPEND)));
    assert_true(isnan(mp_whatif_scenario_kpi(f->w, 0, MP_KPI_COUNT)));
    assert_true(isnan(mp_whatif_scenario_channel_spend(f->w, ns, 0)));
    assert_true(isnan(mp_whatif_scenario_channel_spend(f->w, 0, NCH)));
    assert_true(isnan(mp_whatif_scenario_media_spend(f->w, ns, mp_media_name(0))));
    assert_true(isnan(mp_whatif_scenario_media_spend(f->w, 0, NULL)));
    assert_true(isnan(mp_whatif_scenario_marginal(NULL, 0)));
    assert_true(isnan(mp_whatif_scenario_marginal(f->w, ns)));
}

static void whatif_output(void **state)
{
    fixture *f = *state;
    assert_input_error(mp_whatif_print_summary(NULL, f->sink));
    assert_input_error(mp_whatif_print_summary(f->w, NULL));
    assert_input_error(mp_whatif_print_summary_in(NULL, f->sink, "fr"));
    assert_input_error(mp_whatif_print_summary_in(f->w, NULL, "fr"));
    assert_input_error(mp_whatif_print_summary_in(f->w, f->sink, "xx"));
    assert_input_error(mp_whatif_write_json(NULL, f->json));
    assert_input_error(mp_whatif_write_json(f->w, NULL));
    assert_input_error(mp_whatif_write_json_to(NULL, f->sink));
    assert_input_error(mp_whatif_write_json_to(f->w, NULL));
    assert_input_error(mp_whatif_write_xlsx(NULL, f->xlsx));
    assert_input_error(mp_whatif_write_xlsx(f->w, NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(version_and_messages),
        cmocka_unit_test(loading),
        cmocka_unit_test(plan_lists),
        cmocka_unit_test(solving),
        cmocka_unit_test(solution_basics),
        cmocka_unit_test(solution_output),
        cmocka_unit_test(names_and_totals),
        cmocka_unit_test(channels_and_periods),
        cmocka_unit_test(keywords_groups_constraints),
        cmocka_unit_test(keywords_report),
        cmocka_unit_test(whatif_run_arguments),
        cmocka_unit_test(whatif_readers),
        cmocka_unit_test(whatif_output),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
