/* Failure injection: a full optimize of the spring example (load, solve,
 * JSON, workbook, frees) with the Nth allocation made to fail, for N = 1, 2,
 * ... until a run makes fewer than N allocations and so completes untouched;
 * the same for a what-if run over one axis of three budgets and for the
 * example made infeasible (its explanation), and for the first steps of a
 * what-if run whose axes give warnings. A run that meets its failure
 * must end with MP_ERR_NOMEM and "out of memory" in mp_last_error(), or, when
 * the failure was retried and got over (libcsv asks again for less), succeed
 * with the untouched run's JSON byte for byte. It must not crash and must
 * leave no file behind but the outputs its calls reported as written (no
 * temporary file, no output of the call that failed). Leaks are caught by
 * `make test-asan`, which runs this test under AddressSanitizer with
 * LeakSanitizer: a leak on any path fails it.
 *
 * Only allocations through mpi_realloc() can be made to fail: mixplan's own
 * and libcsv's (its realloc function is the base allocator's). The other
 * outside libraries (GLPK, libxlsxwriter, cJSON, PCRE2, inih) allocate on
 * their own and are not injected. (Text encodings are converted by
 * engine/base/utf8.c through the base allocator; tests/unit/test_utf8.c
 * fails each allocation of a Windows-1252 plan and table.)
 *
 * Cost, measured on the 2-core machine (every N, MP_FAILINJECT_ALL=1; all
 * clean, 2 runs of each recovered):
 *   run         allocations   every N, RelWithDebInfo   every N, ASan
 *   optimize        4,474           27 s                   181 s
 *   what-if         6,085           75 s                   388 s
 *   infeasible      4,485           27 s                   173 s
 * (of optimize's 4,474: loading 1,826, solving 2,633, JSON 3, workbook 12.)
 * Under ASan that is over twelve minutes, so ctest tries every N up to a
 * bound, every stride-th N beyond it and every N of the last TAIL (the
 * outputs being written). Optimize's bound covers the whole of loading the
 * plan and its datasets, which holds most of the allocation sites; the
 * what-if and infeasible runs load the same way, so their bound is lower.
 * Since shadow prices, ranging and the baseline came in (2026-11), a run
 * allocates more (optimize 6,839, what-if 11,717, infeasible 5,788) and an
 * infeasible run, with its explanation's solves, takes 0.13 s: optimize
 * tries about 2,100 N (13 s), what-if about 420 (13 s), infeasible about
 * 170 (22 s), about five times that under ASan. Strides are primes so that
 * the N tried fall at different points of repeated steps.
 * MP_FAILINJECT_ALL=1 tries every N; MP_FAILINJECT_AT=N tries only N (to
 * debug one run); MP_TEST_FILTER=name runs one test. */
#include "helpers.h"

#include <dirent.h>
#include <limits.h>
#include <time.h>

#include "base.h"

/* Every N up to DENSE, then every STRIDE-th, and every N of the last TAIL
 * (see the figures above). */
#define TAIL              30
#define OPTIMIZE_DENSE    2000
#define OPTIMIZE_STRIDE   53
#define WHATIF_DENSE      300
#define WHATIF_STRIDE     97
#define INFEASIBLE_DENSE  100
#define INFEASIBLE_STRIDE 131

static const char *plan_path(void)
{
    static char path[1024];
    snprintf(path, sizeof path, "%s/datasets/examples/spring_launch.ini", MP_SOURCE_DIR);
    return path;
}

/* The output files of a run and which of them were written whole (like the
 * CLI, a run writes the JSON, then the workbook: when the workbook fails the
 * JSON written before it stays), and an untouched run's outputs. */
typedef struct outputs {
    char dir[512], json[600], xlsx[600];
    int json_done, xlsx_done;
    int no_xlsx;    /* the run writes no workbook */
    char *ref_json; /* the untouched run's JSON */
    size_t ref_json_n;
} outputs;

static void outputs_init(outputs *o)
{
    memset(o, 0, sizeof *o);
    char *dir = test_tmpdir();
    snprintf(o->dir, sizeof o->dir, "%s", dir);
    snprintf(o->json, sizeof o->json, "%s/out.json", dir);
    snprintf(o->xlsx, sizeof o->xlsx, "%s/out.xlsx", dir);
    free(dir);
}

static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    size_t cap = 1 << 16, len = 0;
    char *b = malloc(cap);
    size_t got;
    while (b && (got = fread(b + len, 1, cap - len, f)) > 0)
        if ((len += got) == cap)
            b = realloc(b, cap *= 2);
    fclose(f);
    assert_non_null(b);
    *n = len;
    return b;
}

/* 1 when the file at path holds exactly ref[0..n) (n 0: when it starts as a
 * zip container, a workbook, does). */
static int same_bytes(const char *path, const char *ref, size_t n)
{
    size_t len;
    char *b = slurp(path, &len);
    int same = n ? len == n && !memcmp(b, ref, n) : len > 4 && !memcmp(b, "PK\3\4", 4);
    free(b);
    return same;
}

/* Files of the directory other than the outputs the run reported as written
 * (a temporary or half-written file); the first one's name in stray. */
static int stray_files(const outputs *o, char *stray, size_t n)
{
    DIR *d = opendir(o->dir);
    assert_non_null(d);
    int bad = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        const char *f = e->d_name;
        if (!strcmp(f, ".") || !strcmp(f, ".."))
            continue;
        if ((!strcmp(f, "out.json") && o->json_done) || (!strcmp(f, "out.xlsx") && o->xlsx_done))
            continue;
        if (!bad++)
            snprintf(stray, n, "%s", f);
    }
    closedir(d);
    return bad;
}

/* 1 when the run wrote both outputs as the untouched run did: the same JSON,
 * byte for byte, and a workbook (its bytes hold the time it was written, and
 * so does its zipped size). */
static int same_outputs(const outputs *o)
{
    return o->json_done && same_bytes(o->json, o->ref_json, o->ref_json_n) &&
           (o->no_xlsx || (o->xlsx_done && same_bytes(o->xlsx, NULL, 0)));
}

static void outputs_clear(outputs *o)
{
    remove(o->json);
    remove(o->xlsx);
    o->json_done = o->xlsx_done = 0;
}

/* The optimize command's library calls, every handle freed on every path. */
static mp_status optimize_run(outputs *o)
{
    mp_plan *plan = NULL;
    mp_solution *sol = NULL;
    mp_status st = mp_plan_load(plan_path(), &plan);
    if (st == MP_OK)
        st = mp_plan_solve(plan, NULL, &sol);
    if (st == MP_OK && mp_solution_result(sol) != MP_RESULT_OPTIMAL)
        st = MP_ERR_INTERNAL; /* the example has a plan: anything else is a defect */
    if (st == MP_OK)
        o->json_done = (st = mp_solution_write_json(sol, o->json)) == MP_OK;
    if (st == MP_OK)
        o->xlsx_done = (st = mp_solution_write_xlsx(sol, o->xlsx)) == MP_OK;
    mp_solution_free(sol);
    mp_plan_free(plan);
    return st;
}

/* A what-if run over one small axis, written to JSON and a workbook. */
static mp_status whatif_run(outputs *o)
{
    mp_plan *plan = NULL;
    mp_whatif *w = NULL;
    const char *axes[] = {"budget=400k,450k,500k"};
    mp_status st = mp_plan_load(plan_path(), &plan);
    if (st == MP_OK)
        st = mp_whatif_run(plan, axes, 1, NULL, &w);
    if (st == MP_OK && mp_whatif_count(w) != 3)
        st = MP_ERR_INTERNAL;
    if (st == MP_OK)
        o->json_done = (st = mp_whatif_write_json(w, o->json)) == MP_OK;
    if (st == MP_OK)
        o->xlsx_done = (st = mp_whatif_write_xlsx(w, o->xlsx)) == MP_OK;
    mp_whatif_free(w);
    mp_plan_free(plan);
    return st;
}

/* The spring example with a conversions floor no budget reaches: solved, it
 * is infeasible and explained (the explanation's own solves and messages);
 * its JSON is written, no workbook (there is no plan to write). */
static mp_status infeasible_run(outputs *o)
{
    o->no_xlsx = 1;
    FILE *f = fopen(plan_path(), "rb");
    assert_non_null(f);
    char text[8192];
    size_t n = fread(text, 1, sizeof text - 200, f);
    fclose(f);
    snprintf(text + n, sizeof text - n,
             "\n[constraint \"impossible\"]\nexpr = conversions >= 1M\n");
    char base[1024];
    snprintf(base, sizeof base, "%s/datasets/examples", MP_SOURCE_DIR);
    mp_plan *plan = NULL;
    mp_solution *sol = NULL;
    mp_status st = mp_plan_load_buffer(text, strlen(text), base, &plan);
    if (st == MP_OK)
        st = mp_plan_solve(plan, NULL, &sol);
    if (st == MP_OK && mp_solution_result(sol) != MP_RESULT_INFEASIBLE)
        st = MP_ERR_INTERNAL;
    if (st == MP_OK)
        o->json_done = (st = mp_solution_write_json(sol, o->json)) == MP_OK;
    mp_solution_free(sol);
    mp_plan_free(plan);
    return st;
}

/* A small plan against a current plan ([plan] baseline) over its budget and
 * a channel cap, spread by seasonality: the baseline's reading, curves,
 * figures and reports (few allocations: every N is tried). */
static mp_status baseline_run(outputs *o)
{
    static char dir[512];
    if (!*dir) {
        char *d = test_tmpdir(), path[600];
        snprintf(dir, sizeof dir, "%s", d);
        free(d);
        snprintf(path, sizeof path, "%s/current.csv", dir);
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        fputs("channel,spend\na,90k\nb,40k\n", f);
        fclose(f);
    }
    static const char text[] = "[plan]\nbudget = 100k\nstart = 2027-03-01\nperiods = 3\n"
                               "seasonality = 1, 1.5, 0.5\nbaseline = current.csv\n"
                               "[channel \"a\"]\ntype = curve\ncurve = exp\nbeta = 1000\n"
                               "k = 20k\n[channel \"b\"]\ntype = curve\ncurve = hill\n"
                               "beta = 800\nec = 30k\nslope = 1\nmax_spend = 30k\n"
                               "[constraint \"b-share\"]\nexpr = share(b) >= 20%\n";
    mp_plan *plan = NULL;
    mp_solution *sol = NULL;
    mp_status st = mp_plan_load_buffer(text, strlen(text), dir, &plan);
    if (st == MP_OK)
        st = mp_plan_solve(plan, NULL, &sol);
    if (st == MP_OK)
        o->json_done = (st = mp_solution_write_json(sol, o->json)) == MP_OK;
    if (st == MP_OK)
        o->xlsx_done = (st = mp_solution_write_xlsx(sol, o->xlsx)) == MP_OK;
    mp_solution_free(sol);
    mp_plan_free(plan);
    return st;
}

typedef mp_status (*run_fn)(outputs *o);

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

enum { UNTOUCHED, FAILED, RECOVERED };

/* One run with allocation n failing: UNTOUCHED when the run ended before
 * allocation n (it must succeed), FAILED when it failed cleanly, RECOVERED
 * when it succeeded all the same with the untouched run's outputs, byte for
 * byte (libcsv retries a failed buffer growth with a smaller one). */
static int run_failing_at(run_fn run, outputs *o, unsigned long n)
{
    mpi_alloc_fail_at(n);
    mp_status st = run(o);
    unsigned long made = mpi_alloc_count();
    mpi_alloc_fail_at(0);
    char stray[256] = "";
    int strays = stray_files(o, stray, sizeof stray);
    int same = st == MP_OK && same_outputs(o);
    outputs_clear(o);
    int clean = st == MP_OK ? same
                            : made >= n && st == MP_ERR_NOMEM &&
                                  strstr(mp_last_error(), "out of memory") != NULL;
    if (!clean || strays)
        fprintf(
            stderr,
            "allocation %lu of %lu failing: status %s, message \"%s\", %d stray file(s)%s%s%s\n", n,
            made, mp_strerror(st), mp_last_error(), strays, strays ? ": " : "", stray,
            st == MP_OK && !same ? ", outputs differ" : "");
    assert_int_equal(strays, 0);
    if (made < n || st == MP_OK) {
        assert_int_equal(st, MP_OK);
        assert_true(same);
        return made < n ? UNTOUCHED : RECOVERED;
    }
    assert_int_equal(st, MP_ERR_NOMEM);
    assert_contains(mp_last_error(), "out of memory");
    return FAILED;
}

typedef struct sweep_result {
    unsigned long allocs;    /* allocations of an untouched run */
    unsigned long tried;     /* runs with an injected failure */
    unsigned long recovered; /* of which succeeded with the same outputs */
    double seconds;
} sweep_result;

/* An untouched run, its outputs kept as the reference, then N = 1 .. dense,
 * every stride-th N beyond and every N of the last TAIL allocations (writing
 * the outputs, freeing), until a run ends before its Nth allocation. */
static sweep_result sweep(run_fn run, unsigned long dense, unsigned long stride)
{
    outputs o;
    outputs_init(&o);
    sweep_result r = {0, 0, 0, 0};
    mpi_alloc_fail_at(0);
    assert_int_equal(run(&o), MP_OK);
    r.allocs = mpi_alloc_count();
    assert_true(o.json_done && (o.xlsx_done || o.no_xlsx));
    o.ref_json = slurp(o.json, &o.ref_json_n);
    outputs_clear(&o);
    double t0 = now_s();
    int res;
    for (unsigned long n = 1; (res = run_failing_at(run, &o, n)) != UNTOUCHED;
         n += n < dense || n + TAIL >= r.allocs ? 1 : stride) {
        r.tried++;
        r.recovered += res == RECOVERED;
    }
    r.seconds = now_s() - t0;
    free(o.ref_json);
    rmdir(o.dir);
    return r;
}

static int sweep_all(void)
{
    const char *all = getenv("MP_FAILINJECT_ALL");
    return all && *all == '1';
}

/* MP_FAILINJECT_AT=N: only that N (to debug one failing run). */
static unsigned long only_at(void)
{
    const char *at = getenv("MP_FAILINJECT_AT");
    return at ? strtoul(at, NULL, 10) : 0;
}

static void run_only_at(run_fn run)
{
    outputs o;
    outputs_init(&o);
    mpi_alloc_fail_at(0);
    assert_int_equal(run(&o), MP_OK);
    o.ref_json = slurp(o.json, &o.ref_json_n);
    outputs_clear(&o);
    run_failing_at(run, &o, only_at());
    free(o.ref_json);
    rmdir(o.dir);
}

/* The sweep of one kind of run (or only MP_FAILINJECT_AT), with its figures. */
static void sweep_and_report(const char *name, run_fn run, unsigned long dense,
                             unsigned long stride)
{
    if (only_at()) {
        run_only_at(run);
        return;
    }
    sweep_result r = sweep(run, sweep_all() ? ULONG_MAX : dense, stride);
    fprintf(stderr,
            "%s: %lu allocations a run; %lu runs with a failing allocation, all clean "
            "(%lu recovered); %.1f s\n",
            name, r.allocs, r.tried, r.recovered, r.seconds);
    assert_true(r.tried > 0);
}

static void optimize_fails_cleanly(void **state)
{
    (void)state;
    sweep_and_report("optimize", optimize_run, OPTIMIZE_DENSE, OPTIMIZE_STRIDE);
}

static void whatif_fails_cleanly(void **state)
{
    (void)state;
    sweep_and_report("whatif", whatif_run, WHATIF_DENSE, WHATIF_STRIDE);
}

static void baseline_fails_cleanly(void **state)
{
    (void)state;
    sweep_and_report("baseline", baseline_run, ULONG_MAX, 1);
}

static void infeasible_fails_cleanly(void **state)
{
    (void)state;
    sweep_and_report("infeasible", infeasible_run, INFEASIBLE_DENSE, INFEASIBLE_STRIDE);
}

/* The what-if run's axes and their warnings: a run whose two axes each give
 * a warning and then clash (the same axis twice, refused once both are read)
 * with allocation N failing, N = 1, 2 ... until the run ends before its Nth:
 * each ends with MP_ERR_NOMEM and no run, or, untouched, with the clash
 * (leaks are LeakSanitizer's, under `make test-asan`). */
static void whatif_warnings_fail_cleanly(void **state)
{
    (void)state;
    mp_plan *plan = NULL;
    assert_int_equal(mp_plan_load(plan_path(), &plan), MP_OK);
    const char *axes[] = {"inflation=0%..200%/50%", "inflation=0%..200%/50%"};
    unsigned long n = 1, tried = 0;
    for (;; n++) {
        mp_whatif *w = (mp_whatif *)plan; /* must come back NULL */
        mpi_alloc_fail_at(n);
        mp_status st = mp_whatif_run(plan, axes, 2, NULL, &w);
        unsigned long made = mpi_alloc_count();
        mpi_alloc_fail_at(0);
        assert_null(w);
        if (made < n) {
            assert_int_equal(st, MP_ERR_INPUT);
            assert_contains(mp_last_error(), "is given twice");
            break;
        }
        assert_int_equal(st, MP_ERR_NOMEM);
        assert_contains(mp_last_error(), "out of memory");
        tried++;
    }
    fprintf(stderr, "whatif warnings: %lu allocations, each failing cleanly\n", tried);
    assert_true(tried >= 8); /* the run, two axes of four allocations, two warnings */
    mp_plan_free(plan);
}

int main(void)
{
    if (getenv("MP_TEST_FILTER")) /* one test by name, e.g. whatif_fails_cleanly */
        cmocka_set_test_filter(getenv("MP_TEST_FILTER"));
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(optimize_fails_cleanly),       cmocka_unit_test(whatif_fails_cleanly),
        cmocka_unit_test(whatif_warnings_fail_cleanly), cmocka_unit_test(infeasible_fails_cleanly),
        cmocka_unit_test(baseline_fails_cleanly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
