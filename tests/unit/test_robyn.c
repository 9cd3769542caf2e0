/* Robyn model exports: the JSON reader (engine/adapters/json.c) on the
 * shapes R's jsonlite writes, and failure injection over a load and solve of
 * the bundled example (datasets/examples/robyn_import.ini: four channels
 * whose curves and adstock come from the export, the inflexion from its
 * data). With the Nth allocation made to fail, each run ends with
 * MP_ERR_NOMEM and "out of memory" in mp_last_error(), or, when it makes
 * fewer than N or got over the failure, with the untouched run's objective
 * to the bit; leaks are LeakSanitizer's under the ASan build. cJSON
 * allocates through the engine's allocator, so its allocations are among
 * the N tried.
 *
 * Sampled: every N up to DENSE (the plan, the export and the data read),
 * then every STRIDE-th N and every N of the last TAIL. Measured on the
 * 2-core machine (RelWithDebInfo): 8,629 allocations a run, 568 runs with
 * one failing, 0.7 s. MP_FAILINJECT_ALL=1 tries every N. */
#include "helpers.h"

#include <math.h>

#include "base.h"
#include "json.h"

#define DENSE  300
#define STRIDE 31
#define TAIL   20

static void reads_jsonlite_scalars(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    char *path = test_write(dir, "a.json",
                            "{\"a\": [0.25], \"b\": 3, \"c\": [1, 2], \"s\": [\"week\"],\n"
                            " \"t\": \"day\", \"u\": [\"x\", \"y\"], \"o\": {\"k\": [7]}}\n");
    mpi_jdoc *d = NULL;
    assert_int_equal(mpi_jdoc_read(path, &d), MP_OK);
    const mpi_jval *root = mpi_jdoc_root(d);
    double v = 0;
    assert_int_equal(mpi_jval_num(mpi_jval_get(root, "a"), &v), 0);
    assert_true(v == 0.25);
    assert_int_equal(mpi_jval_num(mpi_jval_get(root, "b"), &v), 0);
    assert_true(v == 3);
    assert_int_equal(mpi_jval_num(mpi_jval_get(root, "c"), &v), -1); /* two values: no scalar */
    assert_int_equal(mpi_jval_num(mpi_jval_get(root, "s"), &v), -1); /* text */
    assert_int_equal(mpi_jval_num(mpi_jval_get(root, "nope"), &v), -1);
    assert_string_equal(mpi_jval_str(mpi_jval_get(root, "s")), "week");
    assert_string_equal(mpi_jval_str(mpi_jval_get(root, "t")), "day");
    assert_null(mpi_jval_str(mpi_jval_get(root, "u")));
    assert_int_equal(mpi_jval_count(mpi_jval_get(root, "u")), 2);
    assert_string_equal(mpi_jval_str(mpi_jval_at(mpi_jval_get(root, "u"), 1)), "y");
    assert_null(mpi_jval_at(mpi_jval_get(root, "u"), 2));
    assert_int_equal(mpi_jval_num(mpi_jval_get(mpi_jval_get(root, "o"), "k"), &v), 0);
    assert_true(v == 7);
    assert_null(mpi_jval_get(mpi_jval_get(root, "a"), "k")); /* not an object */
    mpi_jdoc_free(d);
    mpi_jdoc_free(NULL);
    free(path);
    free(dir);
}

static void bad_json_names_its_line(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    char *path = test_write(dir, "bad.json", "{\n  \"a\": [1,\n  \"b\" 2\n}\n");
    mpi_jdoc *d = NULL;
    assert_int_equal(mpi_jdoc_read(path, &d), MP_ERR_INPUT);
    assert_null(d);
    assert_non_null(strstr(mp_last_error(), "bad.json:3: "));
    assert_non_null(strstr(mp_last_error(), "not valid JSON"));
    free(path);
    free(dir);
}

static mp_status run_once(const char *path, double *objective)
{
    mp_plan *plan = NULL;
    mp_solution *sol = NULL;
    mp_status st = mp_plan_load(path, &plan);
    if (st == MP_OK)
        st = mp_plan_solve(plan, NULL, &sol);
    if (st == MP_OK)
        *objective = mp_solution_objective(sol);
    mp_solution_free(sol);
    mp_plan_free(plan);
    return st;
}

static void example_fails_cleanly(void **state)
{
    (void)state;
    const char *path = MP_SOURCE_DIR "/datasets/examples/robyn_import.ini";
    int all = getenv("MP_FAILINJECT_ALL") && *getenv("MP_FAILINJECT_ALL") == '1';
    double want = NAN, got;
    mpi_alloc_fail_at(0);
    assert_int_equal(run_once(path, &want), MP_OK);
    unsigned long total = mpi_alloc_count(), failed = 0;
    assert_true(isfinite(want) && want > 0);
    for (unsigned long n = 1;; n += all || n < DENSE || n + TAIL >= total ? 1 : STRIDE) {
        got = NAN;
        mpi_alloc_fail_at(n);
        mp_status st = run_once(path, &got);
        unsigned long made = mpi_alloc_count();
        mpi_alloc_fail_at(0);
        if (made < n || st == MP_OK) {
            assert_int_equal(st, MP_OK);
            assert_true(got == want);
            if (made < n)
                break;
            continue;
        }
        if (st != MP_ERR_NOMEM)
            fprintf(stderr, "allocation %lu of %lu failing: %s (%s)\n", n, made, mp_strerror(st),
                    mp_last_error());
        assert_int_equal(st, MP_ERR_NOMEM);
        assert_non_null(strstr(mp_last_error(), "out of memory"));
        failed++;
    }
    fprintf(stderr, "robyn example: %lu allocations, %lu runs with one failing, all clean\n", total,
            failed);
    assert_true(failed > 100);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reads_jsonlite_scalars),
        cmocka_unit_test(bad_json_names_its_line),
        cmocka_unit_test(example_fails_cleanly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
