/* The plan parser: defaults, periods, and errors naming file, line and key. */
#include "helpers.h"
#include "adapters.h"
#include "plan.h"

/* Continuation lines join with one space each, in order, however many there are (they are
 * appended in place; 20,000 of them were joined by reprinting the whole value each time). */
static void joins_many_continuation_lines(void **state)
{
    (void)state;
    enum { LINES = 20000 };
    size_t cap = 64 + (size_t)LINES * 16, n = 0, want_n = 0;
    char *text = malloc(cap), *want = malloc(cap);
    assert_non_null(text);
    assert_non_null(want);
    n += (size_t)snprintf(text + n, cap - n, "[plan]\nname = w\n");
    want_n += (size_t)snprintf(want + want_n, cap - want_n, "w");
    for (int i = 0; i < LINES; i++) {
        n += (size_t)snprintf(text + n, cap - n, "  w%d\n", i);
        want_n += (size_t)snprintf(want + want_n, cap - want_n, " w%d", i);
    }
    snprintf(text + n, cap - n,
             "budget = 1k\nstart = 2027-01-01\n[channel \"c\"]\ntype = curve\n"
             "curve = exp\nbeta = 10\nk = 1000\n");
    mp_plan *plan = NULL;
    mp_status st = mp_plan_load_buffer(text, strlen(text), "", &plan);
    if (st != MP_OK)
        fail_msg("%s", mp_last_error());
    assert_string_equal(plan->name, want);
    mp_plan_free(plan);
    free(text);
    free(want);
}

static void reads_plan_and_periods(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    mp_plan *plan = test_plan(dir, "[plan]\nname = Test\ncurrency = GBP\nbudget = 1.5M GBP\n"
                                   "start = 2027-01-31\nperiods = 3\nperiod = month\n"
                                   "objective = min cost\nseasonality = 1, 1.2,\n  80%\n"
                                   "[period 2]\nbudget = 300k\n"
                                   "[channel \"c\"]\ntype = curve\ncurve = exp\nbeta = 10\n"
                                   "k = 1000\nmin_spend = 5k\n");
    assert_string_equal(plan->name, "Test");
    assert_string_equal(plan->currency, "GBP");
    assert_true(plan->budget == 1.5e6);
    assert_int_equal(plan->obj_sense, -1);
    assert_int_equal(plan->obj_kpi, MPI_SPEND);
    /* months from 31 January: 31 Jan, 28 Feb (clamped), 31 Mar, 30 Apr */
    assert_int_equal(plan->period_start[0], mpi_days_from_civil(2027, 1, 31));
    assert_int_equal(plan->period_start[1], mpi_days_from_civil(2027, 2, 28));
    assert_int_equal(plan->period_start[2], mpi_days_from_civil(2027, 3, 31));
    assert_int_equal(plan->period_start[3], mpi_days_from_civil(2027, 4, 30));
    assert_true(plan->weight[1] == 1.2 && fabs(plan->weight[2] - 0.8) < 1e-15);
    assert_true(isinf(plan->period_cap[0]) && plan->period_cap[1] == 300000);
    assert_true(plan->ch[0].min_spend == 5000);
    assert_int_equal(plan->ch[0].resp.family, MPI_FAM_EXP);
    mp_plan_free(plan);
    free(dir);
}

/* Whether the plan lists the input whose path ends in tail. */
static int has_input(const mp_plan *plan, const char *tail)
{
    for (size_t i = 0; i < mp_plan_input_count(plan); i++) {
        const char *p = mp_plan_input(plan, i);
        size_t n = strlen(p), t = strlen(tail);
        if (n >= t && !strcmp(p + n - t, tail))
            return 1;
    }
    return 0;
}

/* Every file a plan reads is listed once: the plan, the Keyword Planner
 * export, the rules, the CO2 factors (spring example: 4 files); a curve
 * table (MMM example: plan and table). */
static void lists_the_files_it_read(void **state)
{
    (void)state;
    mp_plan *plan;
    assert_int_equal(mp_plan_load(MP_SOURCE_DIR "/datasets/examples/spring_launch.ini", &plan),
                     MP_OK);
    assert_int_equal(mp_plan_input_count(plan), 4);
    assert_string_equal(mp_plan_input(plan, 0),
                        MP_SOURCE_DIR "/datasets/examples/spring_launch.ini");
    assert_true(has_input(plan, "/keywords/fr_running.csv"));
    assert_true(has_input(plan, "/keywords/fr_running_groups.ini"));
    assert_true(has_input(plan, "/co2/factors.csv"));
    mp_plan_free(plan);
    assert_int_equal(mp_plan_load(MP_SOURCE_DIR "/datasets/examples/mmm_curves.ini", &plan), MP_OK);
    assert_int_equal(mp_plan_input_count(plan), 2);
    assert_true(has_input(plan, "/curves/x4_response.csv"));
    mp_plan_free(plan);
}

typedef struct bad_case {
    const char *text;
    const char *message;
} bad_case;

static void reports_errors_with_line_and_key(void **state)
{
    (void)state;
    static const bad_case cases[] = {
        {"[plan]\nbudget = 10k\nstart = 2027-03-01\n[channel \"m\"]\ntype = social\n"
         "cpm = 7,5O\n",
         "plan.ini:6: cpm: expected a positive number, got \"7,5O\""},
        {"[plan]\nbudget = 10k\nstart = 2027-03-01\n[channel \"m\"]\ntype = social\n"
         "cpm = 7\naudiance = 5\n",
         "plan.ini:7: unknown key \"audiance\" in a social channel (did you mean \"audience\"?)"},
        {"[plan]\nbudget = 10k\nstart = 2027-03-01\n[chanel \"m\"]\ntype = social\n",
         "plan.ini:5: unknown section [chanel \"m\"] (did you mean [channel]?)"},
        {"[plan]\nbudget = 10k\nbudget = 20k\n",
         "plan.ini:3: budget: duplicate key (first set at line 2)"},
        {"[plan]\nbudget = -5\nstart = 2027-03-01\n",
         "plan.ini:2: budget: expected a positive number"},
        {"[plan]\nbudget = 10k\nstart = 2027-02-30\n", "plan.ini:3: start: expected a date"},
        {"[plan]\nbudget = 10k\nstart = 2027-03-01\nperiods = 0\n", "plan.ini:4: periods"},
        {"[plan]\nbudget = 10k\nstart = 2027-03-01\nperiods = 100000\n", "at most 520"},
        {"[plan]\nbudget = 10k\nstart = 2027-03-01\n",
         "the plan has no [channel \"name\"] section"},
        {"[plan]\nbudget = 10k\nstart = 2027-03-01\n[channel \"m\"]\ntype = telly\n",
         "plan.ini:5: type: unknown media type \"telly\""},
        {"[plan]\nbudget = 10k\nstart = 2027-03-01\n[channel \"m\"]\ntype = tv\ncpp = 1k\n"
         "[channel \"m\"]\ntype = tv\n",
         "plan.ini:8: type: duplicate key"},
        {"[plan]\nbudget = 10k\nstart = 2027-03-01\nobjective = max happiness\n",
         "plan.ini:4: objective"},
        {"[plan]\nbudget = 10k\nstart = 2027-03-01\n[channel \"s\"]\ntype = search\nctr = 5%\n"
         "keywords = missing.csv\n",
         "plan.ini:7: keywords:"},
        {"[plan]\nbudget = 10k\nstart = 2027-03-01\n[channel \"t\"]\ntype = tv\ncpp = 1k\n"
         "rmax = 120%\n",
         "plan.ini:7: rmax: expected a share between 0 and 100%"},
        {"[plan]\nbudget = 1e400\nstart = 2027-03-01\n", "plan.ini:2: budget"},
        {"[plan]\nbudget = 10k\nstart = 2027-03-01\n[channel \"c\"]\ntype = curve\n",
         "a curve channel needs curve ="},
        {"[plan]\nbudget = 10k\nstart = 2027-03-01\n[channel \"c\"]\ntype = curve\ncurve = hill\n"
         "beta = 5\n",
         "hill curve needs ec"},
        {"", "empty plan file"},
    };
    char *dir = test_tmpdir();
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mp_status st = test_plan_fails(dir, cases[i].text);
        if (st != MP_ERR_INPUT && st != MP_ERR_LIMIT && st != MP_ERR_IO)
            fprintf(stderr, "case %zu: status %d: %s\n", i, st, mp_last_error());
        assert_true(st == MP_ERR_INPUT || st == MP_ERR_LIMIT || st == MP_ERR_IO);
        assert_contains(mp_last_error(), cases[i].message);
    }
    free(dir);
}

static void rejects_unreadable_files(void **state)
{
    (void)state;
    mp_plan *plan = NULL;
    assert_int_equal(mp_plan_load("/nonexistent/plan.ini", &plan), MP_ERR_IO);
    assert_contains(mp_last_error(), "/nonexistent/plan.ini: cannot open");
    char *dir = test_tmpdir();
    assert_int_equal(mp_plan_load(dir, &plan), MP_ERR_IO);
    assert_contains(mp_last_error(), "is a directory");
    char *path = test_write(dir, "u16.ini", "");
    FILE *f = fopen(path, "wb");
    fwrite("\xff\xfe[\0p\0\0\xd8", 1, 8, f); /* UTF-16 is read, but not a lone surrogate */
    fclose(f);
    assert_int_equal(mp_plan_load(path, &plan), MP_ERR_INPUT);
    assert_contains(mp_last_error(), "UTF-16");
    assert_null(plan);
    free(path);
    free(dir);
}

/* mp_plan_check lists every error, each with its line, in the order found;
 * the first is what mp_plan_load returns and says. */
static const char many_errors[] = "[plan]\nbudget = 100k\nstart = 2027-03-01\nperiods = 2\n"
                                  "bugdet = 5\n"                                 /* 5 */
                                  "[channel \"c\"]\ntype = curve\ncurve = exp\n" /* 6-8 */
                                  "beta = 100\nk = 20k\nmin_spend = lots\n"      /* 9-11 */
                                  "[channel \"e\"]\n"                            /* 12 */
                                  "[constraint \"s\"]\nexpr = cpa < 110\n";      /* 13-14 */

static void check_lists_every_error(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    char *path = test_write(dir, "plan.ini", many_errors);
    mp_plan *plan = NULL;
    assert_int_equal(mp_plan_load(path, &plan), MP_ERR_INPUT);
    char first[2048];
    snprintf(first, sizeof first, "%s", mp_last_error());
    mp_errors *errors = NULL;
    assert_int_equal(mp_plan_check(path, &plan, &errors), MP_ERR_INPUT);
    assert_null(plan);
    assert_string_equal(mp_last_error(), first);
    assert_int_equal(mp_errors_count(errors), 4);
    assert_string_equal(mp_errors_message(errors, 0), first);
    assert_contains(first, "plan.ini:12: empty section [channel \"e\"]");
    assert_contains(mp_errors_message(errors, 1), "plan.ini:5: unknown key \"bugdet\"");
    assert_contains(mp_errors_message(errors, 2), "plan.ini:11: min_spend:");
    assert_contains(mp_errors_message(errors, 3), "plan.ini:14: expr: unknown operator \"<\"");
    assert_null(mp_errors_message(errors, 4));
    mp_errors_free(errors);
    /* a valid plan: no list, the plan handed over */
    free(test_write(dir, "plan.ini",
                    "[plan]\nbudget = 1k\nstart = 2027-01-01\n[channel \"c\"]\n"
                    "type = curve\ncurve = exp\nbeta = 10\nk = 1000\n"));
    errors = (mp_errors *)dir;
    assert_int_equal(mp_plan_check(path, &plan, &errors), MP_OK);
    assert_null(errors);
    assert_non_null(plan);
    mp_plan_free(plan);
    free(path);
    free(dir);
}

/* At most MP_MAX_ERRORS are listed: 60 unknown keys give 50 messages, the
 * 50th that of line 53. */
static void check_stops_at_the_limit(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    char text[4096];
    size_t n = (size_t)snprintf(text, sizeof text, "[plan]\nbudget = 1k\nstart = 2027-01-01\n");
    for (int i = 0; i < 60; i++)
        n += (size_t)snprintf(text + n, sizeof text - n, "nokey%d = 1\n", i);
    char *path = test_write(dir, "plan.ini", text);
    mp_errors *errors = NULL;
    assert_int_equal(mp_plan_check(path, NULL, &errors), MP_ERR_INPUT);
    assert_int_equal(mp_errors_count(errors), MP_MAX_ERRORS);
    assert_contains(mp_errors_message(errors, 0), "plan.ini:4: unknown key \"nokey0\"");
    assert_contains(mp_errors_message(errors, MP_MAX_ERRORS - 1),
                    "plan.ini:53: unknown key \"nokey49\"");
    mp_errors_free(errors);
    free(path);
    free(dir);
}

/* Every allocation of a check made to fail in turn: out of memory, no list,
 * nothing leaked (the ASan build); past the last, the same list. */
static void check_fails_cleanly(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    char *path = test_write(dir, "plan.ini", many_errors);
    for (unsigned long k = 1;; k++) {
        mp_errors *errors = (mp_errors *)dir;
        mpi_alloc_fail_at(k);
        mp_status st = mp_plan_check(path, NULL, &errors);
        unsigned long made = mpi_alloc_count();
        mpi_alloc_fail_at(0);
        if (made < k) {
            assert_int_equal(st, MP_ERR_INPUT);
            assert_int_equal(mp_errors_count(errors), 4);
            mp_errors_free(errors);
            break;
        }
        assert_int_equal(st, MP_ERR_NOMEM);
        assert_contains(mp_last_error(), "out of memory");
        assert_null(errors);
    }
    free(path);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reads_plan_and_periods),
        cmocka_unit_test(joins_many_continuation_lines),
        cmocka_unit_test(reports_errors_with_line_and_key),
        cmocka_unit_test(rejects_unreadable_files),
        cmocka_unit_test(lists_the_files_it_read),
        cmocka_unit_test(check_lists_every_error),
        cmocka_unit_test(check_stops_at_the_limit),
        cmocka_unit_test(check_fails_cleanly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
