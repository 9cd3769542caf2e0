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
#include "inject.h"

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

static void example_fails_cleanly(void **state)
{
    (void)state;
    inject_plan run = {MP_SOURCE_DIR "/datasets/examples/robyn_import.ini", NULL, 0, 0};
    inject_sample sample = {DENSE, STRIDE, TAIL};
    assert_true(inject_sweep("robyn example", inject_plan_run, &run, sample) > 100);
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
