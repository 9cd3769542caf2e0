/* Numbers, dates, suggestions, formatting. */
#include "helpers.h"
#include "adapters.h"
#include "plan.h"

#include <time.h>

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

/* The hints for numbers written another way: each expected spelling is the
 * input rewritten by hand (spaces and symbols dropped, comma made a point). */
static void hints_how_to_write_numbers(void **state)
{
    (void)state;
    char buf[192];
    const struct {
        const char *text;
        unsigned units;
        const char *hint;
    } cases[] = {
        {"300 000 \xE2\x82\xAC", MPI_U_KM | MPI_U_CUR, "write 300k or 300000"},
        {"300\xC2\xA0"
         "000",
         MPI_U_KM | MPI_U_CUR, "write 300k or 300000"},
        {"1 234 567", MPI_U_KM, "write 1234567"},
        {"2 000 000", MPI_U_KM, "write 2M or 2000000"},
        {"2 500 000", MPI_U_KM, "write 2500k or 2500000"},
        {"2 000 000", 0, "write 2000000"},
        {"1,5%", MPI_U_PCT, "write 1.5%"},
        {"7,25", MPI_U_CUR, "write 7.25"},
        {"110\xE2\x82\xAC", MPI_U_CUR, "write 110"},
        {"\xE2\x82\xAC"
         "110",
         MPI_U_CUR, "write 110"},
        {"$5", MPI_U_CUR, "write 5"},
        {"40 GRP", MPI_U_KM, "write 40"},
        {"40GRPs", MPI_U_KM, "write 40"},
        {"1,500", MPI_U_CUR, "write 1500 or 1.500"},
        {"5", MPI_U_PCT, "5 is read as 500 %; write 5% (or 0.05)"},
        {" 8 ", MPI_U_PCT, "8 is read as 800 %; write 8% (or 0.08)"},
        {"-12", MPI_U_PCT, "-12 is read as -1200 %; write -12% (or -0.12)"},
        {"30 GRP", MPI_U_PCT, "30 is read as 3000 %; write 30% (or 0.3)"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *h = mpi_num_hint(cases[i].text, cases[i].units, "EUR", buf, sizeof buf);
        if (!h || strcmp(h, cases[i].hint) != 0)
            fprintf(stderr, "\"%s\": hint \"%s\"\n", cases[i].text, h ? h : "(none)");
        assert_non_null(h);
        assert_string_equal(h, cases[i].hint);
    }
    /* nothing to suggest: legal values, a bare fraction, a word, a typo */
    const char *none[] = {"0.05", "5%", "300k", "abc", "7,5O", "1 %", "12 USD", "GRP"};
    for (size_t i = 0; i < sizeof none / sizeof none[0]; i++)
        assert_null(
            mpi_num_hint(none[i], MPI_U_PCT | MPI_U_KM | MPI_U_CUR, "EUR", buf, sizeof buf));
    /* a bare number above 1 is a fraction only where % is allowed */
    assert_null(mpi_num_hint("5", MPI_U_KM, NULL, buf, sizeof buf));
}

/* Rates and shares: a bare number is a fraction; above 1 it is refused with
 * the spelling that was meant; a legal but implausible value is a warning. */
static void refuses_bare_rates_above_one(void **state)
{
    (void)state;
    double v = -1;
    mpi_loc loc = {"brief.ini", 9, "ctr"};
    assert_int_equal(mpi_get_frac("5", &loc, &v), MP_ERR_INPUT);
    assert_string_equal(mp_last_error(),
                        "brief.ini:9: ctr: 5 is read as 500 %; write 5% (or 0.05)");
    assert_int_equal(mpi_get_frac("1", &loc, &v), MP_OK);
    assert_true(v == 1);
    assert_int_equal(mpi_get_frac("5%", &loc, &v), MP_OK);
    assert_true(fabs(v - 0.05) < 1e-15);
    mpi_loc rl = {"brief.ini", 5, "inflation"};
    assert_int_equal(mpi_get_rate("8", &rl, &v), MP_ERR_INPUT);
    assert_string_equal(mp_last_error(),
                        "brief.ini:5: inflation: 8 is read as 800 %; write 8% (or 0.08)");
    assert_int_equal(mpi_get_rate("-2", &rl, &v), MP_ERR_INPUT);
    assert_int_equal(mpi_get_rate("1001%", &rl, &v), MP_ERR_INPUT);
    assert_int_equal(mpi_get_rate("1,5%", &rl, &v), MP_ERR_INPUT);
    assert_contains(mp_last_error(), "write 1.5%");
    assert_int_equal(mpi_get_rate("800%", &rl, &v), MP_OK);
    assert_true(fabs(v - 8) < 1e-12);
    assert_int_equal(mpi_get_rate("-0.05", &rl, &v), MP_OK);
    assert_true(fabs(v + 0.05) < 1e-15);

    mpi_diag d = {0};
    double ctr = 0.9;
    assert_int_equal(mpi_check_typical(MP_OK, &d, &loc, "0.9", &ctr, &mpi_typical_ctr, NULL),
                     MP_OK);
    assert_int_equal(d.warn.n, 1);
    assert_string_equal(d.warn.v[0],
                        "brief.ini:9: ctr: 90% is outside the typical range of a click-through "
                        "rate (at most 20%); a number without % is a fraction: write 0.9% if 0.9 "
                        "% was meant");
    ctr = 0.2; /* the bound itself is typical */
    assert_int_equal(mpi_check_typical(MP_OK, &d, &loc, "20%", &ctr, &mpi_typical_ctr, NULL),
                     MP_OK);
    assert_int_equal(d.warn.n, 1);
    double cpm = 0.05;
    mpi_loc cl = {"brief.ini", 7, "cpm"};
    assert_int_equal(mpi_check_typical(MP_OK, &d, &cl, "0.05", &cpm, &mpi_typical_cpm, "EUR"),
                     MP_OK);
    assert_int_equal(d.warn.n, 2);
    assert_string_equal(d.warn.v[1], "brief.ini:7: cpm: 0.05 EUR is outside the typical range of "
                                     "a CPM (0.1 EUR to 500 EUR)");
    /* a failed read is passed on, without a warning */
    assert_int_equal(mpi_check_typical(MP_ERR_INPUT, &d, &cl, "x", &cpm, &mpi_typical_cpm, "EUR"),
                     MP_ERR_INPUT);
    assert_int_equal(d.warn.n, 2);
    mpi_diag_free(&d);
}

/* A plan whose every unit warning fires, loaded while each allocation in turn
 * fails: the load ends with MP_ERR_NOMEM and no plan, or loads with all six
 * warnings once the allocations run out. */
static void unit_warnings_fail_cleanly(void **state)
{
    (void)state;
    static const char text[] = "[plan]\nbudget = 100k\nstart = 2027-03-01\nuniverse = 10M\n"
                               "inflation = 150%\n"
                               "[channel \"m\"]\ntype = social\ncpm = 0.05\naudience = 1M\n"
                               "ctr = 0.9\ncvr = 60%\n"
                               "[channel \"t\"]\ntype = tv\ncpp = 0.5\n"
                               "[constraint \"r\"]\nexpr = reach(t) >= 60\n";
    mp_status st = MP_ERR_NOMEM;
    unsigned long n = 1;
    for (; st == MP_ERR_NOMEM && n < 10000; n++) {
        mp_plan *plan = (mp_plan *)1;
        mpi_alloc_fail_at(n);
        st = mp_plan_load_buffer(text, sizeof text - 1, ".", &plan);
        mpi_alloc_fail_at(0);
        if (st == MP_ERR_NOMEM)
            assert_null(plan);
        else {
            assert_int_equal(st, MP_OK);
            assert_int_equal(mp_plan_warning_count(plan), 6);
        }
        mp_plan_free(st == MP_OK ? plan : NULL);
    }
    assert_int_equal(st, MP_OK);
    assert_true(n > 6); /* at least one allocation per warning was made to fail */
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

/* The run's deadline: none by default; set, it counts down, and has passed once its time
 * is over; 0 ends it. */
static void keeps_the_run_deadline(void **state)
{
    (void)state;
    mpi_solve_deadline(0);
    assert_false(mpi_deadline_passed());
    assert_true(mpi_deadline_left_s() == -1);
    mpi_solve_deadline(1000);
    double left = mpi_deadline_left_s();
    assert_true(left > 900 && left <= 1000);
    assert_false(mpi_deadline_passed());
    mpi_solve_deadline(1e-9);
    struct timespec pause = {0, 1000000}; /* 1 ms, a million times the limit */
    nanosleep(&pause, NULL);
    assert_true(mpi_deadline_passed());
    assert_true(mpi_deadline_left_s() == 0);
    mpi_solve_deadline(0);
    assert_false(mpi_deadline_passed());
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parses_numbers_with_units),
        cmocka_unit_test(keeps_the_run_deadline),
        cmocka_unit_test(writes_cells_by_columns),
        cmocka_unit_test(rejects_bad_numbers),
        cmocka_unit_test(hints_how_to_write_numbers),
        cmocka_unit_test(refuses_bare_rates_above_one),
        cmocka_unit_test(unit_warnings_fail_cleanly),
        cmocka_unit_test(converts_dates),
        cmocka_unit_test(suggests_close_words),
        cmocka_unit_test(formats_thousands),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
