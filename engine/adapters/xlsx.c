/* Excel workbooks over libxlsxwriter. Every call of the library that can fail
 * is checked here; the first failure is kept in the book (sticky) and turns
 * every later call into a no-op, so that a write that failed is never
 * reported as a written file. */
#include "xlsx.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

/* Excel's limits: 1,048,576 rows and 16,384 columns. */
#define MPI_XLSX_MAX_ROW 1048575
#define MPI_XLSX_MAX_COL 16383

/* Sheets and charts start with this: the book owns them in one list. */
typedef struct child {
    mpi_xlsx *book;
    struct child *next;
    int is_sheet; /* else a chart */
} child;

/* Column widths are kept per column, in characters: the least the caller
 * asked for (mpi_xlsx_columns) and what the text written needs; both are set
 * when the book is closed, the larger of the two. */
struct mpi_xlsx_sheet {
    child node;
    lxw_worksheet *ws;
    double *asked, *fits;
    unsigned char *hidden; /* folded away (mpi_xlsx_hide_columns) */
    size_t ncols, cap;
    int tall_row;   /* the last row made taller for wrapped text (-1: none) */
    double tall_pt; /* its height in points */
    int last_row;   /* the last row written to (-1: none) */
    /* for page breaks (mpi_xlsx_keep_together): the kept blocks, first row
     * and rows, and every row made taller with its height */
    int *keep_row, *keep_rows;
    size_t nkeep, keep_cap;
    int *tall_at;
    double *tall_height;
    size_t ntall, tall_cap;
    lxw_row_t *breaks; /* the page breaks set, alive until the book is written */
};

struct mpi_xlsx_chart {
    child node;
    lxw_chart *chart;
    lxw_chart_series *last; /* the last series added */
};

/* PRECISE: decimals 0..PRECISE_FORMATS-2, and a scientific last one. */
#define PRECISE_FORMATS 10
#define PRECISE_DIGITS  3

struct mpi_xlsx {
    lxw_workbook *wb;
    lxw_format *style[MPI_XLSX_NSTYLES];  /* NULL for MPI_XLSX_PLAIN */
    char format[MPI_XLSX_NSTYLES][96];    /* each style's number format ("" for none) */
    char axis_pct[32];                    /* a percentage axis's ticks: 10% */
    const char *locale;                   /* the prefix naming the book's locale, or "" */
    lxw_format *precise[PRECISE_FORMATS]; /* PRECISE with 0.. decimals, then scientific */
    lxw_format *no_number;                /* "n/a" where a number would be: right-aligned */
    char *name;
    mpi_lang lang;     /* the book's: the text of a figure that is not a number */
    mp_status st;      /* the first failure */
    char failure[512]; /* what failed, and why */
    child *children;   /* sheets and charts, freed by close */
};

/* ---- the sticky status ------------------------------------------------- */

static mp_status status_of(lxw_error err)
{
    switch (err) {
    case LXW_NO_ERROR: return MP_OK;
    case LXW_ERROR_MEMORY_MALLOC_FAILED: return MP_ERR_NOMEM;
    case LXW_ERROR_CREATING_XLSX_FILE:
    case LXW_ERROR_CREATING_TMPFILE:
    case LXW_ERROR_READING_TMPFILE:
    case LXW_ERROR_ZIP_FILE_OPERATION:
    case LXW_ERROR_ZIP_PARAMETER_ERROR:
    case LXW_ERROR_ZIP_BAD_ZIP_FILE:
    case LXW_ERROR_ZIP_INTERNAL_ERROR:
    case LXW_ERROR_ZIP_FILE_ADD:
    case LXW_ERROR_ZIP_CLOSE: return MP_ERR_IO;
    case LXW_ERROR_32_STRING_LENGTH_EXCEEDED:
    case LXW_ERROR_128_STRING_LENGTH_EXCEEDED:
    case LXW_ERROR_255_STRING_LENGTH_EXCEEDED:
    case LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED:
    case LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE: return MP_ERR_LIMIT;
    default: return MP_ERR_INTERNAL;
    }
}

/* Keep the first failure: st with "what: why" (what NULL: "why"). Returns
 * the book's status. */
static mp_status fail(mpi_xlsx *x, mp_status st, const char *what, const char *why)
{
    if (x->st == MP_OK && st != MP_OK) {
        x->st = st;
        snprintf(x->failure, sizeof x->failure, "%s%s%s", what ? what : "", what ? ": " : "", why);
    }
    return x->st;
}

static mp_status check(mpi_xlsx *x, lxw_error err, const char *what)
{
    return err == LXW_NO_ERROR ? x->st : fail(x, status_of(err), what, lxw_strerror(err));
}

/* A NULL from libxlsxwriter where only memory can be short. */
static mp_status check_ptr(mpi_xlsx *x, const void *p, const char *what)
{
    return p ? x->st : fail(x, MP_ERR_NOMEM, what, "out of memory");
}

/* The book of a sheet that may still be written to, else NULL. */
static mpi_xlsx *live(const mpi_xlsx_sheet *s)
{
    return s && s->node.book->st == MP_OK ? s->node.book : NULL;
}

/* "Plan!C7" for messages. */
static void cell_name(char *buf, size_t n, const mpi_xlsx_sheet *s, int row, int col)
{
    char c[LXW_MAX_COL_NAME_LENGTH];
    lxw_col_to_name(c, (lxw_col_t)col, LXW_FALSE);
    snprintf(buf, n, "%s!%s%d", s->ws->name, c, row + 1);
}

/* Rows and columns inside Excel's sheet; a failure of the book otherwise (a
 * column past 65,535 would wrap in libxlsxwriter's 16-bit type). */
static int in_sheet(mpi_xlsx *x, int row, int col)
{
    if (row >= 0 && row <= MPI_XLSX_MAX_ROW && col >= 0 && col <= MPI_XLSX_MAX_COL)
        return 1;
    char what[64];
    snprintf(what, sizeof what, "row %d, column %d", row + 1, col + 1);
    fail(x, MP_ERR_LIMIT, what, lxw_strerror(LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE));
    return 0;
}

static int range_in_sheet(mpi_xlsx *x, mpi_xlsx_range r)
{
    return in_sheet(x, r.row0, r.col0) && in_sheet(x, r.row1, r.col1);
}

/* ---- column widths ------------------------------------------------------ */

/* Room for col in the sheet's width arrays (zero for a column never seen);
 * 0 when out of memory (the book fails). */
static int width_slot(mpi_xlsx_sheet *s, int col)
{
    size_t need = (size_t)col + 1;
    if (need <= s->ncols)
        return 1;
    size_t cap = s->cap;
    void *arrays[] = {s->asked, s->fits, s->hidden};
    const size_t sizes[] = {sizeof *s->asked, sizeof *s->fits, sizeof *s->hidden};
    mp_status st = mpi_reserve_all(&cap, need, 3, arrays, sizes);
    s->asked = arrays[0];
    s->fits = arrays[1];
    s->hidden = arrays[2];
    if (check_ptr(s->node.book, st == MP_OK ? s : NULL, "column widths") != MP_OK)
        return 0;
    s->cap = cap;
    for (size_t i = s->ncols; i < need; i++) {
        s->asked[i] = s->fits[i] = 0;
        s->hidden[i] = 0;
    }
    s->ncols = need;
    return 1;
}

/* Characters of UTF-8 text, up to stop (a space for a word, NUL for all). */
static size_t text_chars(const char *t, char stop)
{
    size_t n = 0;
    for (; *t && *t != stop; t++)
        n += ((unsigned char)*t & 0xC0) != 0x80;
    return n;
}

/* A column heading written as text: it wraps, its width its longest word. */
static int is_heading(mpi_xlsx_style style)
{
    return style == MPI_XLSX_HEAD || style == MPI_XLSX_HEAD_NUM || style == MPI_XLSX_HEAD_WRAP;
}

/* The width text needs in a column: all of it, or for a heading (its text
 * wraps) its longest word. Bold text is wider. */
static double text_width(const char *text, mpi_xlsx_style style)
{
    size_t n = 0;
    if (is_heading(style))
        for (const char *w = text; *w; w += strcspn(w, " "), w += *w == ' ') {
            size_t k = text_chars(w, ' ');
            n = k > n ? k : n;
        }
    else
        n = text_chars(text, '\0');
    double bold = style == MPI_XLSX_PLAIN ? 1.0 : 1.1;
    return (double)n * 1.05 * bold + 2;
}

/* The digits of |v| rounded to a whole number, as "%.0f" writes them (to
 * nearest, ties to even: nearbyint's rounding); counted, not printed: every
 * number cell asks. */
static int whole_digits(double v)
{
    double a = nearbyint(fabs(v));
    if (!(a < 1e18)) {
        char buf[400];
        return snprintf(buf, sizeof buf, "%.0f", a);
    }
    int n = 1;
    for (unsigned long long u = (unsigned long long)a; u >= 10; u /= 10)
        n++;
    return n;
}

/* The widest a number shows in its style: its digits and their separators,
 * a sign, the decimals and the currency or "%" its format adds, and a
 * margin of two. */
static double number_width(double v, mpi_xlsx_style style)
{
    double shown = style == MPI_XLSX_PCT ? 100 * fabs(v) : fabs(v);
    int n = whole_digits(shown);
    double extra;
    switch (style) {
    case MPI_XLSX_MONEY: extra = 2; break; /* " €" */
    case MPI_XLSX_CENTS: extra = 5; break; /* ".00 €" */
    case MPI_XLSX_PCT: extra = 4; break;   /* ".0 %" */
    case MPI_XLSX_DEC: extra = 3; break;   /* ".00" */
    case MPI_XLSX_DEC1:
    case MPI_XLSX_CONV: extra = 2; break; /* ".0" */
    case MPI_XLSX_DATE:
    case MPI_XLSX_HEAD_DATE: return 12;      /* 02/03/2026, 2 Mar 2026 */
    case MPI_XLSX_PRECISE: extra = 8; break; /* small values with their decimals */
    default: extra = 3; break;               /* General: a few decimals */
    }
    return n + (n - 1) / 3 + (v < 0) + extra + 2;
}

static void widen(mpi_xlsx_sheet *s, int col, double width)
{
    if (width_slot(s, col) && width > s->fits[col])
        s->fits[col] = width;
}

/* Each column as wide as the caller asked, or its widest content when wider
 * (capped at Excel's 255). Called once per sheet, by close. */
static void set_widths(mpi_xlsx_sheet *s)
{
    for (size_t c = 0; c < s->ncols && s->node.book->st == MP_OK; c++) {
        double w = s->asked[c] > s->fits[c] ? s->asked[c] : s->fits[c];
        /* the column after a folded group carries its "+" */
        int after_fold = c > 0 && s->hidden[c - 1] && !s->hidden[c];
        if (w <= 0 && !s->hidden[c] && !after_fold)
            continue;
        lxw_row_col_options o = {
            .hidden = s->hidden[c], .level = s->hidden[c], .collapsed = after_fold};
        lxw_error err = worksheet_set_column_opt(s->ws, (lxw_col_t)c, (lxw_col_t)c,
                                                 w <= 0    ? LXW_DEF_COL_WIDTH
                                                 : w > 255 ? 255
                                                           : w,
                                                 NULL, &o);
        check(s->node.book, err, "column widths");
    }
}

/* ---- page breaks --------------------------------------------------------- */

/* A4 landscape in points less libxlsxwriter's margins (0.7 inch each side,
 * 0.75 top and bottom): what a page prints at a scale of 100 %. */
#define PAGE_WIDTH_PT  (841.9 - 2 * 0.7 * 72)
#define PAGE_HEIGHT_PT (595.3 - 2 * 0.75 * 72)
#define ROW_PT         15.0 /* a row of 11-point text */
/* How full the breaks make a page, as rows at Excel's widths would fill it.
 * LibreOffice prints a width in characters narrower than Excel reckons it, so
 * at its scale fitting the sheet's width a page holds about 1.4 times the
 * rows (73 rather than 53 on a sheet 224 characters wide); 1.3 leaves it a
 * margin. Excel does not keep manual breaks on a sheet fitted to the page. */
#define PAGE_FILL 1.3

/* The sheet's printed width in points at 100 %: its columns not folded
 * away, as Excel turns a width in characters into pixels (7 a character and
 * 5 of margin, at 96 a inch). */
static double sheet_width_pt(const mpi_xlsx_sheet *s)
{
    double pt = 0;
    for (size_t c = 0; c < s->ncols; c++) {
        double w = s->asked[c] > s->fits[c] ? s->asked[c] : s->fits[c];
        if (!s->hidden[c])
            pt += ((w > 0 ? w : LXW_DEF_COL_WIDTH) * 7 + 5) * 0.75;
    }
    return pt;
}

/* Row r's height in points; *k: where the search in the taller rows is. */
static double row_height(const mpi_xlsx_sheet *s, int r, size_t *k)
{
    while (*k < s->ntall && s->tall_at[*k] < r)
        ++*k;
    return *k < s->ntall && s->tall_at[*k] == r ? s->tall_height[*k] : ROW_PT;
}

/* The height of the kept block starting at row r (0: none starts there). */
static double kept_height(const mpi_xlsx_sheet *s, int r)
{
    for (size_t i = 0; i < s->nkeep; i++)
        if (s->keep_row[i] == r) {
            double h = 0;
            size_t k = 0;
            for (int q = r; q < r + s->keep_rows[i]; q++)
                h += row_height(s, q, &k);
            return h;
        }
    return 0;
}

/* Every page break of a sheet with kept blocks: a page as full as it holds at
 * the scale that fits the sheet's width, cut before a kept block that would
 * not fit whole. Every break is set, so that no reader breaks elsewhere. */
static void set_breaks(mpi_xlsx_sheet *s)
{
    if (!s->nkeep || s->last_row < 0 || s->node.book->st != MP_OK)
        return;
    double width = sheet_width_pt(s);
    double scale = width > PAGE_WIDTH_PT ? PAGE_WIDTH_PT / width : 1;
    double room = PAGE_HEIGHT_PT / scale * PAGE_FILL, used = 0;
    enum { MAX_BREAKS = 1023 }; /* Excel's limit */
    size_t n = 0, k = 0;
    s->breaks = mpi_calloc(MAX_BREAKS + 1, sizeof *s->breaks);
    if (check_ptr(s->node.book, s->breaks, "page breaks") != MP_OK)
        return;
    for (int r = 0; r <= s->last_row && n < MAX_BREAKS; r++) {
        double h = row_height(s, r, &k), keep = kept_height(s, r);
        if (used > 0 && used + (keep > h ? keep : h) > room) {
            s->breaks[n++] = (lxw_row_t)r;
            used = 0;
        }
        used += h;
    }
    if (n)
        check(s->node.book, worksheet_set_h_pagebreaks(s->ws, s->breaks), "page breaks");
}

void mpi_xlsx_keep_together(mpi_xlsx_sheet *s, int row, int n)
{
    mpi_xlsx *x = live(s);
    if (!x || n < 1 || !in_sheet(x, row, 0))
        return;
    size_t cap = s->keep_cap;
    void *arrays[] = {s->keep_row, s->keep_rows};
    const size_t sizes[] = {sizeof *s->keep_row, sizeof *s->keep_rows};
    mp_status st = mpi_reserve_all(&cap, s->nkeep + 1, 2, arrays, sizes);
    s->keep_row = arrays[0];
    s->keep_rows = arrays[1];
    if (check_ptr(x, st == MP_OK ? s : NULL, "rows kept together") != MP_OK)
        return;
    s->keep_cap = cap;
    s->keep_row[s->nkeep] = row;
    s->keep_rows[s->nkeep++] = n;
}

/* ---- the book ---------------------------------------------------------- */

/* The number format of each style; MONEY and CENTS are the book's, with its
 * currency (currency_formats). Excel's own codes, so that Excel and LibreOffice
 * put the reader's separators in. */
static const char *const number_formats[MPI_XLSX_NSTYLES] = {
    [MPI_XLSX_COUNT] = "#,##0",  [MPI_XLSX_CONV] = "[>=100]#,##0;[<=-100]-#,##0;#,##0.0",
    [MPI_XLSX_DEC1] = "#,##0.0", [MPI_XLSX_DEC] = "#,##0.00",
    [MPI_XLSX_PCT] = "0.0%",     [MPI_XLSX_PRECISE] = "General",
    [MPI_XLSX_WRAP] = "",
};

/* "#,##0 \"€\"" and "#,##0.00 \"€\"" for EUR; the symbol of a few ISO codes
 * (before the amount where English puts it), else the code itself; after the
 * locale's prefix. */
static void currency_formats(mpi_xlsx *x, const char *code)
{
    static const struct {
        const char *code, *symbol;
        int before;
    } symbols[] = {{"EUR", "\u20ac", 0},
                   {"GBP", "\u00a3", 1},
                   {"USD", "$", 1},
                   {"JPY", "\u00a5", 1},
                   {"CHF", "CHF", 0}};
    char sym[32] = "";
    int before = 0;
    for (size_t i = 0; code && i < sizeof symbols / sizeof symbols[0]; i++)
        if (!strcmp(code, symbols[i].code)) {
            snprintf(sym, sizeof sym, "%s", symbols[i].symbol);
            before = symbols[i].before;
        }
    if (!*sym && code) { /* a quote or backslash would end the format's literal */
        size_t o = 0;
        for (const char *p = code; *p && o + 1 < sizeof sym; p++)
            if (*p != '"' && *p != '\\')
                sym[o++] = *p;
        sym[o] = '\0';
    }
    static const char *const amount[2] = {"#,##0", "#,##0.00"};
    for (int k = 0; k < 2; k++) {
        char *f = x->format[k ? MPI_XLSX_CENTS : MPI_XLSX_MONEY];
        size_t n = sizeof x->format[0];
        if (!*sym)
            snprintf(f, n, "%s%s", x->locale, amount[k]);
        else if (before)
            snprintf(f, n, "%s\"%s\"%s", x->locale, sym, amount[k]);
        else
            snprintf(f, n, "%s%s \"%s\"", x->locale, amount[k], sym);
    }
}

/* The number format of style k ("" for none). */
static const char *format_of(const mpi_xlsx *x, mpi_xlsx_style k)
{
    return x->format[k];
}

/* Each style's number format in the book's language. Excel shows the
 * reader's own separators whatever the format says; LibreOffice shows the
 * format's locale's, its own unless the format names one: a French book names
 * French ([$-40C]), and writes a percentage "12,3 %" with a no-break space. A
 * day, written with digits alone in French, needs no locale. */
static void book_formats(mpi_xlsx *x, const char *currency, mpi_lang lang)
{
    int fr = lang == MPI_LANG_FR;
    x->locale = fr ? "[$-40C]" : "";
    for (int k = 0; k < MPI_XLSX_NSTYLES; k++)
        if (number_formats[k] && *number_formats[k])
            snprintf(x->format[k], sizeof x->format[k], "%s%s", x->locale,
                     k == MPI_XLSX_PCT && fr ? "0.0\"\u00a0\"%" : number_formats[k]);
    currency_formats(x, currency);
    /* a day as the book's language writes it, whatever the reader's locale */
    snprintf(x->format[MPI_XLSX_DATE], sizeof x->format[0], "%s", fr ? "dd/mm/yyyy" : "d mmm yyyy");
    snprintf(x->format[MPI_XLSX_HEAD_DATE], sizeof x->format[0], "%s", x->format[MPI_XLSX_DATE]);
    snprintf(x->axis_pct, sizeof x->axis_pct, "%s%s", x->locale, fr ? "0\"\u00a0\"%" : "0%");
}

/* PRECISE's formats: "#,##0", "#,##0.0", ... and "0.00E+00". */
static mp_status add_precise(mpi_xlsx *x)
{
    for (int d = 0; d < PRECISE_FORMATS && x->st == MP_OK; d++) {
        char f[32] = "#,##0.", code[48];
        if (d == PRECISE_FORMATS - 1)
            snprintf(f, sizeof f, "0.%.*sE+00", PRECISE_DIGITS - 1, "000000");
        else if (d == 0)
            f[5] = '\0';
        else
            snprintf(f + 6, sizeof f - 6, "%.*s", d, "000000000000");
        snprintf(code, sizeof code, "%s%s", x->locale, f);
        if (check_ptr(x, x->precise[d] = workbook_add_format(x->wb), "a cell style") == MP_OK)
            format_set_num_format(x->precise[d], code);
    }
    return x->st;
}

/* The format showing v with PRECISE_DIGITS significant digits: the decimals
 * its magnitude needs, so that a small non-zero value never shows 0. */
static lxw_format *precise_format(const mpi_xlsx *x, double v)
{
    if (v == 0)
        return x->precise[0];
    int d = PRECISE_DIGITS - 1 - (int)floor(log10(fabs(v)));
    if (d < 0)
        d = 0;
    return x->precise[d < PRECISE_FORMATS - 1 ? d : PRECISE_FORMATS - 1];
}

static mp_status add_styles(mpi_xlsx *x, const char *currency, mpi_lang lang)
{
    book_formats(x, currency, lang);
    for (int k = MPI_XLSX_TITLE; k < MPI_XLSX_NSTYLES; k++) {
        if (check_ptr(x, x->style[k] = workbook_add_format(x->wb), "a cell style") != MP_OK)
            return x->st;
        if (*format_of(x, (mpi_xlsx_style)k))
            format_set_num_format(x->style[k], format_of(x, (mpi_xlsx_style)k));
    }
    format_set_bold(x->style[MPI_XLSX_TITLE]);
    format_set_font_size(x->style[MPI_XLSX_TITLE], 14);
    format_set_bold(x->style[MPI_XLSX_BOLD]);
    for (int k = MPI_XLSX_HEAD; k <= MPI_XLSX_HEAD_DATE; k++) {
        format_set_bold(x->style[k]);
        format_set_bottom(x->style[k], LXW_BORDER_THIN);
        format_set_text_wrap(x->style[k]);
    }
    /* over right-aligned numbers, their heading ends where they do */
    format_set_align(x->style[MPI_XLSX_HEAD_NUM], LXW_ALIGN_RIGHT);
    format_set_align(x->style[MPI_XLSX_HEAD_DATE], LXW_ALIGN_RIGHT);
    format_set_indent(x->style[MPI_XLSX_HEAD_WRAP], 1); /* as the sentences under it */
    /* its last line beside the row's other cells, which sit at the bottom;
     * indented, so that it does not run on from a number on its left */
    format_set_text_wrap(x->style[MPI_XLSX_WRAP]);
    format_set_indent(x->style[MPI_XLSX_WRAP], 1);
    if (check_ptr(x, x->no_number = workbook_add_format(x->wb), "a cell style") != MP_OK)
        return x->st;
    format_set_align(x->no_number, LXW_ALIGN_RIGHT);
    format_set_align(x->style[MPI_XLSX_RIGHT], LXW_ALIGN_RIGHT);
    return add_precise(x);
}

static void set_properties(mpi_xlsx *x, const mpi_xlsx_props *props)
{
    if (!props)
        return;
    lxw_doc_properties p = {.title = (char *)props->title,
                            .company = (char *)props->company,
                            .comments = (char *)props->comments};
    check(x, workbook_set_properties(x->wb, &p), "document properties");
}

/* The bytes written to prove the temporary folder takes a workbook's parts:
 * a folder on a full disk accepts a new file but not its data (small, so
 * that a file-size limit is still reported on the workbook itself). */
#define TMP_PROBE_BYTES 1024

/* Write and remove a file of TMP_PROBE_BYTES at path (a mkstemp template);
 * 0 or the errno. */
static int probe_folder(char *path)
{
    static const char block[TMP_PROBE_BYTES];
    int fd = mkstemp(path), err = fd < 0 ? errno : 0;
    for (size_t done = 0; !err && done < sizeof block;) {
        ssize_t n = write(fd, block + done, sizeof block - done);
        if (n <= 0)
            err = n < 0 ? errno : ENOSPC;
        else
            done += (size_t)n;
    }
    if (fd >= 0 && close(fd) != 0 && !err)
        err = errno;
    if (fd >= 0)
        unlink(path);
    return err;
}

/* libxlsxwriter builds each part of the workbook in a temporary file before
 * it zips them: in a folder that cannot take them it prints its own error
 * and writes a truncated workbook or none. The folder it would use first
 * (TMPDIR, else the system's) is checked here, and it is told to use it. */
static mp_status check_tmpdir(const char *name, const char **dir)
{
    const char *env = getenv("TMPDIR");
    *dir = env && *env ? env : "/tmp"; /* P_tmpdir, where libxlsxwriter looks next */
    char *path = mpi_aprintf("%s/.mixplan-XXXXXX", *dir);
    if (!path)
        return mpi_nomem();
    int err = probe_folder(path);
    free(path);
    if (!err)
        return MP_OK;
    return mpi_fail(MP_ERR_IO,
                    N_("%s: cannot write the workbook's temporary files in the folder %s (%s): "
                       "free some space there or set TMPDIR to a folder you can write to"),
                    name, *dir, mpi_strerror(err));
}

mp_status mpi_xlsx_open(const char *path, const char *name, const mpi_xlsx_props *props,
                        mpi_xlsx **out)
{
    *out = NULL;
    mpi_xlsx *x = mpi_calloc(1, sizeof *x);
    if (!x || !(x->name = mpi_strdup(name))) {
        free(x);
        return mpi_nomem();
    }
    const char *tmp;
    mp_status st = check_tmpdir(name, &tmp);
    if (st != MP_OK) {
        free(x->name);
        free(x);
        return st;
    }
    /* Rows are written in order, so libxlsxwriter can stream them to disk. */
    lxw_workbook_options opts = {.constant_memory = LXW_TRUE, .tmpdir = (char *)tmp};
    x->wb = workbook_new_opt(path, &opts);
    if (!x->wb) {
        free(x->name);
        free(x);
        return mpi_fail(MP_ERR_IO, N_("%s: cannot create the workbook"), name);
    }
    x->lang = props ? props->lang : MPI_LANG_EN;
    add_styles(x, props ? props->currency : NULL, x->lang);
    set_properties(x, props);
    *out = x;
    return MP_OK;
}

mp_status mpi_xlsx_status(const mpi_xlsx *x)
{
    return x ? x->st : MP_OK;
}

mp_status mpi_xlsx_fail(mpi_xlsx *x, mp_status st)
{
    return fail(x, st, NULL, mp_last_error());
}

/* A zeroed sheet or chart of size bytes owned by x; NULL after a failure. */
static void *new_child(mpi_xlsx *x, size_t size, const char *what)
{
    if (x->st != MP_OK)
        return NULL;
    child *c = mpi_calloc(1, size);
    if (check_ptr(x, c, what) != MP_OK)
        return NULL;
    c->book = x;
    c->next = x->children;
    x->children = c;
    return c;
}

static void free_children(mpi_xlsx *x)
{
    while (x->children) {
        child *next = x->children->next;
        if (x->children->is_sheet) {
            mpi_xlsx_sheet *sh = (mpi_xlsx_sheet *)x->children;
            free(sh->asked);
            free(sh->fits);
            free(sh->hidden);
            free(sh->keep_row);
            free(sh->keep_rows);
            free(sh->tall_at);
            free(sh->tall_height);
            free(sh->breaks);
        }
        free(x->children);
        x->children = next;
    }
}

mp_status mpi_xlsx_close(mpi_xlsx *x)
{
    if (!x)
        return MP_OK;
    /* workbook_close also frees the workbook: it runs after a failure too, and
     * the caller discards what it wrote. */
    for (child *c = x->children; c; c = c->next)
        if (c->is_sheet) {
            set_widths((mpi_xlsx_sheet *)c);
            set_breaks((mpi_xlsx_sheet *)c);
        }
    errno = 0;
    lxw_error err = workbook_close(x->wb);
    int write_errno = errno;
    check(x, err, "writing the file");
    mp_status st = x->st;
    if (st == MP_ERR_IO)
        mpi_write_error(x->name, "workbook", write_errno, x->failure);
    else if (st != MP_OK)
        mpi_fail(st, N_("%s: cannot write the workbook: %s"), x->name, x->failure);
    free_children(x);
    free(x->name);
    free(x);
    return st;
}

mpi_xlsx_sheet *mpi_xlsx_sheet_add(mpi_xlsx *x, const char *name)
{
    mpi_xlsx_sheet *s = new_child(x, sizeof *s, "a sheet");
    if (!s)
        return NULL;
    s->node.is_sheet = 1;
    s->tall_row = -1;
    s->last_row = -1;
    /* a NULL sheet is a bad name or no memory: ask which */
    lxw_error bad = workbook_validate_sheet_name(x->wb, name);
    if (bad != LXW_NO_ERROR) {
        fail(x, MP_ERR_INTERNAL, name, lxw_strerror(bad));
        return NULL;
    }
    s->ws = workbook_add_worksheet(x->wb, name);
    return check_ptr(x, s->ws, name) == MP_OK ? s : NULL;
}

/* ---- cells -------------------------------------------------------------- */

/* The outcome of a write to a cell: kept with the cell's name on failure. */
static void check_cell(mpi_xlsx_sheet *s, lxw_error err, int row, int col)
{
    if (err == LXW_NO_ERROR) {
        s->last_row = row > s->last_row ? row : s->last_row;
        return;
    }
    char what[96];
    cell_name(what, sizeof what, s, row, col);
    check(s->node.book, err, what);
}

/* Lines text takes wrapped at word ends in a column width characters wide
 * (a word longer than a line takes lines of its own); a letter is about as
 * wide as the digit a width counts, a bold one a tenth wider. */
static int wrapped_lines(const char *text, double width, int bold)
{
    /* a proportional font fits about as many letters as the width counts
     * digits; a character's margin kept each side */
    double room = width > 3 ? width - 1.5 : 1.5;
    room -= bold || room < 3 ? 0 : 1.5; /* a sentence's indent */
    int lines = 1;
    double used = 0;
    for (const char *w = text; *w;) {
        size_t len = strcspn(w, " \n");
        double k = (double)text_chars(w, w[len]) * (bold ? 1.1 : 0.95);
        if (used > 0 && used + 1 + k > room) {
            lines++;
            used = 0;
        }
        for (; k > room; k -= room) /* a word wider than the column */
            lines++;
        used += (used > 0) + k;
        w += len;
        if (*w == '\n') {
            lines++;
            used = 0;
        }
        w += *w != '\0';
    }
    return lines;
}

/* Keep row's height for the page breaks (rows are written in order: a row
 * made taller again is the last one kept). */
static void record_height(mpi_xlsx_sheet *s, int row, double pt)
{
    if (s->ntall && s->tall_at[s->ntall - 1] == row) {
        s->tall_height[s->ntall - 1] = pt;
        return;
    }
    size_t cap = s->tall_cap;
    void *arrays[] = {s->tall_at, s->tall_height};
    const size_t sizes[] = {sizeof *s->tall_at, sizeof *s->tall_height};
    mp_status st = mpi_reserve_all(&cap, s->ntall + 1, 2, arrays, sizes);
    s->tall_at = arrays[0];
    s->tall_height = arrays[1];
    if (check_ptr(s->node.book, st == MP_OK ? s : NULL, "row heights") != MP_OK)
        return;
    s->tall_cap = cap;
    s->tall_at[s->ntall] = row;
    s->tall_height[s->ntall++] = pt;
}

/* Make row tall enough for text wrapped in col: the width asked for the
 * column, or what its text so far needs when more (a heading's longest word;
 * the numbers under it can only widen it, leaving room to spare). LibreOffice
 * does not fit a row to wrapped text when it opens a book. */
/* Column col's width as a reader shows it (0: not known). */
static double col_width(mpi_xlsx_sheet *s, int col)
{
    if (!width_slot(s, col))
        return 0;
    return s->asked[col] > s->fits[col] ? s->asked[col] : s->fits[col];
}

/* Row made tall enough for text wrapped over width characters. */
static void fit_row_to(mpi_xlsx_sheet *s, int row, double width, const char *text, int bold)
{
    double pt = 15.0 * wrapped_lines(text, width > 0 ? width : LXW_DEF_COL_WIDTH, bold);
    if (pt <= 15.0 || (row == s->tall_row && pt <= s->tall_pt))
        return; /* 15 points: a line of 11-point text, the rows' own height */
    s->tall_row = row;
    s->tall_pt = pt;
    record_height(s, row, pt);
    check(s->node.book, worksheet_set_row(s->ws, (lxw_row_t)row, pt, NULL), "a row's height");
}

static void fit_row(mpi_xlsx_sheet *s, int row, int col, const char *text, int bold)
{
    if (!text || !width_slot(s, col))
        return;
    fit_row_to(s, row, col_width(s, col), text, bold);
}

/* Text in a cell; fit: the column is made wide enough for it. */
static void put_text(mpi_xlsx_sheet *s, int row, int col, const char *text, mpi_xlsx_style style,
                     int fit)
{
    mpi_xlsx *x = live(s);
    if (!x || !in_sheet(x, row, col))
        return;
    /* Text is checked where it enters mixplan; should any get past that,
     * Excel refuses a workbook with a string that is not UTF-8 at all. */
    int bad = text && !mpi_utf8_valid(text);
    char *clean = bad ? mpi_strdup(text) : NULL;
    if (clean)
        mpi_utf8_scrub(clean);
    else if (bad && check_ptr(x, NULL, "a cell") != MP_OK)
        return;
    lxw_error err = worksheet_write_string(s->ws, (lxw_row_t)row, (lxw_col_t)col,
                                           clean  ? clean
                                           : text ? text
                                                  : "",
                                           x->style[style]);
    if (err == LXW_NO_ERROR && fit && style != MPI_XLSX_TITLE)
        widen(s, col, text_width(clean ? clean : text ? text : "", style));
    if (err == LXW_NO_ERROR && is_heading(style))
        /* a heading wraps */
        fit_row(s, row, col, clean ? clean : text, 1);
    free(clean);
    check_cell(s, err, row, col);
}

void mpi_xlsx_text(mpi_xlsx_sheet *s, int row, int col, const char *text, mpi_xlsx_style style)
{
    put_text(s, row, col, text, style, 1);
}

void mpi_xlsx_note(mpi_xlsx_sheet *s, int row, int col, const char *text, mpi_xlsx_style style)
{
    put_text(s, row, col, text, style, 0);
}

void mpi_xlsx_wrap(mpi_xlsx_sheet *s, int row, int col, const char *text)
{
    mpi_xlsx *x = live(s);
    if (!x || !in_sheet(x, row, col))
        return;
    put_text(s, row, col, text, MPI_XLSX_WRAP, 0);
    fit_row(s, row, col, text, 0);
}

void mpi_xlsx_wrap_across(mpi_xlsx_sheet *s, int row, int col, int last, const char *text)
{
    mpi_xlsx *x = live(s);
    if (!x || last < col || !in_sheet(x, row, last) || !text || !mpi_utf8_valid(text))
        return;
    lxw_error err = worksheet_merge_range(s->ws, (lxw_row_t)row, (lxw_col_t)col, (lxw_row_t)row,
                                          (lxw_col_t)last, text, x->style[MPI_XLSX_WRAP]);
    if (check(x, err, "a sentence across cells") != MP_OK)
        return;
    double width = 0;
    for (int c = col; c <= last; c++) {
        double w = col_width(s, c);
        width += w > 0 ? w : LXW_DEF_COL_WIDTH;
    }
    fit_row_to(s, row, width, text, 0);
}

void mpi_xlsx_text_cut(mpi_xlsx_sheet *s, int row, int col, const char *text, mpi_xlsx_style style)
{
    mpi_xlsx *x = live(s);
    if (!x)
        return;
    text = text ? text : "";
    size_t units = 0, cut = mpi_utf8_cut_units(text, MPI_MAX_CELL_UNITS, &units);
    if (!text[cut]) {
        mpi_xlsx_text(s, row, col, text, style);
        return;
    }
    char *cut_text = mpi_strndup(text, cut);
    if (check_ptr(x, cut_text, "a long text cut to a cell's limit") == MP_OK)
        mpi_xlsx_text(s, row, col, cut_text, style);
    free(cut_text);
}

void mpi_xlsx_text_row(mpi_xlsx_sheet *s, int row, int col, const char *const *text, int n,
                       mpi_xlsx_style style)
{
    for (int i = 0; i < n; i++)
        mpi_xlsx_text(s, row, col + i, text[i], style);
}

void mpi_xlsx_number(mpi_xlsx_sheet *s, int row, int col, double v, mpi_xlsx_style style)
{
    mpi_xlsx *x = live(s);
    if (!x || !in_sheet(x, row, col))
        return;
    if (!isfinite(v)) {
        lxw_error err = worksheet_write_string(s->ws, (lxw_row_t)row, (lxw_col_t)col,
                                               mpi_tr(x->lang, "n/a"), x->no_number);
        check_cell(s, err, row, col);
        return;
    }
    /* CONV's third section (within 100 of 0) shows no sign in LibreOffice:
     * a small negative change takes the plain one-decimal format */
    if (style == MPI_XLSX_CONV && v <= -0.05 && v > -100) /* shown -0.1 to -99.9 */
        style = MPI_XLSX_DEC1;
    lxw_format *f = style == MPI_XLSX_PRECISE ? precise_format(x, v) : x->style[style];
    lxw_error err = worksheet_write_number(s->ws, (lxw_row_t)row, (lxw_col_t)col, v, f);
    if (err == LXW_NO_ERROR)
        widen(s, col, number_width(v, style));
    check_cell(s, err, row, col);
}

/* ---- short numbers -------------------------------------------------------- */

/* libxlsxwriter writes a number as "%.16G" prints it: the exact binary value
 * to 16 significant digits. A decimal of fewer digits comes out as written
 * only when its nearest double lies within half a unit of that 16th digit,
 * which it does not always do high in a binade (9.3 prints 9.300000000000001). */

/* 10^0 .. 10^22: the powers of ten a double holds exactly. */
static const double exact_pow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                     1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                     1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
#define NPOW10 ((int)(sizeof exact_pow10 / sizeof exact_pow10[0]))

/* Digits of a whole number c, 0 <= c < 10^16 (1 for 0). */
static int digit_count(double c)
{
    int k = 1;
    while (k < 16 && c >= exact_pow10[k])
        k++;
    return k;
}

/* c / 10^s (c whole, below 2^53; s 0..22) as the nearest double, and in
 * *is_short whether "%.16G" prints it with the digits of c alone. */
static double scaled(double c, int s, int *is_short)
{
    double p = exact_pow10[s], x = c / p; /* one rounding: the nearest double */
    /* how far x is from c / 10^s, in units of 10^-s: small, so one fused
     * rounding leaves it exact enough; a tenth of margin keeps a borderline
     * case out */
    double off = fabs(fma(x, p, -c));
    *is_short = off < 0.5 / exact_pow10[16 - digit_count(c)];
    return x;
}

/* a > 0 to `digits` significant digits, halves away from zero: a is about
 * *c / 10^*s, *c a whole number of exactly `digits` digits. 0 when 10^*s
 * would not be exact (a at or past 10^digits, or too small). */
static int to_digits(double a, int digits, double *c, int *s)
{
    int k = digits - 1 - (int)floor(log10(a));
    for (int tries = 0; tries < 3; tries++) { /* log10 may be a digit off */
        if (k < 0 || k >= NPOW10)
            return 0;
        double m = round(a * exact_pow10[k]);
        if (m >= exact_pow10[digits])
            k--;
        else if (m < exact_pow10[digits - 1])
            k++;
        else {
            *c = m;
            *s = k;
            return 1;
        }
    }
    return 0;
}

double mpi_xlsx_round_digits(double v, int digits)
{
    double a = fabs(v);
    if (!(a > 0) || !isfinite(a) || digits < 1 || digits > 15)
        return v;
    /* When no double prints the rounded decimal, its neighbours seldom help
     * (their doubles sit about as far off, a step of 10^-s being close to a
     * whole number of the binade's units), but decimals of a digit or more beyond
     * fall elsewhere: among these levels and their neighbours one prints short
     * for all but about one value in 10^6 (kept as it is, printed long), off
     * v by at most 1.5 units of its last digit asked. */
    for (int more = 0; more <= 3 && digits + more <= 15; more++) {
        double c, x;
        int s, ok;
        if (!to_digits(a, digits + more, &c, &s))
            return v;
        double side = a * exact_pow10[s] > c ? 1 : -1;
        const double step[] = {0, side, -side, 2 * side, -2 * side};
        for (int j = 0; j < (more ? 5 : 3); j++) {
            if (c + step[j] <= 0)
                continue;
            x = scaled(c + step[j], s, &ok);
            if (ok)
                return copysign(x, v);
        }
    }
    return v;
}

/* v to decimals places (0..15), as Excel shows it. */
static double round_decimals(double v, int decimals)
{
    double a = fabs(v), c;
    int s, ok;
    /* Excel shows a number by its 15 significant digits, the last one shown
     * rounded half away from zero: 2.675 shows 2.68 though the double is
     * 2.67499999999999982236431605997495353221893310546875 */
    if (!(a > 0) || !isfinite(a) || decimals < 0 || decimals > 15 || !to_digits(a, 15, &c, &s))
        return v;
    if (s > decimals) {
        if (s - decimals > 15)
            return 0; /* below half a unit of the last decimal */
        uint64_t q = (uint64_t)c, p = (uint64_t)exact_pow10[s - decimals];
        c = (double)((q + p / 2) / p);
        s = decimals;
    }
    return c == 0 ? 0 : copysign(scaled(c, s, &ok), v); /* never "-0" */
}

void mpi_xlsx_figure(mpi_xlsx_sheet *s, int row, int col, double v, mpi_xlsx_style style)
{
    mpi_xlsx_number(s, row, col, mpi_xlsx_round_digits(v, MPI_XLSX_FIGURE_DIGITS), style);
}

/* The decimals a style shows (-1: none fixed, the value kept as it is). */
static int shown_decimals(mpi_xlsx_style style)
{
    switch (style) {
    case MPI_XLSX_MONEY:
    case MPI_XLSX_COUNT: return 0;
    case MPI_XLSX_DEC1:
    case MPI_XLSX_CONV: return 1; /* CONV below 100 */
    case MPI_XLSX_CENTS:
    case MPI_XLSX_DEC: return 2;
    case MPI_XLSX_PCT: return 3; /* a fraction shown as 12.3% */
    default: return -1;
    }
}

double mpi_xlsx_round_shown(double v, mpi_xlsx_style style)
{
    int d = shown_decimals(style);
    if (d < 0)
        return v;
    if (style == MPI_XLSX_CONV && fabs(v) >= 100)
        return round_decimals(v, 0);
    double r = round_decimals(v, d);
    if (style == MPI_XLSX_CONV && fabs(r) >= 100)
        return round_decimals(v, 2); /* 99.96 shows 100.0, and 100 would show 100 */
    return r;
}

void mpi_xlsx_shown(mpi_xlsx_sheet *s, int row, int col, double v, mpi_xlsx_style style)
{
    mpi_xlsx_number(s, row, col, mpi_xlsx_round_shown(v, style), style);
}

void mpi_xlsx_date(mpi_xlsx_sheet *s, int row, int col, long day, mpi_xlsx_style style)
{
    /* Excel counts days from 1899-12-30 (its 1900 leap-year bug included):
     * 1970-01-01 is day 25,569 */
    mpi_xlsx_number(s, row, col, (double)day + 25569, style);
}

void mpi_xlsx_sum(mpi_xlsx_sheet *s, int row, int col, mpi_xlsx_range over, double value,
                  mpi_xlsx_style style)
{
    mpi_xlsx *x = live(s);
    if (!x || !in_sheet(x, row, col) || !range_in_sheet(x, over))
        return;
    char c0[LXW_MAX_COL_NAME_LENGTH], c1[LXW_MAX_COL_NAME_LENGTH], f[64];
    lxw_col_to_name(c0, (lxw_col_t)over.col0, LXW_FALSE);
    lxw_col_to_name(c1, (lxw_col_t)over.col1, LXW_FALSE);
    snprintf(f, sizeof f, "=SUM(%s%d:%s%d)", c0, over.row0 + 1, c1, over.row1 + 1);
    lxw_error err = worksheet_write_formula_num(s->ws, (lxw_row_t)row, (lxw_col_t)col, f,
                                                x->style[style], value);
    if (err == LXW_NO_ERROR)
        widen(s, col, number_width(value, style));
    check_cell(s, err, row, col);
}

/* ---- sheet layout ------------------------------------------------------- */

void mpi_xlsx_columns(mpi_xlsx_sheet *s, int first, int last, double width)
{
    mpi_xlsx *x = live(s);
    if (!x || !in_sheet(x, 0, first) || !in_sheet(x, 0, last))
        return;
    for (int c = first; c <= last && width_slot(s, c); c++)
        s->asked[c] = width;
}

/* Append text to buf (size n, holding o bytes) with "&" doubled, as page
 * headers read "&" as the start of a code; at most 90 characters of it, so
 * that a header stays under Excel's 255. Returns the new length. */
static size_t put_header_text(char *buf, size_t n, size_t o, const char *text)
{
    size_t units = 0, cut = mpi_utf8_cut_units(text, 90, &units);
    for (size_t i = 0; i < cut && o + 3 < n; i++) {
        if (text[i] == '&')
            buf[o++] = '&';
        buf[o++] = text[i];
    }
    buf[o] = '\0';
    return o;
}

/* Bytes of the character before t[i] when a shortened header part should
 * not end on it (a space, a comma or colon, a dash, "–" or "—"), else 0. */
static size_t trailing_mark(const char *t, size_t i)
{
    if (i >= 1 && strchr(" ,;:-", t[i - 1]))
        return 1;
    if (i >= 3 && !strncmp(t + i - 3, "\xe2\x80", 2) && (t[i - 1] == '\x93' || t[i - 1] == '\x94'))
        return 3;
    return 0;
}

/* The bytes of text to keep in a header part of at most max units ("&"
 * doubled): all of it when it fits, else its words that fit with the "…"
 * after them (*cut set), never part of a word unless its first word alone is
 * too long. */
static size_t header_fit(const char *text, size_t max, int *cut)
{
    const unsigned char *u = (const unsigned char *)text;
    size_t units = 0, word_end = 0, i = 0, fit = 0;
    for (; u[i]; i++) {
        if ((u[i] & 0xC0) == 0x80)
            continue;
        if (u[i] == ' ' && units + 1 <= max) /* the word before ends here, "…" after it */
            word_end = i;
        units += (u[i] >= 0xF0 ? 2 : 1) + (u[i] == '&');
        if (units + 1 <= max)
            fit = i + 1; /* a character boundary: the next lead byte is after it */
    }
    *cut = units > max;
    if (!*cut)
        return i;
    size_t keep = word_end ? word_end : mpi_utf8_floor(text, fit);
    for (size_t k; keep > 0 && (k = trailing_mark(text, keep)) > 0;)
        keep -= k;
    return keep;
}

/* Append text[0..len) to buf (size n, holding o bytes) with "&" doubled,
 * and "…" when cut. Returns the new length. */
static size_t put_header_part(char *buf, size_t n, size_t o, const char *text, size_t len, int cut)
{
    for (size_t i = 0; i < len && o + 3 < n; i++) {
        if (text[i] == '&')
            buf[o++] = '&';
        buf[o++] = text[i];
    }
    if (cut && o + 4 < n)
        o += (size_t)snprintf(buf + o, n - o, "\u2026");
    buf[o] = '\0';
    return o;
}

/* Units of text[0..len) in a header, "&" doubled. */
static size_t header_units(const char *text, size_t len)
{
    const unsigned char *u = (const unsigned char *)text;
    size_t units = 0;
    for (size_t i = 0; i < len && u[i]; i++)
        if ((u[i] & 0xC0) != 0x80)
            units += (u[i] >= 0xF0 ? 2 : 1) + (u[i] == '&');
    return units;
}

/* "&Lleft&Ccentre tail&Rright" within MPI_XLSX_HEADER_MAX units (see
 * mpi_xlsx_print): the sides and the tail first, the centre in the rest. */
static void header_line(char *head, size_t n, const mpi_xlsx_print *p)
{
    const char *left = p->left ? p->left : "", *right = p->right ? p->right : "";
    const char *centre = p->centre ? p->centre : "", *tail = p->centre_tail ? p->centre_tail : "";
    int cl, cr = 0, ct, cc;
    size_t ll = header_fit(left, MPI_XLSX_HEADER_SIDE, &cl);
    size_t lr = p->right ? header_fit(right, MPI_XLSX_HEADER_SIDE, &cr) : 0;
    size_t lt = header_fit(tail, 2 * MPI_XLSX_HEADER_SIDE, &ct);
    size_t used = 6 + header_units(left, ll) + (size_t)cl + header_units(tail, lt) + (size_t)ct +
                  (p->right ? header_units(right, lr) : 2) + (size_t)cr;
    size_t lc =
        header_fit(centre, used < MPI_XLSX_HEADER_MAX ? MPI_XLSX_HEADER_MAX - used : 0, &cc);
    size_t o = (size_t)snprintf(head, n, "&L");
    o = put_header_part(head, n, o, left, ll, cl);
    o += (size_t)snprintf(head + o, n - o, "&C");
    o = put_header_part(head, n, o, centre, lc, cc);
    o = put_header_part(head, n, o, tail, lt, ct);
    o += (size_t)snprintf(head + o, n - o, "&R");
    if (p->right)
        put_header_part(head, n, o, right, lr, cr);
    else
        snprintf(head + o, n - o, "&D");
}

/* The footer line with "{page}" as &P and "{pages}" as &N, centred. */
static void footer_codes(char *buf, size_t n, const char *line)
{
    size_t o = (size_t)snprintf(buf, n, "&C");
    while (*line && o + 4 < n) {
        if (!strncmp(line, "{pages}", 7) || !strncmp(line, "{page}", 6)) {
            int all = line[5] == 's';
            o += (size_t)snprintf(buf + o, n - o, all ? "&N" : "&P");
            line += all ? 7 : 6;
            continue;
        }
        size_t k = strcspn(line, "{");
        k += k == 0; /* a brace that opens no code is text */
        char part[256];
        snprintf(part, sizeof part, "%.*s", (int)(k < sizeof part ? k : sizeof part - 1), line);
        o = put_header_text(buf, n, o, part);
        line += k;
    }
}

void mpi_xlsx_print_setup(mpi_xlsx_sheet *s, const mpi_xlsx_print *p)
{
    mpi_xlsx *x = live(s);
    if (!x || !p)
        return;
    worksheet_set_landscape(s->ws);
    worksheet_set_paper(s->ws, 9); /* A4 */
    worksheet_fit_to_pages(s->ws, (uint16_t)(p->pages_wide > 1 ? p->pages_wide : 1),
                           p->one_page ? 1 : 0);
    if (p->first_row >= 0 && p->last_row >= p->first_row && in_sheet(x, p->last_row, 0))
        check(x, worksheet_repeat_rows(s->ws, (lxw_row_t)p->first_row, (lxw_row_t)p->last_row),
              "rows repeated on each page");
    if (p->repeat_cols > 0 && in_sheet(x, 0, p->repeat_cols - 1))
        check(x, worksheet_repeat_columns(s->ws, 0, (lxw_col_t)(p->repeat_cols - 1)),
              "columns repeated on each page");
    char head[4 * MPI_XLSX_HEADER_MAX + 8], foot[600];
    header_line(head, sizeof head, p);
    check(x, worksheet_set_header(s->ws, head), "the page header");
    if (p->footer) {
        footer_codes(foot, sizeof foot, p->footer);
        check(x, worksheet_set_footer(s->ws, foot), "the page footer");
    }
}

void mpi_xlsx_print_area(mpi_xlsx_sheet *s, mpi_xlsx_range r)
{
    mpi_xlsx *x = live(s);
    if (!x || !range_in_sheet(x, r))
        return;
    lxw_error err = worksheet_print_area(s->ws, (lxw_row_t)r.row0, (lxw_col_t)r.col0,
                                         (lxw_row_t)r.row1, (lxw_col_t)r.col1);
    check(x, err, "the print area");
}

void mpi_xlsx_hide_columns(mpi_xlsx_sheet *s, int first, int last)
{
    mpi_xlsx *x = live(s);
    if (!x || !in_sheet(x, 0, first) || !in_sheet(x, 0, last + 1))
        return;
    for (int c = first; c <= last + 1 && width_slot(s, c); c++) /* last + 1: the "+" */
        s->hidden[c] = c <= last;
}

void mpi_xlsx_freeze(mpi_xlsx_sheet *s, int row, int col)
{
    mpi_xlsx *x = live(s);
    if (x && in_sheet(x, row, col))
        worksheet_freeze_panes(s->ws, (lxw_row_t)row, (lxw_col_t)col);
}

void mpi_xlsx_autofilter(mpi_xlsx_sheet *s, mpi_xlsx_range r)
{
    mpi_xlsx *x = live(s);
    if (!x || !range_in_sheet(x, r))
        return;
    lxw_error err = worksheet_autofilter(s->ws, (lxw_row_t)r.row0, (lxw_col_t)r.col0,
                                         (lxw_row_t)r.row1, (lxw_col_t)r.col1);
    check(x, err, "a filter");
}

void mpi_xlsx_color_scale(mpi_xlsx_sheet *s, mpi_xlsx_range r)
{
    mpi_xlsx *x = live(s);
    if (!x || !range_in_sheet(x, r))
        return;
    lxw_conditional_format cf = {.type = LXW_CONDITIONAL_3_COLOR_SCALE};
    lxw_error err = worksheet_conditional_format_range(s->ws, (lxw_row_t)r.row0, (lxw_col_t)r.col0,
                                                       (lxw_row_t)r.row1, (lxw_col_t)r.col1, &cf);
    check(x, err, "a colour scale");
}

/* ---- charts ------------------------------------------------------------- */

mpi_xlsx_chart *mpi_xlsx_chart_add(mpi_xlsx *x, mpi_xlsx_chart_kind kind)
{
    static const uint8_t types[] = {[MPI_XLSX_PIE] = LXW_CHART_PIE,
                                    [MPI_XLSX_LINE] = LXW_CHART_LINE,
                                    [MPI_XLSX_STACKED_PCT] = LXW_CHART_COLUMN_STACKED_PERCENT,
                                    [MPI_XLSX_COLUMN] = LXW_CHART_COLUMN,
                                    [MPI_XLSX_STACKED] = LXW_CHART_COLUMN_STACKED,
                                    [MPI_XLSX_STACKED_AREA] = LXW_CHART_AREA_STACKED};
    mpi_xlsx_chart *ch = new_child(x, sizeof *ch, "a chart");
    if (!ch)
        return NULL;
    ch->chart = workbook_add_chart(x->wb, types[kind]);
    return check_ptr(x, ch->chart, "a chart") == MP_OK ? ch : NULL;
}

/* name as a sheet name in a formula: quoted unless plain letters, digits and
 * underscores (a quote inside is doubled). */
static void sheet_ref(char *buf, size_t n, const char *name)
{
    int plain = !isdigit((unsigned char)name[0]);
    for (const char *p = name; *p; p++)
        plain &= isalnum((unsigned char)*p) || *p == '_';
    if (plain) {
        snprintf(buf, n, "%s", name);
        return;
    }
    size_t o = 0;
    buf[o++] = '\'';
    for (const char *p = name; *p && o + 3 < n; p++) {
        if (*p == '\'')
            buf[o++] = '\'';
        buf[o++] = *p;
    }
    buf[o++] = '\'';
    buf[o] = '\0';
}

/* "=Sheet!$A$2:$A$9", or "=Sheet!$B$1" for the cell r.row0, r.col0 when one. */
static void range_formula(char *buf, size_t n, const mpi_xlsx_sheet *s, mpi_xlsx_range r, int one)
{
    char sh[4 * LXW_SHEETNAME_MAX + 3], c0[LXW_MAX_COL_NAME_LENGTH], c1[LXW_MAX_COL_NAME_LENGTH];
    sheet_ref(sh, sizeof sh, s->ws->name);
    lxw_col_to_name(c0, (lxw_col_t)r.col0, LXW_TRUE);
    lxw_col_to_name(c1, (lxw_col_t)r.col1, LXW_TRUE);
    if (one)
        snprintf(buf, n, "=%s!%s$%d", sh, c0, r.row0 + 1);
    else
        snprintf(buf, n, "=%s!%s$%d:%s$%d", sh, c0, r.row0 + 1, c1, r.row1 + 1);
}

/* A series over ranges of s; its name is text, or the cell *name_at when given. */
static void add_series(mpi_xlsx_chart *ch, const mpi_xlsx_sheet *s, mpi_xlsx_range cats,
                       mpi_xlsx_range vals, const char *name, const mpi_xlsx_range *name_at)
{
    mpi_xlsx *x = live(s);
    if (!x || !ch || !range_in_sheet(x, cats) || !range_in_sheet(x, vals) ||
        (name_at && !range_in_sheet(x, *name_at)))
        return;
    char c[160], v[160], nm[160];
    range_formula(c, sizeof c, s, cats, 0);
    range_formula(v, sizeof v, s, vals, 0);
    lxw_chart_series *se = chart_add_series(ch->chart, c, v);
    if (check_ptr(x, se, "a chart series") != MP_OK)
        return;
    ch->last = se;
    if (name_at) {
        range_formula(nm, sizeof nm, s, *name_at, 1);
        name = nm;
    }
    if (name)
        chart_series_set_name(se, name);
}

void mpi_xlsx_series(mpi_xlsx_chart *ch, const mpi_xlsx_sheet *s, mpi_xlsx_range cats,
                     mpi_xlsx_range vals, const char *name)
{
    add_series(ch, s, cats, vals, name, NULL);
}

void mpi_xlsx_series_named_by(mpi_xlsx_chart *ch, const mpi_xlsx_sheet *s, mpi_xlsx_range cats,
                              mpi_xlsx_range vals, int name_row, int name_col)
{
    mpi_xlsx_range at = {name_row, name_col, name_row, name_col};
    add_series(ch, s, cats, vals, NULL, &at);
}

/* The channels' colours: distinct, readable in grey, repeating after 12. */
static const lxw_color_t palette[] = {0x1F77B4, 0xFF7F0E, 0x2CA02C, 0xD62728, 0x9467BD, 0x8C564B,
                                      0xE377C2, 0x7F7F7F, 0xBCBD22, 0x17BECF, 0x393B79, 0xAD494A};
#define NPALETTE ((int)(sizeof palette / sizeof palette[0]))

void mpi_xlsx_series_colour(mpi_xlsx_chart *ch, int k)
{
    if (!ch || ch->node.book->st != MP_OK || !ch->last || k < 0)
        return;
    lxw_chart_fill fill = {.color = palette[k % NPALETTE]};
    lxw_chart_line line = {.color = palette[k % NPALETTE]};
    chart_series_set_fill(ch->last, &fill);
    chart_series_set_line(ch->last, &line);
}

void mpi_xlsx_points_palette(mpi_xlsx_chart *ch, const int *k, int n)
{
    if (!ch || ch->node.book->st != MP_OK || !ch->last || !k || n <= 0)
        return;
    enum { MAXPOINTS = 64 };
    lxw_chart_fill fill[MAXPOINTS];
    lxw_chart_point pt[MAXPOINTS];
    lxw_chart_point *pts[MAXPOINTS + 1];
    int m = n < MAXPOINTS ? n : MAXPOINTS; /* past them: the chart's own colours */
    for (int i = 0; i < m; i++) {
        fill[i] = (lxw_chart_fill){.color = palette[(k[i] > 0 ? k[i] : 0) % NPALETTE]};
        pt[i] = (lxw_chart_point){.fill = &fill[i]};
        pts[i] = &pt[i];
    }
    pts[m] = NULL;
    check(ch->node.book, chart_series_set_points(ch->last, pts), "a chart's colours");
}

void mpi_xlsx_points_colours(mpi_xlsx_chart *ch, int n)
{
    int k[NPALETTE];
    int m = n < NPALETTE ? n : NPALETTE; /* past the palette: the chart's own colours */
    for (int i = 0; i < m; i++)
        k[i] = i;
    mpi_xlsx_points_palette(ch, k, m);
}

void mpi_xlsx_chart_legend_below(mpi_xlsx_chart *ch)
{
    if (ch && ch->node.book->st == MP_OK)
        chart_legend_set_position(ch->chart, LXW_CHART_LEGEND_BOTTOM);
}

void mpi_xlsx_chart_no_legend(mpi_xlsx_chart *ch)
{
    if (ch && ch->node.book->st == MP_OK)
        chart_legend_set_position(ch->chart, LXW_CHART_LEGEND_NONE);
}

void mpi_xlsx_chart_titles(mpi_xlsx_chart *ch, const char *title, const char *x_axis,
                           const char *y_axis)
{
    if (!ch || ch->node.book->st != MP_OK)
        return;
    if (title)
        chart_title_set_name(ch->chart, title);
    if (x_axis)
        chart_axis_set_name(ch->chart->x_axis, x_axis);
    if (y_axis)
        chart_axis_set_name(ch->chart->y_axis, y_axis);
}

void mpi_xlsx_chart_axis_styles(mpi_xlsx_chart *ch, mpi_xlsx_style x_axis, mpi_xlsx_style y_axis)
{
    if (!ch || ch->node.book->st != MP_OK)
        return;
    const mpi_xlsx *x = ch->node.book;
    /* libxlsxwriter copies the format string; the values' ticks are round */
    const char *values = y_axis == MPI_XLSX_CONV  ? format_of(x, MPI_XLSX_COUNT)
                         : y_axis == MPI_XLSX_PCT ? x->axis_pct
                                                  : format_of(x, y_axis);
    if (x_axis != MPI_XLSX_PLAIN && *format_of(x, x_axis))
        chart_axis_set_num_format(ch->chart->x_axis, format_of(x, x_axis));
    if (y_axis != MPI_XLSX_PLAIN && *values)
        chart_axis_set_num_format(ch->chart->y_axis, values);
}

void mpi_xlsx_series_floor(mpi_xlsx_chart *ch)
{
    if (!ch || ch->node.book->st != MP_OK || !ch->last)
        return;
    lxw_chart_fill none = {.none = LXW_TRUE};
    lxw_chart_line no_line = {.none = LXW_TRUE};
    chart_series_set_fill(ch->last, &none);
    chart_series_set_line(ch->last, &no_line);
    int16_t first[] = {0, -1}; /* libxlsxwriter copies the list */
    check(ch->node.book, chart_legend_delete_series(ch->chart, first), "a chart's legend");
    chart_show_hidden_data(ch->chart);
}

void mpi_xlsx_series_band(mpi_xlsx_chart *ch, int k)
{
    /* the outer layers light, the inner darker, the one below them orange */
    static const lxw_color_t shades[] = {0xA9C9E8, 0x5B9BD5, 0xF4B183};
    if (!ch || ch->node.book->st != MP_OK || !ch->last || k < 0 || k > 2)
        return;
    lxw_chart_fill fill = {.color = shades[k]};
    lxw_chart_line line = {.color = shades[k]};
    chart_series_set_fill(ch->last, &fill);
    chart_series_set_line(ch->last, &line);
}

void mpi_xlsx_chart_values_from(mpi_xlsx_chart *ch, double min)
{
    /* set on the axis itself: libxlsxwriter 1.1's chart_axis_set_min takes
     * an area chart's value axis for a category one and refuses */
    if (ch && ch->node.book->st == MP_OK && isfinite(min)) {
        ch->chart->y_axis->has_min = LXW_TRUE;
        ch->chart->y_axis->min = min;
    }
}

void mpi_xlsx_chart_values_from_zero(mpi_xlsx_chart *ch)
{
    if (ch && ch->node.book->st == MP_OK)
        chart_axis_set_min(ch->chart->y_axis, 0);
}

void mpi_xlsx_chart_insert(mpi_xlsx_sheet *s, int row, int col, mpi_xlsx_chart *ch)
{
    mpi_xlsx *x = live(s);
    if (!x || !ch || !in_sheet(x, row, col))
        return;
    lxw_error err = worksheet_insert_chart(s->ws, (lxw_row_t)row, (lxw_col_t)col, ch->chart);
    check(x, err, "a chart");
}

void mpi_xlsx_chart_place(mpi_xlsx_sheet *s, int row, int col, mpi_xlsx_chart *ch, int x_px,
                          int width_px, int height_px)
{
    mpi_xlsx *x = live(s);
    if (!x || !ch || !in_sheet(x, row, col))
        return;
    lxw_chart_options o = {.x_offset = x_px,
                           .x_scale = width_px > 0 ? width_px / 480.0 : 1,
                           .y_scale = height_px > 0 ? height_px / 288.0 : 1};
    lxw_error err =
        worksheet_insert_chart_opt(s->ws, (lxw_row_t)row, (lxw_col_t)col, ch->chart, &o);
    check(x, err, "a chart");
}
