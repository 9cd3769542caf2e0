/* The JSON writer against cJSON, the library whose text the JSON has always
 * been: numbers (the exact fast path and its fallbacks) over a few hundred
 * thousand doubles of every kind, and a document of every shape (nesting,
 * empty containers, escapes, stale handles) printed by both. */
#include "json.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <errno.h>
#include <float.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng = 0x9E3779B97F4A7C15ULL;
static uint64_t next_u64(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static double uniform(void)
{
    return (double)(next_u64() >> 11) / 9007199254740992.0;
}

/* cJSON's text of one number. */
static void cjson_number(double v, char *buf, size_t n)
{
    cJSON *c = cJSON_CreateNumber(v);
    char *t = cJSON_PrintUnformatted(c);
    snprintf(buf, n, "%s", t);
    cJSON_free(t);
    cJSON_Delete(c);
}

static void same_as_cjson(double v)
{
    char want[64], got[MPI_JSON_NUM_MAX];
    cjson_number(v, want, sizeof want);
    size_t n = mpi_json_format_number(got, v);
    if (strcmp(want, got) != 0 || n != strlen(want))
        fail_msg("%.17g: cJSON %s, mixplan %s", v, want, got);
}

/* A double of one of the kinds a report holds. */
static double sample(int kind)
{
    switch (kind) {
    case 0: /* any bits of a normal double between 1e-30 and 1e30 */
        return (uniform() < 0.5 ? -1 : 1) * pow(10, -30 + 60 * uniform()) * (1 + uniform());
    case 1: /* money in cents */ return round(uniform() * 1e7) / 100;
    case 2: /* a figure computed from others, in the ranges of a plan */
        return (1 + 1e6 * pow(uniform(), 3)) / (3 + 97 * uniform());
    case 3: /* a share or a rate */ return uniform();
    case 4: /* integers around the int range's ends */
        return (double)INT_MAX + floor(4 * uniform()) - 2 + (uniform() < 0.3 ? 0.5 : 0);
    case 5: /* short decimals, where %.15g is exact */
        return (double)(int64_t)(next_u64() % 2000000) / pow(10, (double)(next_u64() % 9));
    default: { /* raw bit patterns, subnormals and huge values included */
        uint64_t bits = next_u64();
        double v;
        memcpy(&v, &bits, sizeof v);
        return v;
    }
    }
}

static void numbers_are_cjsons(void **state)
{
    (void)state;
    static const double fixed[] = {0.0,
                                   -0.0,
                                   1.0,
                                   -1.0,
                                   0.1,
                                   0.5,
                                   1e-5,
                                   1e-4,
                                   1e-7,
                                   1e15,
                                   1e16,
                                   1e17,
                                   1e21,
                                   123456.0,
                                   2.5e-310,
                                   DBL_MAX,
                                   DBL_MIN,
                                   INFINITY,
                                   -INFINITY,
                                   NAN,
                                   (double)INT_MAX,
                                   (double)INT_MIN,
                                   2147483647.5,
                                   -2147483648.5,
                                   0.3,
                                   2.0 / 3,
                                   1e300,
                                   4.35,
                                   9.999999999999999e22,
                                   0.1 + 0.2,
                                   1 - 1e-16,
                                   1 + 2e-16};
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        same_as_cjson(fixed[i]);
    /* sampled: enough to meet every branch many times, under a second */
    for (int i = 0; i < 300000; i++)
        same_as_cjson(sample(i % 7));
    /* neighbours of powers of two and ten, where the spacing of doubles and
     * the rounding of digits turn over */
    for (int e = -40; e < 60; e++)
        for (int k = -4; k <= 4; k++)
            same_as_cjson(ldexp(1, e) * (1 + k * DBL_EPSILON / 2));
    for (int e = -10; e < 25; e++)
        for (int k = -4; k <= 4; k++)
            same_as_cjson(pow(10, e) * (1 + k * DBL_EPSILON));
}

/* The same document built through both, printed by both. */
static void documents_are_cjsons(void **state)
{
    (void)state;
    mpi_json *j = mpi_json_new();
    mpi_json_node *root = mpi_json_root(j);
    cJSON *c = cJSON_CreateObject();

    mpi_json_str(j, root, "name", "a \"quoted\" \\ tab\t line\n ctrl\x01 é");
    cJSON_AddStringToObject(c, "name", "a \"quoted\" \\ tab\t line\n ctrl\x01 é");
    mpi_json_str(j, root, "none", NULL);
    cJSON_AddNullToObject(c, "none");
    mpi_json_object(j, root, "empty_object");
    cJSON_AddObjectToObject(c, "empty_object");
    mpi_json_array(j, root, "empty_array");
    cJSON_AddArrayToObject(c, "empty_array");

    mpi_json_node *arr = mpi_json_array(j, root, "rows");
    cJSON *carr = cJSON_AddArrayToObject(c, "rows");
    for (int i = 0; i < 3; i++) {
        mpi_json_node *o = mpi_json_object(j, arr, NULL);
        cJSON *co = cJSON_CreateObject();
        cJSON_AddItemToArray(carr, co);
        mpi_json_num(j, o, "v", i / 3.0);
        cJSON_AddNumberToObject(co, "v", i / 3.0);
        mpi_json_bool(j, o, "odd", i & 1);
        cJSON_AddBoolToObject(co, "odd", i & 1);
        mpi_json_node *inner = mpi_json_array(j, o, "inner");
        cJSON *ci = cJSON_AddArrayToObject(co, "inner");
        for (int k = 0; k < i; k++) {
            mpi_json_num(j, inner, NULL, k * 1.5);
            cJSON_AddItemToArray(ci, cJSON_CreateNumber(k * 1.5));
        }
        mpi_json_object(j, inner, NULL);
        cJSON_AddItemToArray(ci, cJSON_CreateObject());
        /* back to the object after its array: the array is closed */
        mpi_json_num(j, o, "after", NAN);
        cJSON_AddNullToObject(co, "after");
    }
    mpi_json_node *deep = mpi_json_object(j, mpi_json_object(j, root, "a"), "b");
    cJSON *cdeep = cJSON_AddObjectToObject(cJSON_AddObjectToObject(c, "a"), "b");
    mpi_json_num(j, deep, "x", -2.5e-7);
    cJSON_AddNumberToObject(cdeep, "x", -2.5e-7);
    /* left open: writing closes it */

    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    assert_int_equal(mpi_json_write_to(j, mem), MP_OK);
    fclose(mem);
    char *want = cJSON_Print(c);
    size_t wn = strlen(want);
    assert_int_equal(len, wn + 1);
    assert_memory_equal(buf, want, wn);
    assert_int_equal(buf[wn], '\n');

    /* streamed: the same text */
    char *sbuf = NULL;
    size_t slen = 0;
    mem = open_memstream(&sbuf, &slen);
    mpi_json *s = mpi_json_new_to(mem);
    mpi_json_node *sr = mpi_json_root(s);
    mpi_json_str(s, sr, "name", "a \"quoted\" \\ tab\t line\n ctrl\x01 é");
    mpi_json_str(s, sr, "none", NULL);
    assert_int_equal(mpi_json_finish(s), MP_OK);
    fclose(mem);
    assert_memory_equal(sbuf, want, 40);
    mpi_json_free(s);
    free(sbuf);

    free(buf);
    cJSON_free(want);
    cJSON_Delete(c);
    mpi_json_free(j);
}

/* A value added to a closed container is a defect: the document is not
 * written rather than written in a wrong shape. */
static void closed_containers_take_nothing(void **state)
{
    (void)state;
    mpi_json *j = mpi_json_new();
    mpi_json_node *root = mpi_json_root(j);
    mpi_json_node *a = mpi_json_array(j, root, "a");
    mpi_json_num(j, root, "n", 1);
    mpi_json_num(j, a, NULL, 2); /* a was closed by n */
    FILE *null = fopen("/dev/null", "w");
    assert_int_equal(mpi_json_write_to(j, null), MP_ERR_INTERNAL);
    fclose(null);
    mpi_json_free(j);
}

/* A failed write of the JSON names the reason errno gives (the README's
 * promise), not the bare "write failed" it said for a permission error. */
static void write_errors_say_why(void **state)
{
    (void)state;
    assert_int_equal(mpi_write_error("out.json", "JSON", EACCES, "write failed"), MP_ERR_IO);
    assert_string_equal(mp_last_error(), "out.json: cannot write the JSON: Permission denied");
    assert_int_equal(mpi_write_error("out.json", "JSON", EROFS, "write failed"), MP_ERR_IO);
    assert_string_equal(mp_last_error(), "out.json: cannot write the JSON: Read-only file system");
    assert_int_equal(mpi_write_error("out.json", "JSON", 0, "write failed"), MP_ERR_IO);
    assert_string_equal(mp_last_error(), "out.json: cannot write the JSON: write failed");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(numbers_are_cjsons),
        cmocka_unit_test(documents_are_cjsons),
        cmocka_unit_test(closed_containers_take_nothing),
        cmocka_unit_test(write_errors_say_why),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
