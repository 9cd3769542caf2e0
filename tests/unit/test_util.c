/* Numbers, dates, suggestions, formatting. */
#include "helpers.h"
#include "adapters.h"
#include "plan.h"

static void parses_numbers_with_units(void **state)
{
    (void)state;
    double v;
    const char *why;
    assert_int_equal(mpi_parse_num("7.5", 0, NULL, &v, &why), 0);
    assert_true(v == 7.5);
    assert_int_equal(mpi_parse_num(" 30% ", MPI_U_PCT, NULL, &v, &why), 0);
    assert_true(fabs(v - 0.30) < 1e-15);
    assert_int_equal(mpi_parse_num("10k", MPI_U_KM, NULL, &v, &why), 0);
    assert_true(v == 10000);
    assert_int_equal(mpi_parse_num("1.5M", MPI_U_KM, NULL, &v, &why), 0);
    assert_true(v == 1500000);
    assert_int_equal(mpi_parse_num("450000 EUR", MPI_U_CUR, "EUR", &v, &why), 0);
    assert_true(v == 450000);
    assert_int_equal(mpi_parse_num("2t", MPI_U_TONNE, NULL, &v, &why), 0);
    assert_true(v == 2000);
}

static void rejects_bad_numbers(void **state)
{
    (void)state;
    double v;
    const char *why;
    const char *bad[] = {"7,5O", "nan",  "NaN", "inf", "-inf",  "1e400",
                         "",     "0x10", "abc", "5%",  "12 USD"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int rc = mpi_parse_num(bad[i], MPI_U_CUR, "EUR", &v, &why);
        if (rc == 0)
            fprintf(stderr, "accepted \"%s\"\n", bad[i]);
        assert_int_equal(rc, -1);
    }
    assert_int_equal(mpi_parse_num("12 USD", MPI_U_CUR, "EUR", &v, &why), -1);
    assert_string_equal(why, "currency differs from the plan's");
    mpi_loc loc = {"brief.ini", 14, "cpm"};
    assert_int_equal(mpi_get_pos("7,5O", 0, NULL, &loc, &v), MP_ERR_INPUT);
    assert_contains(mp_last_error(), "brief.ini:14: cpm: expected a positive number, got \"7,5O\"");
    assert_int_equal(mpi_get_pos("0", 0, NULL, &loc, &v), MP_ERR_INPUT);
    assert_int_equal(mpi_get_frac("120%", &loc, &v), MP_ERR_INPUT);
}

/* Day numbers checked against Python's datetime: 2027-03-01 is day 20878,
 * 2000-02-29 is day 11016. */
static void converts_dates(void **state)
{
    (void)state;
    assert_int_equal(mpi_days_from_civil(1970, 1, 1), 0);
    assert_int_equal(mpi_days_from_civil(2027, 3, 1), 20878);
    assert_int_equal(mpi_days_from_civil(2000, 2, 29), 11016);
    assert_int_equal(mpi_days_from_civil(1969, 12, 31), -1);
    int y, m, d;
    mpi_civil_from_days(20878, &y, &m, &d);
    assert_int_equal(y, 2027);
    assert_int_equal(m, 3);
    assert_int_equal(d, 1);
    long days;
    assert_int_equal(mpi_parse_date("2027-02-29", &days), -1);
    assert_int_equal(mpi_parse_date("2028-02-29", &days), 0);
    assert_int_equal(mpi_parse_date("2027-3-1", &days), -1);
    assert_int_equal(mpi_days_in_month(2028, 2), 29);
    assert_int_equal(mpi_days_in_month(2100, 2), 28);
}

static void suggests_close_words(void **state)
{
    (void)state;
    const char *keys[] = {"cpm", "ctr", "cvr", "audience", "max_frequency"};
    assert_string_equal(mpi_suggest("audiance", keys, 5), "audience");
    assert_string_equal(mpi_suggest("max_frequncy", keys, 5), "max_frequency");
    assert_null(mpi_suggest("budget", keys, 5));
}

static void formats_thousands(void **state)
{
    (void)state;
    char b[64];
    mpi_fmt_thousands(b, sizeof b, 450000, 0);
    assert_string_equal(b, "450,000");
    mpi_fmt_thousands(b, sizeof b, -1234567.891, 2);
    assert_string_equal(b, "-1,234,567.89");
    mpi_fmt_thousands(b, sizeof b, 999, 0);
    assert_string_equal(b, "999");
    mpi_sanitize_name(b, sizeof b, "tf1-prime é");
    assert_string_equal(b, "tf1_prime___");
}

static void check_cols(const char *text, int cols, const char *want)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    mpi_put_cols(f, text, cols);
    fclose(f);
    assert_string_equal(buf, want);
    free(buf);
}

/* Table cells are cut at a character boundary and padded to their width in
 * terminal columns, not bytes. */
static void writes_cells_by_columns(void **state)
{
    (void)state;
    check_cols("\xc3\xa9t\xc3\xa9", 5, "\xc3\xa9t\xc3\xa9  ");  /* "ete" with accents: 3 columns */
    check_cols("l\xc3\xa9ger", 3, "l\xc3\xa9g");                /* cut after 3 characters */
    check_cols("a\xc3\xa9", 1, "a");                            /* never half a character */
    check_cols("e\xcc\x81t", 3, "e\xcc\x81t ");                 /* a combining accent: 0 */
    check_cols("\xe6\x97\xa5\xe6\x9c\xac", 3, "\xe6\x97\xa5 "); /* wide: 2 columns each */
    check_cols("a\xff"
               "b\tc",
               5, "a?b?c");           /* not UTF-8, a control */
    check_cols("\xe2\x82", 3, "?? "); /* a cut sequence */
    check_cols("", 2, "  ");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parses_numbers_with_units), cmocka_unit_test(writes_cells_by_columns),
        cmocka_unit_test(rejects_bad_numbers),       cmocka_unit_test(converts_dates),
        cmocka_unit_test(suggests_close_words),      cmocka_unit_test(formats_thousands),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
