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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(writes_a_book),
        cmocka_unit_test(keeps_the_first_failure),
        cmocka_unit_test(cuts_a_text_to_a_cells_limit),
        cmocka_unit_test(refuses_what_excel_cannot_hold),
        cmocka_unit_test(reports_a_file_it_cannot_create),
        cmocka_unit_test(reports_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
