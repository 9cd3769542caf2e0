/* What-if axes (engine/src/axes.c, mpi_axis_parse / mpi_axis_free): the
 * parameter a --vary specification names, the channels, group or constraint
 * it moves, its values from a range or a list in the parameter's unit, and
 * bad specifications with their messages; the warnings a run gives for
 * values the plan file would warn about (mpi_axis_warn, mp_whatif_warning).
 * Expected values are the specs' numbers read by hand. */
#include "helpers.h"
#include "whatif.h"

static mp_plan *spring(void)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/datasets/examples/spring_launch.ini", MP_SOURCE_DIR);
    mp_plan *plan = NULL;
    assert_int_equal(mp_plan_load(path, &plan), MP_OK);
    return plan;
}

/* The channels an axis moves, as a comma list in the plan's order. */
static void moved(const mp_plan *plan, const mpi_axis *a, char *buf, size_t n)
{
    buf[0] = '\0';
    for (size_t c = 0; c < plan->nch; c++)
        if (a->in[c]) {
            if (*buf)
                strncat(buf, ",", n - strlen(buf) - 1);
            strncat(buf, plan->ch[c].name, n - strlen(buf) - 1);
        }
}

static void assert_values(const mpi_axis *a, size_t n, const double *want)
{
    assert_int_equal(a->n, n);
    for (size_t i = 0; i < n; i++)
        if (!(fabs(a->values[i] - want[i]) <= 1e-12 * (1 + fabs(want[i]))))
            fail_msg("value %zu: %.17g, expected %.17g", i, a->values[i], want[i]);
}

static mpi_axis parse_ok(const mp_plan *plan, const char *spec)
{
    mpi_axis a;
    mp_status st = mpi_axis_parse(plan, spec, &a);
    if (st != MP_OK)
        fail_msg("%s: %s", spec, mp_last_error());
    return a;
}

static void reads_ranges(void **state)
{
    (void)state;
    mp_plan *plan = spring();
    char buf[256];
    /* search inflation by default: the channels with a cost per click */
    mpi_axis a = parse_ok(plan, "inflation=0%..30%/10%");
    assert_string_equal(a.label, "inflation");
    assert_int_equal(a.kind, MPI_AX_INFLATION);
    assert_int_equal(a.pct, 1);
    assert_int_equal(a.group, -1);
    moved(plan, &a, buf, sizeof buf);
    assert_string_equal(buf, "search-generic");
    assert_values(&a, 4, (const double[]){0, 0.1, 0.2, 0.3});
    mpi_axis_free(&a);
    /* 0.3 / 0.1 is 2.9999999999999996 in binary: still four values */
    a = parse_ok(plan, "inflation=0..0.3/0.1");
    assert_int_equal(a.n, 4);
    mpi_axis_free(&a);
    /* the step is a plain difference: 2.5% on a -5% start */
    a = parse_ok(plan, "cpm:meta=-5%..5%/2.5%");
    assert_values(&a, 5, (const double[]){-0.05, -0.025, 0, 0.025, 0.05});
    mpi_axis_free(&a);
    /* budgets with k and M, the plan's currency allowed; a step that does
     * not divide the range stops below its end */
    a = parse_ok(plan, "budget=1M..1.25M/100k");
    assert_int_equal(a.kind, MPI_AX_BUDGET);
    assert_int_equal(a.pct, 0);
    assert_values(&a, 3, (const double[]){1e6, 1.1e6, 1.2e6});
    mpi_axis_free(&a);
    a = parse_ok(plan, "budget=400k EUR..500k EUR/50k");
    assert_values(&a, 3, (const double[]){400e3, 450e3, 500e3});
    mpi_axis_free(&a);
    /* a one-value range */
    a = parse_ok(plan, "constraint:cpa=50..50/5");
    assert_values(&a, 1, (const double[]){50});
    mpi_axis_free(&a);
    mp_plan_free(plan);
}

static void reads_lists_and_targets(void **state)
{
    (void)state;
    mp_plan *plan = spring();
    char buf[256];
    mpi_axis a = parse_ok(plan, "budget=400k,450k,0.5M");
    assert_values(&a, 3, (const double[]){400e3, 450e3, 500e3});
    mpi_axis_free(&a);
    /* cpm:<channel> moves that channel's CPM */
    a = parse_ok(plan, "cpm:meta=-10%, 0%, 10%");
    assert_string_equal(a.label, "cpm:meta");
    assert_int_equal(a.kind, MPI_AX_COST);
    assert_int_equal(a.pct, 1);
    moved(plan, &a, buf, sizeof buf);
    assert_string_equal(buf, "meta");
    assert_values(&a, 3, (const double[]){-0.1, 0, 0.1});
    mpi_axis_free(&a);
    /* a media type, and "offline", with the cost named */
    a = parse_ok(plan, "cpp:tv=5%");
    moved(plan, &a, buf, sizeof buf);
    assert_string_equal(buf, "tf1-prime");
    mpi_axis_free(&a);
    a = parse_ok(plan, "cpp:offline=5%");
    moved(plan, &a, buf, sizeof buf);
    assert_string_equal(buf, "tf1-prime,radio-national"); /* the press has a cost per insertion */
    mpi_axis_free(&a);
    a = parse_ok(plan, "cpi:press-daily=-20%");
    moved(plan, &a, buf, sizeof buf);
    assert_string_equal(buf, "press-daily");
    mpi_axis_free(&a);
    /* inflation of a keyword group (the rules file's "competitor") */
    a = parse_ok(plan, "inflation:competitor=0%,20%");
    assert_int_equal(a.kind, MPI_AX_INFLATION);
    assert_true(a.group >= 0);
    assert_string_equal(plan->groups.v[a.group], "competitor");
    assert_values(&a, 2, (const double[]){0, 0.2});
    mpi_axis_free(&a);
    /* inflation of a channel named, whatever its cost */
    a = parse_ok(plan, "inflation:meta=3%");
    assert_int_equal(a.group, -1);
    moved(plan, &a, buf, sizeof buf);
    assert_string_equal(buf, "meta");
    assert_values(&a, 1, (const double[]){0.03});
    mpi_axis_free(&a);
    /* constraint:<name>: a bound in the constraint's unit (a share is a fraction) */
    a = parse_ok(plan, "constraint:offline-share=25%,35%");
    assert_int_equal(a.kind, MPI_AX_CONSTRAINT);
    assert_string_equal(plan->cons[a.cons].name, "offline-share");
    assert_int_equal(a.pct, 1);
    assert_values(&a, 2, (const double[]){0.25, 0.35});
    mpi_axis_free(&a);
    a = parse_ok(plan, "constraint:cpa=40..60/10");
    assert_string_equal(plan->cons[a.cons].name, "cpa");
    assert_int_equal(a.pct, 0);
    assert_values(&a, 3, (const double[]){40, 50, 60});
    mpi_axis_free(&a);
    a = parse_ok(plan, "constraint:competitor-cap=1k,3k");
    assert_values(&a, 2, (const double[]){1000, 3000});
    mpi_axis_free(&a);
    /* spaces around the name are not part of it */
    a = parse_ok(plan, " budget =400k");
    assert_string_equal(a.label, "budget");
    mpi_axis_free(&a);
    /* freeing twice, and NULL, is harmless */
    mpi_axis_free(&a);
    mpi_axis_free(NULL);
    mp_plan_free(plan);
}

/* A bad spec fails with its message and leaves the axis empty. */
static void fails_with(const mp_plan *plan, const char *spec, mp_status want, const char *msg)
{
    mpi_axis a;
    mp_status st = mpi_axis_parse(plan, spec, &a);
    if (st != want)
        fail_msg("%s: status %d (%s), expected %d", spec ? spec : "(null)", st, mp_last_error(),
                 want);
    assert_contains(mp_last_error(), msg);
    assert_null(a.label);
    assert_null(a.in);
    assert_null(a.values);
    assert_null(a.bare);
    assert_int_equal(a.n, 0);
}

static void rejects_bad_specs(void **state)
{
    (void)state;
    mp_plan *plan = spring();
    static const struct {
        const char *spec;
        mp_status st;
        const char *msg;
    } bad[] = {
        {"budget", MP_ERR_INPUT, "--vary budget: expected NAME=VALUES"},
        {"=5", MP_ERR_INPUT, "expected NAME=VALUES"},
        {NULL, MP_ERR_INPUT, "an axis is NULL"},
        {"budgt=1M", MP_ERR_INPUT,
         "--vary budgt=1M: unknown parameter \"budgt\" (did you mean budget?)"},
        {"budget:meta=1M", MP_ERR_INPUT, "budget takes no channel"},
        {"cpm=10%", MP_ERR_INPUT, "name the channel or media type, as in cpm:meta"},
        {"cpm:tf1-prime=10%", MP_ERR_INPUT, "no channel \"tf1-prime\" with a cpm"},
        {"constraint:cpa2=50", MP_ERR_INPUT,
         "no constraint \"cpa2\" in the plan (did you mean \"cpa\"?)"},
        {"constraint=50", MP_ERR_INPUT, "no constraint \"\" in the plan"},
        {"inflation:nothing=5%", MP_ERR_INPUT,
         "no channel, media type or keyword group of that name has an inflating cost"},
        {"inflation=0%..30%", MP_ERR_INPUT, "a range needs a step"},
        {"inflation=30%..0%/10%", MP_ERR_INPUT, "the range ends below its start"},
        {"inflation=0%..30%/0", MP_ERR_INPUT, "the step must be a positive number"},
        {"inflation=0%..30%/-5%", MP_ERR_INPUT, "the step must be a positive number"},
        {"inflation=0%..100%/0.05%", MP_ERR_LIMIT, "more than 1001 values"},
        {"inflation=5%,2000%", MP_ERR_INPUT,
         "--vary inflation=5%,2000%: \"2000%\": a yearly rate above -100% and at most 1000%"},
        {"inflation=-100%", MP_ERR_INPUT, "above -100%"},
        {"budget=0", MP_ERR_INPUT, "\"0\": a budget must be positive"},
        {"budget=400k USD", MP_ERR_INPUT, "--vary budget=400k USD: \"400k USD\": "},
        {"budget=lots", MP_ERR_INPUT, "\"lots\""},
        {"cpm:meta=-100%", MP_ERR_INPUT, "a cost change above -100%"},
        {"budget=", MP_ERR_INPUT, "--vary budget=: no values"},
        {"budget=,", MP_ERR_INPUT, "no values"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        fails_with(plan, bad[i].spec, bad[i].st, bad[i].msg);
    char longspec[700] = "budget=";
    for (int i = 0; i < 130; i++)
        strcat(longspec, "400k,");
    fails_with(plan, longspec, MP_ERR_INPUT, "too long");
    /* a plan without search: plain inflation has nothing to move */
    char *dir = test_tmpdir();
    mp_plan *curve = test_plan(dir, "[plan]\nbudget = 100k\nstart = 2027-03-01\n"
                                    "[channel \"c\"]\ntype = curve\ncurve = exp\nbeta = 100\n"
                                    "k = 20k\n");
    fails_with(curve, "inflation=5%", MP_ERR_INPUT, "the plan has no search channel");
    fails_with(curve, "cpm:c=5%", MP_ERR_INPUT, "no channel \"c\" with a cpm");
    mp_plan_free(curve);
    free(dir);
    mp_plan_free(plan);
}

/* The warnings mpi_axis_warn gives for spec, as one string "a|b|..." ("":
 * none). */
static void warns(const mp_plan *plan, const char *spec, const char *want)
{
    mpi_axis a = parse_ok(plan, spec);
    mpi_diag d = {0};
    assert_int_equal(mpi_axis_warn(plan, &a, spec, &d), MP_OK);
    char got[4096] = "";
    for (size_t i = 0; i < d.warn.n; i++) {
        if (i)
            strncat(got, "|", sizeof got - strlen(got) - 1);
        strncat(got, d.warn.v[i], sizeof got - strlen(got) - 1);
    }
    if (strcmp(got, want) != 0)
        fail_msg("%s: warnings \"%s\", expected \"%s\"", spec, got, want);
    mpi_diag_free(&d);
    mpi_axis_free(&a);
}

/* The plan file's typical ranges (README, "Units and typical ranges")
 * applied to the value each axis sets. */
static void warns_on_implausible_values(void **state)
{
    (void)state;
    mp_plan *plan = spring();
    /* inflation: -50 % to 100 %; a bare 1 is 100 %, most often 1 % misspelt */
    warns(plan, "inflation=0%..100%/25%", "");
    warns(plan, "inflation=-90%..-80%/1%",
          "--vary inflation=-90%..-80%/1%: -90%, -89%, -88% and 8 more are outside the typical "
          "range of a yearly cost inflation (-50% to 100%)");
    warns(plan, "inflation=0..1/0.25",
          "--vary inflation=0..1/0.25: 100% is at the edge of the typical range of a yearly cost "
          "inflation (-50% to 100%); a number without % is a fraction: write 1% if 1 % was meant");
    warns(plan, "inflation=0.5,1",
          "--vary inflation=0.5,1: 100% is at the edge of the typical "
          "range of a yearly cost inflation (-50% to 100%); a number "
          "without % is a fraction: write 1% if 1 % was meant");
    warns(plan, "inflation:search-generic=0%,1,300%",
          "--vary inflation:search-generic=0%,1,300%: 100%, 300% are outside the typical range "
          "of a yearly cost inflation (-50% to 100%); a number without % is a fraction: write 1% "
          "if 1 % was meant");
    /* meta's CPM is 7.5 EUR: -98 % makes 0.15, -99 % 0.075; 6,500 % makes
     * 495 and 6,600 % 502.5 */
    warns(plan, "cpm:meta=-98%,6500%", "");
    warns(plan, "cpm:meta=-99%,6600%",
          "--vary cpm:meta=-99%,6600%: the CPM of meta, 7.5 EUR in the plan, becomes 0.075 EUR "
          "at -99%, 502.5 EUR at +6600%: outside the typical range of a CPM (0.1 EUR to 500 EUR)");
    /* cost per GRP: at least 1; tf1-prime 5200 and radio-national 900,
     * each named */
    warns(plan, "cpp:offline=-99.9%",
          "--vary cpp:offline=-99.9%: the cost per GRP of radio-national, 900 EUR in the plan, "
          "becomes 0.9 EUR at -99.9%: outside the typical range of a cost per GRP (at least 1 "
          "EUR)");
    warns(plan, "cpp:offline=-99.99%,0%",
          "--vary cpp:offline=-99.99%,0%: the cost per GRP of tf1-prime, 5200 EUR in the plan, "
          "becomes 0.52 EUR at -99.99%: outside the typical range of a cost per GRP (at least 1 "
          "EUR)|--vary cpp:offline=-99.99%,0%: the cost per GRP of radio-national, 900 EUR in the "
          "plan, becomes 0.09 EUR at -99.99%: outside the typical range of a cost per GRP (at "
          "least 1 EUR)");
    /* no typical range for a CPC, a cost per insertion, a budget or a CPA */
    warns(plan, "cpc:search=-99%,900%", "");
    warns(plan, "cpi:press=-99.99%,900%", "");
    warns(plan, "budget=1,1000M", "");
    warns(plan, "constraint:cpa=0.01,1M", "");
    mp_plan_free(plan);
    /* a reach bound in people under 1 % of the universe: 60 % misspelt */
    char *dir = test_tmpdir();
    mp_plan *reach = test_plan(dir, "[plan]\nbudget = 100k\nstart = 2027-03-01\nuniverse = 10M\n"
                                    "[channel \"t\"]\ntype = tv\ncpp = 5k\n"
                                    "[constraint \"r\"]\nexpr = reach(t) >= 1M\n");
    warns(reach, "constraint:r=40..60/10",
          "--vary constraint:r=40..60/10: 40, 50, 60 count people of a universe of 10000000; "
          "write 40% for a share of the universe");
    warns(reach, "constraint:r=1M,60",
          "--vary constraint:r=1M,60: 60 counts people of a universe "
          "of 10000000; write 60% for a share of the universe");
    warns(reach, "constraint:r=40%..60%/10%", "");
    warns(reach, "constraint:r=0.001%", ""); /* 100 people, written as a share */
    mp_plan_free(reach);
    free(dir);
}

/* A what-if run keeps its warnings (mp_whatif_warning_*); a run without
 * implausible values has none. */
static void whatif_run_warns(void **state)
{
    (void)state;
    mp_plan *plan = spring();
    const char *axes[] = {"inflation=0%..200%/50%", "cpm:meta=-99.5%,0%"};
    mp_whatif *w = NULL;
    assert_int_equal(mp_whatif_run(plan, axes, 2, NULL, &w), MP_OK);
    assert_int_equal(mp_whatif_count(w), 10);
    assert_int_equal(mp_whatif_warning_count(w), 2);
    /* 0, 50, 100, 150, 200 %: the last two above 100 %; 7.5 x 0.005 */
    assert_string_equal(mp_whatif_warning(w, 0),
                        "--vary inflation=0%..200%/50%: 150%, 200% are outside the typical range "
                        "of a yearly cost inflation (-50% to 100%)");
    assert_string_equal(mp_whatif_warning(w, 1),
                        "--vary cpm:meta=-99.5%,0%: the CPM of meta, 7.5 EUR in the plan, becomes "
                        "0.0375 EUR at -99.5%: outside the typical range of a CPM (0.1 EUR to "
                        "500 EUR)");
    assert_null(mp_whatif_warning(w, 2));
    mp_whatif_free(w);
    const char *plain[] = {"budget=400k,500k"};
    assert_int_equal(mp_whatif_run(plan, plain, 1, NULL, &w), MP_OK);
    assert_int_equal(mp_whatif_warning_count(w), 0);
    mp_whatif_free(w);
    mp_plan_free(plan);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reads_ranges),      cmocka_unit_test(reads_lists_and_targets),
        cmocka_unit_test(rejects_bad_specs), cmocka_unit_test(warns_on_implausible_values),
        cmocka_unit_test(whatif_run_warns),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
