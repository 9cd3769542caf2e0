/* Benchmark (not a test): the floor of any workbook writer on libxlsxwriter.
 *
 * Writes N rows of the Keywords sheet's shape straight through the system
 * libxlsxwriter, in constant_memory mode as mixplan does, with nothing of
 * mixplan's own in between: the same 15 columns (channel, keyword and the
 * two yes/no columns as inline strings, the group left empty as a keyword
 * without one is, a bid and the Keyword Planner's bids in cents, five bought
 * figures to 11 significant digits, the monthly searches and the source line
 * as whole numbers), each number column with a number format as the sheet
 * has, a heading row, a filter and a frozen pane. It times the cell writes
 * (libxlsxwriter prints each row into its temporary file: fprintf and
 * "%.16G") apart from workbook_close (the sheet's XML copied into the zip
 * and deflated at zlib's default level, which the library's API does not let
 * a caller change). Whatever mixplan's workbook costs beyond these two
 * figures is its own work; these two are the library's.
 *
 *   xlsx_floor [ROWS [PATH]]   ROWS default 1,000,000 (Excel's limit is
 *                              1,048,575 below a heading); PATH default a
 *                              file in /tmp, removed afterwards
 */
#include "../unit/xorshift.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <xlsxwriter.h>

static double seconds(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* v to 11 significant digits, as the sheet writes its bought figures. */
static double figure(double v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%.10e", v);
    return strtod(buf, NULL);
}

static double cents(double v)
{
    return round(100 * v) / 100;
}

static lxw_format *number_format(lxw_workbook *wb, const char *num_format)
{
    lxw_format *f = workbook_add_format(wb);
    if (f)
        format_set_num_format(f, num_format);
    return f;
}

/* One row's values, made before the clock starts: the floor is the
 * library's writing alone. */
typedef struct row_values {
    char keyword[32]; /* "keyword " and any long */
    double v[10];     /* columns 3..11, then the source line */
} row_values;

/* Values of the sheet's magnitudes and digits: a bid in cents, five bought
 * figures to 11 significant digits (conversions, impressions and revenue
 * proportional to clicks, as a keyword's are), searches and bids as the
 * Keyword Planner gives them. */
static void make_row(row_values *rv, long r, unsigned long long *rng)
{
    snprintf(rv->keyword, sizeof rv->keyword, "keyword %ld", r - 1);
    double clicks = 200 * pow(xorshift_uniform(rng), 3), cpc = 0.2 + 2 * xorshift_uniform(rng);
    double lo = cents(0.2 + 2 * xorshift_uniform(rng));
    const double bought[5] = {clicks, clicks * cpc, 0.03 * clicks, 25 * clicks, 2.4 * clicks};
    rv->v[0] = cents(cpc * 1.2);
    for (int i = 0; i < 5; i++)
        rv->v[1 + i] = figure(bought[i]);
    rv->v[6] = round(50 + 20000 * pow(xorshift_uniform(rng), 4));
    rv->v[7] = lo;
    rv->v[8] = cents(lo * (1.5 + 2 * xorshift_uniform(rng)));
    rv->v[9] = (double)r + 3;
}

/* The formats of columns 3..11: cents, count, money, conversions, count,
 * money, count, cents, cents (indexes into fmt). */
static const int column_fmt[9] = {0, 1, 2, 3, 1, 2, 1, 0, 0};

static int write_row(lxw_worksheet *ws, lxw_row_t r, const row_values *rv, lxw_format *const *fmt)
{
    lxw_error e = worksheet_write_string(ws, r, 0, "google", NULL);
    e |= worksheet_write_string(ws, r, 1, rv->keyword, NULL);
    e |= worksheet_write_string(ws, r, 2, "", NULL); /* no group: no cell */
    for (int i = 0; i < 9; i++)
        e |= worksheet_write_number(ws, r, (lxw_col_t)(3 + i), rv->v[i], fmt[column_fmt[i]]);
    e |= worksheet_write_string(ws, r, 12, "no", NULL);
    e |= worksheet_write_string(ws, r, 13, "no", NULL);
    e |= worksheet_write_number(ws, r, 14, rv->v[9], NULL);
    return e != LXW_NO_ERROR;
}

int main(int argc, char **argv)
{
    long rows = argc > 1 ? atol(argv[1]) : 1000000;
    char path[256];
    snprintf(path, sizeof path, "%s", argc > 2 ? argv[2] : "/tmp/xlsx_floor.xlsx");
    if (rows < 1 || rows > 1048575) {
        fprintf(stderr, "rows: 1 to 1048575\n");
        return 2;
    }
    row_values *rv = malloc((size_t)rows * sizeof *rv);
    if (!rv) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }
    unsigned long long rng = 88172645463325252ULL;
    for (long r = 1; r <= rows; r++)
        make_row(&rv[r - 1], r, &rng);
    double w0 = seconds(CLOCK_MONOTONIC), c0 = seconds(CLOCK_PROCESS_CPUTIME_ID);
    lxw_workbook_options opts = {.constant_memory = LXW_TRUE};
    lxw_workbook *wb = workbook_new_opt(path, &opts);
    lxw_worksheet *ws = wb ? workbook_add_worksheet(wb, "Keywords") : NULL;
    if (!ws) {
        fprintf(stderr, "cannot create %s\n", path);
        free(rv);
        return 1;
    }
    lxw_format *fmt[4] = {number_format(wb, "#,##0.00 \"\u20ac\""), number_format(wb, "#,##0"),
                          number_format(wb, "#,##0 \"\u20ac\""), number_format(wb, "#,##0.0")};
    lxw_format *head = workbook_add_format(wb);
    format_set_bold(head);
    static const char *const heads[15] = {"channel",
                                          "keyword",
                                          "group",
                                          "bid (EUR)",
                                          "clicks",
                                          "cost (EUR)",
                                          "conversions",
                                          "impressions",
                                          "revenue (EUR)",
                                          "avg. monthly searches",
                                          "top of page bid low (EUR)",
                                          "top of page bid high (EUR)",
                                          "volume bucketed",
                                          "default bids",
                                          "source line"};
    int bad = 0;
    for (lxw_col_t c = 0; c < 15; c++)
        bad |= worksheet_write_string(ws, 0, c, heads[c], head) != LXW_NO_ERROR;
    for (long r = 1; r <= rows && !bad; r++)
        bad = write_row(ws, (lxw_row_t)r, &rv[r - 1], fmt);
    bad |= worksheet_autofilter(ws, 0, 0, (lxw_row_t)rows, 14) != LXW_NO_ERROR;
    worksheet_freeze_panes(ws, 1, 0);
    double w1 = seconds(CLOCK_MONOTONIC), c1 = seconds(CLOCK_PROCESS_CPUTIME_ID);
    lxw_error closed = workbook_close(wb);
    double w2 = seconds(CLOCK_MONOTONIC), c2 = seconds(CLOCK_PROCESS_CPUTIME_ID);
    if (bad || closed != LXW_NO_ERROR) {
        fprintf(stderr, "writing %s failed: %s\n", path,
                closed != LXW_NO_ERROR ? lxw_strerror(closed) : "a cell was refused");
        return 1;
    }
    FILE *f = fopen(path, "rb");
    long bytes = -1;
    if (f && fseek(f, 0, SEEK_END) == 0)
        bytes = ftell(f);
    if (f)
        fclose(f);
    printf("libxlsxwriter %s, %ld rows of the Keywords sheet, constant_memory\n", LXW_VERSION,
           rows);
    printf("%-32s %8s %8s\n", "stage", "wall_s", "cpu_s");
    printf("%-32s %8.3f %8.3f\n", "cells (rows printed to tmpfile)", w1 - w0, c1 - c0);
    printf("%-32s %8.3f %8.3f\n", "workbook_close (zip, deflate)", w2 - w1, c2 - c1);
    printf("%-32s %8.3f %8.3f\n", "total", w2 - w0, c2 - c0);
    printf("file %.1f MB\n", (double)bytes / 1e6);
    if (argc <= 2)
        unlink(path);
    free(rv);
    return 0;
}
