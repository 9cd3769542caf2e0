/* mp_plan_load_buffer: a plan from memory (not NUL-terminated), dataset paths
 * relative to a base directory, messages naming "<buffer>" and the line. */
#include "helpers.h"

#include <math.h>

#define EXAMPLES MP_SOURCE_DIR "/datasets/examples"

/* The file's bytes in a buffer of exactly their length (no NUL after them:
 * under ASan a read past the end fails the test). */
static char *read_exact(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    long n = ftell(f);
    assert_true(n > 0);
    rewind(f);
    char *buf = malloc((size_t)n);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static mp_solution *solve(const mp_plan *plan)
{
    mp_solution *sol = NULL;
    assert_int_equal(mp_plan_solve(plan, NULL, &sol), MP_OK);
    assert_int_equal(mp_solution_result(sol), MP_RESULT_OPTIMAL);
    return sol;
}

static void buffer_and_file_give_the_same_plan(void **state)
{
    (void)state;
    size_t len = 0;
    char *text = read_exact(EXAMPLES "/spring_launch.ini", &len);
    mp_plan *from_buf = NULL, *from_file = NULL;
    mp_status st = mp_plan_load_buffer(text, len, EXAMPLES, &from_buf);
    if (st != MP_OK)
        fprintf(stderr, "%s\n", mp_last_error());
    assert_int_equal(st, MP_OK);
    free(text); /* the plan keeps no pointer into the caller's text */
    assert_int_equal(mp_plan_load(EXAMPLES "/spring_launch.ini", &from_file), MP_OK);
    assert_int_equal(mp_plan_warning_count(from_buf), mp_plan_warning_count(from_file));
    assert_int_equal(mp_plan_note_count(from_buf), mp_plan_note_count(from_file));
    mp_solution *a = solve(from_buf), *b = solve(from_file);
    assert_true(fabs(mp_solution_objective(a) - mp_solution_objective(b)) <=
                1e-9 * fabs(mp_solution_objective(b)));
    assert_int_equal(mp_solution_channel_count(a), mp_solution_channel_count(b));
    for (size_t c = 0; c < mp_solution_channel_count(a); c++) {
        assert_string_equal(mp_solution_channel_name(a, c), mp_solution_channel_name(b, c));
        double sa = mp_solution_channel_spend(a, c), sb = mp_solution_channel_spend(b, c);
        assert_true(fabs(sa - sb) <= 1e-9 * (1 + fabs(sb)));
    }
    mp_solution_free(a);
    mp_solution_free(b);
    mp_plan_free(from_buf);
    mp_plan_free(from_file);
}

static void relative_paths_follow_the_base_dir(void **state)
{
    (void)state;
    size_t len = 0;
    char *text = read_exact(EXAMPLES "/spring_launch.ini", &len);
    mp_plan *plan = NULL;
    /* from another directory, ../co2/factors.csv names nothing: the message
     * gives the path as resolved against that directory */
    char *dir = test_tmpdir();
    assert_int_not_equal(mp_plan_load_buffer(text, len, dir, &plan), MP_OK);
    assert_null(plan);
    char want[600];
    snprintf(want, sizeof want, "%s/../co2/factors.csv", dir);
    assert_contains(mp_last_error(), want);
    free(dir);
    free(text);
}

static void only_len_bytes_are_read(void **state)
{
    (void)state;
    /* the valid plan ends before a line that would be a syntax error */
    static const char text[] = "[plan]\nbudget = 10k\nstart = 2027-03-01\nperiods = 1\n"
                               "[channel \"c\"]\ntype = curve\ncurve = exp\nbeta = 100\nk = 20k\n"
                               "not a key value line\n";
    size_t len = strlen(text) - strlen("not a key value line\n");
    mp_plan *plan = NULL;
    assert_int_equal(mp_plan_load_buffer(text, len, NULL, &plan), MP_OK);
    mp_solution *sol = solve(plan);
    /* exp curve: one channel takes the whole budget */
    assert_true(fabs(mp_solution_channel_spend(sol, 0) - 10000) <= 1e-6 * 10000);
    mp_solution_free(sol);
    mp_plan_free(plan);
    assert_int_equal(mp_plan_load_buffer(text, strlen(text), NULL, &plan), MP_ERR_INPUT);
    assert_contains(mp_last_error(), "<buffer>:10: syntax error");
}

static void messages_name_the_buffer_and_line(void **state)
{
    (void)state;
    static const char bad_value[] = "[plan]\nbudget = 10k\nstart = 2027-03-01\nperiods = two\n";
    mp_plan *plan = NULL;
    assert_int_equal(mp_plan_load_buffer(bad_value, sizeof bad_value - 1, NULL, &plan),
                     MP_ERR_INPUT);
    assert_null(plan);
    assert_contains(mp_last_error(), "<buffer>:4:");
    assert_contains(mp_last_error(), "periods");
    assert_int_equal(mp_plan_load_buffer("", 0, NULL, &plan), MP_ERR_INPUT);
    assert_contains(mp_last_error(), "<buffer>: empty plan file");
    static const char nul[] = "[plan]\nbudget = 1\0k\n";
    assert_int_equal(mp_plan_load_buffer(nul, sizeof nul - 1, NULL, &plan), MP_ERR_INPUT);
    assert_contains(mp_last_error(), "<buffer>: not a text file");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(buffer_and_file_give_the_same_plan),
        cmocka_unit_test(relative_paths_follow_the_base_dir),
        cmocka_unit_test(only_len_bytes_are_read),
        cmocka_unit_test(messages_name_the_buffer_and_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
