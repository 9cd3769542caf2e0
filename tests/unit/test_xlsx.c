/* The workbook adapter: a book is written whole or reported failed, the
 * first failure is kept with what failed, and every later call does nothing. */
#include "helpers.h"

#include "xlsx.h"

/* A path in a fresh directory; the caller frees both. */
static char *out_path(char **dir)
{
    *dir = test_tmpdir();
    size_t n = strlen(*dir) + 16;
    char *p = malloc(n);
    assert_non_null(p);
    snprintf(p, n, "%s/out.xlsx", *dir);
    return p;
}

static int is_zip(const char *path)
{
    FILE *f = fopen(path, "rb");
    char magic[2] = {0};
    int ok = f && fread(magic, 1, 2, f) == 2 && magic[0] == 'P' && magic[1] == 'K';
    if (f)
        fclose(f);
    return ok;
}

static mpi_xlsx *open_book(const char *path)
{
    mpi_xlsx *x = NULL;
    mpi_xlsx_props props = {.title = "t", .company = "c", .comments = "unit test"};
    assert_int_equal(mpi_xlsx_open(path, "book.xlsx", &props, &x), MP_OK);
    assert_non_null(x);
    return x;
}

static void writes_a_book(void **state)
{
    (void)state;
    char *dir, *path = out_path(&dir);
    mpi_xlsx *x = open_book(path);
    mpi_xlsx_sheet *s = mpi_xlsx_sheet_add(x, "Data");
    mpi_xlsx_text(s, 0, 0, "=not a formula", MPI_XLSX_HEAD);
    mpi_xlsx_number(s, 1, 0, 1.5, MPI_XLSX_DEC);
    mpi_xlsx_number(s, 2, 0, NAN, MPI_XLSX_DEC); /* written as "n/a" */
    mpi_xlsx_sum(s, 3, 0, (mpi_xlsx_range){1, 0, 2, 0}, 1.5, MPI_XLSX_MONEY);
    mpi_xlsx_columns(s, 0, 2, 12);
    mpi_xlsx_freeze(s, 1, 0);
    mpi_xlsx_chart *ch = mpi_xlsx_chart_add(x, MPI_XLSX_LINE);
    mpi_xlsx_series(ch, s, (mpi_xlsx_range){1, 0, 2, 0}, (mpi_xlsx_range){1, 0, 2, 0}, "a");
    mpi_xlsx_series_named_by(ch, s, (mpi_xlsx_range){1, 0, 2, 0}, (mpi_xlsx_range){1, 0, 2, 0}, 0,
                             0);
    mpi_xlsx_chart_titles(ch, "title", "x", "y");
    mpi_xlsx_chart_insert(s, 0, 3, ch);
    assert_int_equal(mpi_xlsx_status(x), MP_OK);
    assert_int_equal(mpi_xlsx_close(x), MP_OK);
    assert_true(is_zip(path));
    free(path);
    free(dir);
}

/* The first failure is the one reported, with the cell it happened in. */
static void keeps_the_first_failure(void **state)
{
    (void)state;
    char *dir, *path = out_path(&dir);
    mpi_xlsx *x = open_book(path);
    mpi_xlsx_sheet *s = mpi_xlsx_sheet_add(x, "Data");
    size_t n = 40000; /* over Excel's 32,767 characters a cell */
    char *big = malloc(n + 1);
    assert_non_null(big);
    memset(big, 'k', n);
    big[n] = '\0';
    mpi_xlsx_text(s, 0, 0, "fine", MPI_XLSX_PLAIN);
    mpi_xlsx_text(s, 1, 1, big, MPI_XLSX_PLAIN);
    assert_int_equal(mpi_xlsx_status(x), MP_ERR_LIMIT);
    mpi_xlsx_text(s, 2, 0, "after", MPI_XLSX_PLAIN);
    mpi_xlsx_number(s, 2, 20000, 1, MPI_XLSX_PLAIN); /* a second failure, ignored */
    assert_null(mpi_xlsx_sheet_add(x, "More"));
    assert_null(mpi_xlsx_chart_add(x, MPI_XLSX_PIE));
    assert_int_equal(mpi_xlsx_close(x), MP_ERR_LIMIT);
    assert_non_null(strstr(mp_last_error(), "book.xlsx: cannot write the workbook"));
    assert_non_null(strstr(mp_last_error(), "Data!B2"));
    free(big);
    free(path);
    free(dir);
}

/* A text that may pass a cell's limit (a keyword) is cut to it, and the book is written. */
static void cuts_a_text_to_a_cells_limit(void **state)
{
    (void)state;
    char *dir, *path = out_path(&dir);
    mpi_xlsx *x = open_book(path);
    mpi_xlsx_sheet *s = mpi_xlsx_sheet_add(x, "Data");
    size_t n = 40000; /* over Excel's 32,767 characters a cell */
    char *big = malloc(n + 1);
    assert_non_null(big);
    memset(big, 'k', n);
    big[n] = '\0';
    mpi_xlsx_text_cut(s, 0, 0, big, MPI_XLSX_PLAIN);
    mpi_xlsx_text_cut(s, 1, 0, "short", MPI_XLSX_PLAIN);
    mpi_xlsx_text_cut(s, 2, 0, NULL, MPI_XLSX_PLAIN);
    assert_int_equal(mpi_xlsx_status(x), MP_OK);
    assert_int_equal(mpi_xlsx_close(x), MP_OK);
    free(big);
    free(path);
    free(dir);
}

/* Cells out of Excel's sheet, rows written out of order (the sheets are
 * streamed) and a bad sheet name each fail the book. */
static void refuses_what_excel_cannot_hold(void **state)
{
    (void)state;
    char *dir, *path = out_path(&dir);
    mpi_xlsx *x = open_book(path);
    mpi_xlsx_sheet *s = mpi_xlsx_sheet_add(x, "Data");
    mpi_xlsx_number(s, 0, 70000, 1, MPI_XLSX_PLAIN); /* would wrap a 16-bit column */
    assert_int_equal(mpi_xlsx_close(x), MP_ERR_LIMIT);

    x = open_book(path);
    s = mpi_xlsx_sheet_add(x, "Data");
    mpi_xlsx_number(s, 5, 0, 1, MPI_XLSX_PLAIN);
    mpi_xlsx_number(s, 2, 0, 1, MPI_XLSX_PLAIN);
    assert_int_not_equal(mpi_xlsx_status(x), MP_OK);
    assert_int_not_equal(mpi_xlsx_close(x), MP_OK);

    x = open_book(path);
    assert_non_null(mpi_xlsx_sheet_add(x, "Data"));
    assert_null(mpi_xlsx_sheet_add(x, "Data"));
    assert_int_equal(mpi_xlsx_close(x), MP_ERR_INTERNAL);
    assert_non_null(strstr(mp_last_error(), "already in use"));
    free(path);
    free(dir);
}

/* A directory that does not exist is found when the file is written. */
static void reports_a_file_it_cannot_create(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    char path[600];
    snprintf(path, sizeof path, "%s/no/such/dir/out.xlsx", dir);
    mpi_xlsx *x = open_book(path);
    mpi_xlsx_text(mpi_xlsx_sheet_add(x, "Data"), 0, 0, "x", MPI_XLSX_PLAIN);
    assert_int_equal(mpi_xlsx_close(x), MP_ERR_IO);
    free(dir);
}

/* Out of memory at each of the adapter's own allocations: a clean
 * MP_ERR_NOMEM, never a book reported written. */
static void reports_out_of_memory(void **state)
{
    (void)state;
    char *dir, *path = out_path(&dir);
    mpi_xlsx *x = NULL;
    mpi_alloc_fail_at(1);
    assert_int_equal(mpi_xlsx_open(path, "book.xlsx", NULL, &x), MP_ERR_NOMEM);
    assert_null(x);
    for (unsigned long n = 1;; n++) {
        mpi_alloc_fail_at(0);
        x = open_book(path);
        mpi_alloc_fail_at(n);
        mpi_xlsx_sheet *s = mpi_xlsx_sheet_add(x, "Data");
        mpi_xlsx_text(s, 0, 0, "x", MPI_XLSX_PLAIN);
        mpi_xlsx_chart *ch = mpi_xlsx_chart_add(x, MPI_XLSX_PIE);
        mpi_xlsx_series(ch, s, (mpi_xlsx_range){0, 0, 0, 0}, (mpi_xlsx_range){0, 0, 0, 0}, NULL);
        mpi_xlsx_chart_insert(s, 1, 1, ch);
        unsigned long used = mpi_alloc_count();
        mp_status st = mpi_xlsx_close(x);
        mpi_alloc_fail_at(0);
        if (used < n) {
            assert_int_equal(st, MP_OK);
            break;
        }
        assert_int_equal(st, MP_ERR_NOMEM);
    }
    assert_int_equal(mpi_xlsx_close(NULL), MP_OK);
    free(path);
    free(dir);
}

/* Significant digits of a number as "%.16G" prints it: the mantissa's
 * digits without its sign, point, leading zeros and exponent. */
static int printed_digits(const char *text)
{
    int n = 0, leading = 1;
    for (const char *p = text; *p && *p != 'E'; p++) {
        if (*p < '0' || *p > '9')
            continue;
        leading &= *p == '0';
        n += !leading;
    }
    return n;
}

/* A figure rounded to d significant digits is within 1.5 units of its last
 * digit, libxlsxwriter's "%.16G" prints it with d digits, or up to three more
 * where no double prints the d-digit decimal (all but about one value in
 * 10^6, kept as it is), and a reader (strtod) gets back exactly the double
 * written. Random values over 19
 * decades; the decimal exponent is printf's, not the adapter's. */
static void figures_print_short(void **state)
{
    (void)state;
    srand(20261129);
    int longer = 0, kept = 0;
    for (int i = 0; i < 200000; i++) {
        int e = rand() % 19 - 9;
        double v = (1 + 9.0 * rand() / RAND_MAX) * pow(10, e) * (rand() % 2 ? 1 : -1);
        char sci[64];
        snprintf(sci, sizeof sci, "%.20e", v);
        int exp10 = atoi(strchr(sci, 'e') + 1);
        int lo = exp10 + 2 > 1 ? exp10 + 2 : 1; /* the units' digit and a carry */
        int d = i % 3 ? MPI_XLSX_FIGURE_DIGITS : lo + rand() % (14 - lo);
        double x = mpi_xlsx_round_digits(v, d);
        char out[64];
        snprintf(out, sizeof out, "%.16G", x);
        assert_true(fabs(x - v) <= 1.5 * pow(10, exp10 - d + 1) * (1 + 1e-12));
        longer += printed_digits(out) > d;
        kept += printed_digits(out) > d + 3;
        assert_true(strtod(out, NULL) == x);
    }
    assert_true(longer < 200000 / 10); /* most print with the digits asked */
    assert_true(kept <= 2);            /* and nearly all of the others (about 1 in 10^6) */
    /* out of reach: as it is */
    assert_true(mpi_xlsx_round_digits(1e30, 11) == 1e30);
    assert_true(mpi_xlsx_round_digits(0, 11) == 0);
    assert_true(isnan(mpi_xlsx_round_digits(NAN, 11)));
    assert_true(isinf(mpi_xlsx_round_digits(INFINITY, 11)));
    assert_true(mpi_xlsx_round_digits(1.0 / 3, 11) == 0.33333333333);
    assert_true(mpi_xlsx_round_digits(-2.0 / 3, 4) == -0.6667);
}

/* An amount is written as its style shows it, rounded as Excel rounds for
 * display: its 15 significant digits, halves away from zero (2.675 is
 * 2.67499999999999982... as a double, and Excel shows 2.68). */
static void amounts_round_as_they_are_shown(void **state)
{
    (void)state;
    const struct {
        double v;
        mpi_xlsx_style style;
        double shown;
    } cases[] = {
        {2.43484499788678, MPI_XLSX_CENTS, 2.43},
        {2.675, MPI_XLSX_CENTS, 2.68},
        {2.125, MPI_XLSX_CENTS, 2.13},
        {-2.125, MPI_XLSX_CENTS, -2.13},
        {9.3, MPI_XLSX_CENTS, 9.3},
        {1234.5678, MPI_XLSX_CENTS, 1234.57},
        {1234.5, MPI_XLSX_MONEY, 1235},
        {9.582362007726724, MPI_XLSX_COUNT, 10},
        {123.45, MPI_XLSX_CONV, 123},
        {-150.5, MPI_XLSX_CONV, -151},
        {12.34, MPI_XLSX_CONV, 12.3},
        {99.94, MPI_XLSX_CONV, 99.9},
        {99.96, MPI_XLSX_CONV, 99.96}, /* shows 100.0: a 100 would show 100 */
        {12.35, MPI_XLSX_DEC1, 12.4},
        {1.005, MPI_XLSX_DEC, 1.01},
        {0.12345, MPI_XLSX_PCT, 0.123},
        {1.23456789, MPI_XLSX_PLAIN, 1.23456789},
        {0.00123456, MPI_XLSX_PRECISE, 0.00123456},
        {1e300, MPI_XLSX_CENTS, 1e300},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_true(mpi_xlsx_round_shown(cases[i].v, cases[i].style) == cases[i].shown);
    /* a small negative amount shows 0, not -0 */
    double z = mpi_xlsx_round_shown(-0.004, MPI_XLSX_CENTS);
    assert_true(z == 0 && !signbit(z));
    assert_true(isnan(mpi_xlsx_round_shown(NAN, MPI_XLSX_CENTS)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(writes_a_book),
        cmocka_unit_test(keeps_the_first_failure),
        cmocka_unit_test(cuts_a_text_to_a_cells_limit),
        cmocka_unit_test(refuses_what_excel_cannot_hold),
        cmocka_unit_test(reports_a_file_it_cannot_create),
        cmocka_unit_test(reports_out_of_memory),
        cmocka_unit_test(figures_print_short),
        cmocka_unit_test(amounts_round_as_they_are_shown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
