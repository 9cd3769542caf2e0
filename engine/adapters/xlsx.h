/* Excel workbooks (xlsx.c, the one file that includes xlsxwriter.h): a book
 * of sheets, a fixed set of named cell styles, numbers, text and SUM formulas
 * with their value, column widths, frozen panes, filters, a colour scale, and
 * charts whose series are ranges of a sheet. Rows and columns are 0-based.
 *
 * Errors are sticky: the first call that fails (out of memory, a cell out of
 * Excel's range, anything libxlsxwriter refuses) is kept with its message and
 * every later call does nothing, so a renderer writes everything and checks
 * once, at mpi_xlsx_close(). The book owns its sheets and charts: close frees
 * them all. Sheets are streamed to disk (constant memory): the rows of a
 * sheet must be written top to bottom, and a write above the last row written
 * fails. */
#ifndef MPI_XLSX_H
#define MPI_XLSX_H

#include "base.h"

typedef struct mpi_xlsx mpi_xlsx;
typedef struct mpi_xlsx_sheet mpi_xlsx_sheet;
typedef struct mpi_xlsx_chart mpi_xlsx_chart;

/* The styles a cell may have: the book's one table of number formats
 * (xlsx.c). Excel and LibreOffice show the separators of the reader's
 * locale; the currency is the book's (mpi_xlsx_props). */
typedef enum mpi_xlsx_style {
    MPI_XLSX_PLAIN, /* the default style (General) */
    MPI_XLSX_TITLE, /* bold, 14 points */
    MPI_XLSX_BOLD,
    MPI_XLSX_HEAD,      /* a column heading: bold, a thin bottom border, wrapped text */
    MPI_XLSX_HEAD_NUM,  /* the heading of a column of numbers: the same, right-aligned */
    MPI_XLSX_HEAD_WRAP, /* the heading of a column of sentences (WRAP): indented as they are */
    MPI_XLSX_HEAD_DATE, /* a column heading that is a date */
    MPI_XLSX_MONEY,     /* money in whole units with the currency: 12,345 € */
    MPI_XLSX_CENTS,     /* money with cents (CPC, CPA, bids, unit costs): 1.23 € */
    MPI_XLSX_COUNT,     /* a whole count (people, impressions, clicks, kg): 12,345 */
    MPI_XLSX_CONV,      /* conversions: 12,345, and one decimal within 100 of 0: 12.3 */
    MPI_XLSX_DEC1,      /* one decimal (GRP): 12.3 */
    MPI_XLSX_DEC,       /* two decimals (an index, a ratio): 12,345.67 */
    MPI_XLSX_PCT,       /* a fraction shown as a percentage: 0.123 as 12.3%, 3.95 as 395.0% */
    MPI_XLSX_DATE,      /* a day (mpi_xlsx_date): 2 Mar 2026, or 02/03/2026 in French */
    MPI_XLSX_PRECISE,   /* 3 significant digits, never 0 for a non-zero value: 0.00878 */
    MPI_XLSX_WRAP,      /* a sentence wrapped in its column, its last line at the bottom */
    MPI_XLSX_RIGHT,     /* text in a column of numbers (a week's name, yes or no): right-aligned */
    MPI_XLSX_NSTYLES
} mpi_xlsx_style;

typedef enum mpi_xlsx_chart_kind {
    MPI_XLSX_PIE,
    MPI_XLSX_LINE,
    MPI_XLSX_STACKED_PCT, /* stacked columns, each column scaled to 100 % */
    MPI_XLSX_COLUMN,      /* clustered columns: one per series side by side in each category */
    MPI_XLSX_STACKED,     /* stacked columns: the series on top of each other */
    MPI_XLSX_STACKED_AREA /* stacked areas: a band over a category axis */
} mpi_xlsx_chart_kind;

/* A block of cells, first and last row and column included. */
typedef struct mpi_xlsx_range {
    int row0, col0, row1, col1;
} mpi_xlsx_range;

/* Document properties (NULL: left out). */
typedef struct mpi_xlsx_props {
    const char *title, *company, *comments;
    const char *currency; /* ISO code of MPI_XLSX_MONEY and _CENTS ("EUR" shows €); NULL: none */
    mpi_lang lang;        /* how MPI_XLSX_DATE writes a day: 2 Mar 2026 / 02/03/2026; in
                             French, LibreOffice shows numbers as French writes them */
} mpi_xlsx_props;

/* Start a workbook to be written to path; name is what messages call it (the
 * file the caller will rename path to). On failure *out is NULL. */
mp_status mpi_xlsx_open(const char *path, const char *name, const mpi_xlsx_props *props,
                        mpi_xlsx **out);
/* Write the file and free the book, its sheets and charts. Returns the first
 * failure of any call on the book (its message says what failed), else the
 * result of writing the file; x NULL is a no-op returning MP_OK. */
mp_status mpi_xlsx_close(mpi_xlsx *x);
/* The first failure so far (MP_OK when none). */
mp_status mpi_xlsx_status(const mpi_xlsx *x);
/* Keep a failure of the caller's (st, whose message mpi_fail has just set) as
 * the book's when it has none yet: the rest of the book is skipped and close
 * reports it. Returns the book's status. */
mp_status mpi_xlsx_fail(mpi_xlsx *x, mp_status st);

/* A new sheet after the others; NULL after a failure (every call on a NULL
 * sheet or chart does nothing: the book holds the failure). */
mpi_xlsx_sheet *mpi_xlsx_sheet_add(mpi_xlsx *x, const char *name);

/* A number; a value that is not finite is written as the text "n/a" in the
 * book's language. */
void mpi_xlsx_number(mpi_xlsx_sheet *s, int row, int col, double v, mpi_xlsx_style style);
/* A figure of a long table (a row per keyword): v written with at most
 * MPI_XLSX_FIGURE_DIGITS significant digits. The solver's figures carry no
 * more (it agrees with itself to about 1e-9), a column of them still adds up
 * to the totals shown elsewhere to 1e-10, and without the noise of "%.16G"'s
 * last digits, which compresses badly, a workbook of 100,000 keywords is a
 * fifth smaller and faster to write. */
enum { MPI_XLSX_FIGURE_DIGITS = 11 };
void mpi_xlsx_figure(mpi_xlsx_sheet *s, int row, int col, double v, mpi_xlsx_style style);
/* A number rounded to what its style shows (MPI_XLSX_CENTS: to cents, MONEY and
 * COUNT: whole, CONV: whole from 100, else one decimal, DEC1: one decimal, DEC:
 * two, PCT: a tenth of a percent; other styles: as it is), as Excel rounds it
 * for display (its 15 significant digits, halves away from zero): a bid the
 * planner types in as it reads it. */
void mpi_xlsx_shown(mpi_xlsx_sheet *s, int row, int col, double v, mpi_xlsx_style style);
/* The double mpi_xlsx_figure writes for v to digits significant digits
 * (1..15): within 1.5 units of the last, chosen so that libxlsxwriter's
 * "%.16G" prints it short (no double prints 9.3 so: "9.300000000000001"; a
 * figure there takes a decimal of one to three digits more nearby, and the
 * one in about 10^6 that finds none is kept as it is, as is a value not
 * finite or too large or too small for the digits asked). */
double mpi_xlsx_round_digits(double v, int digits);
/* The double mpi_xlsx_shown writes for v in style: what the style shows, kept
 * even where "%.16G" prints it long. */
double mpi_xlsx_round_shown(double v, mpi_xlsx_style style);
/* A day, days since 1970-01-01, as a date cell (style MPI_XLSX_DATE or
 * MPI_XLSX_HEAD_DATE). */
void mpi_xlsx_date(mpi_xlsx_sheet *s, int row, int col, long day, mpi_xlsx_style style);
/* Text, always as text (a string starting with "=" stays a string); NULL is "". */
void mpi_xlsx_text(mpi_xlsx_sheet *s, int row, int col, const char *text, mpi_xlsx_style style);
/* Text that reads across the empty cells on its right (a title, a note, a
 * sentence): written like mpi_xlsx_text, but its column is not widened for it. */
void mpi_xlsx_note(mpi_xlsx_sheet *s, int row, int col, const char *text, mpi_xlsx_style style);
/* A sentence wrapped in its column (style MPI_XLSX_WRAP), its row made tall
 * enough for it: LibreOffice does not fit a row to wrapped text it opens, so
 * the lines would run over the rows below. The column's width must be set
 * (mpi_xlsx_columns) before; the row must be the last one written. */
void mpi_xlsx_wrap(mpi_xlsx_sheet *s, int row, int col, const char *text);
/* The same over the merged cells col .. last of row (a long sentence beside
 * a chart: it wraps before the chart's column and the row grows). Text that
 * is not UTF-8 is not written (the catalogue's sentences always are). */
void mpi_xlsx_wrap_across(mpi_xlsx_sheet *s, int row, int col, int last, const char *text);
/* Text that may be longer than a cell holds (a keyword from a dataset): cut to its first
 * MPI_MAX_CELL_UNITS without splitting a character; the reader of the dataset warns. */
void mpi_xlsx_text_cut(mpi_xlsx_sheet *s, int row, int col, const char *text, mpi_xlsx_style style);
/* The same text in a row of n cells from col. */
void mpi_xlsx_text_row(mpi_xlsx_sheet *s, int row, int col, const char *const *text, int n,
                       mpi_xlsx_style style);
/* A live =SUM() over cells of the same sheet, carrying its value for readers
 * that do not recompute. */
void mpi_xlsx_sum(mpi_xlsx_sheet *s, int row, int col, mpi_xlsx_range over, double value,
                  mpi_xlsx_style style);

/* Width of columns first..last, in characters, at least: every column is
 * made as wide as the widest text or number written in it (a heading: its
 * longest word, as headings wrap; a note or a title: not counted). */
void mpi_xlsx_columns(mpi_xlsx_sheet *s, int first, int last, double width);
/* How a sheet prints: landscape A4, one page wide (one_page: the whole
 * sheet on one page; pages_wide: that many pages across instead), the rows
 * first_row..last_row and the first repeat_cols columns repeated on every page
 * (last_row < 0: none), a page header with left, centre and right text
 * (right NULL: the printing date, as the reader's locale writes it), and
 * footer, a line where "{page}" and "{pages}" are the page number and the
 * page count. NULL texts: left out. */
/* The page header's left, centre and right: together, with their "&L", "&C"
 * and "&R" codes and each "&" doubled, within Excel's 255 (UTF-16 units);
 * the left and right are shortened past MPI_XLSX_HEADER_SIDE each, the centre
 * to what is left after centre_tail, which is kept whole ("plan — what-if"):
 * at the end of a word, with "…". */
enum { MPI_XLSX_HEADER_MAX = 255, MPI_XLSX_HEADER_SIDE = 60 };
typedef struct mpi_xlsx_print {
    const char *left, *centre, *centre_tail, *right, *footer;
    int first_row, last_row;
    int one_page;
    int pages_wide;  /* pages across (0: one) */
    int repeat_cols; /* the first columns repeated on every page (0: none) */
} mpi_xlsx_print;
void mpi_xlsx_print_setup(mpi_xlsx_sheet *s, const mpi_xlsx_print *p);
/* Only the cells of r print (the rest of the sheet stays on screen). */
void mpi_xlsx_print_area(mpi_xlsx_sheet *s, mpi_xlsx_range r);
/* Rows row..row + n - 1 print on one page: a block's title, its heading and
 * its first row. A sheet with such blocks has every page break set when the
 * book is closed: its pages as full as they hold at the scale that fits the
 * sheet one page wide (mpi_xlsx_print_setup), cut before a block that would
 * not fit whole on what is left of a page. */
void mpi_xlsx_keep_together(mpi_xlsx_sheet *s, int row, int n);
/* Columns first..last grouped and folded away: hidden, they do not print,
 * and the group's "+" above the sheet opens them (figures for a specialist
 * a printed page need not carry). */
void mpi_xlsx_hide_columns(mpi_xlsx_sheet *s, int first, int last);
/* Keep the rows above row and the columns left of col in view. */
void mpi_xlsx_freeze(mpi_xlsx_sheet *s, int row, int col);
/* Filter buttons on the first row of the range. */
void mpi_xlsx_autofilter(mpi_xlsx_sheet *s, mpi_xlsx_range r);
/* A three-colour scale (low red, high green) over the range. */
void mpi_xlsx_color_scale(mpi_xlsx_sheet *s, mpi_xlsx_range r);

mpi_xlsx_chart *mpi_xlsx_chart_add(mpi_xlsx *x, mpi_xlsx_chart_kind kind);
/* A series of chart: categories and values are ranges of sheet s (one column
 * or one row each); its name is the text name. */
void mpi_xlsx_series(mpi_xlsx_chart *ch, const mpi_xlsx_sheet *s, mpi_xlsx_range cats,
                     mpi_xlsx_range vals, const char *name);
/* The same with the name read from a cell of s. */
void mpi_xlsx_series_named_by(mpi_xlsx_chart *ch, const mpi_xlsx_sheet *s, mpi_xlsx_range cats,
                              mpi_xlsx_range vals, int name_row, int name_col);
/* Channel colours, the same in every chart: the last series added takes
 * colour k of one palette (k: the channel's place in the plan). */
void mpi_xlsx_series_colour(mpi_xlsx_chart *ch, int k);
/* A band (MPI_XLSX_STACKED or MPI_XLSX_STACKED_AREA): the series just added,
 * the chart's first, is its floor: it draws nothing and is out of the
 * legend, and the series stacked on it float from its values. The chart
 * plots cells of hidden columns too (a band's figures may be folded away). */
void mpi_xlsx_series_floor(mpi_xlsx_chart *ch);
/* A band's layer: the last series added takes shade k of one colour (0 the
 * outer layers, 1 the inner; 2 a layer below them, in another colour). */
void mpi_xlsx_series_band(mpi_xlsx_chart *ch, int k);
/* For a pie: the points of its last series take colours 0..n-1. */
void mpi_xlsx_points_colours(mpi_xlsx_chart *ch, int n);
/* For a chart of one series: point i takes colour k[i] of the palette (a
 * media family the colour of its first channel). */
void mpi_xlsx_points_palette(mpi_xlsx_chart *ch, const int *k, int n);
/* The legend under the plot, across (a narrow chart keeps its width). */
void mpi_xlsx_chart_legend_below(mpi_xlsx_chart *ch);
/* No legend (one series, named by the title). */
void mpi_xlsx_chart_no_legend(mpi_xlsx_chart *ch);
/* The chart's title and its axes' names (NULL: none; a pie has no axes). */
void mpi_xlsx_chart_titles(mpi_xlsx_chart *ch, const char *title, const char *x_axis,
                           const char *y_axis);
/* Number formats of the chart's axes, as the cells they show (the
 * categories' and the values'); MPI_XLSX_PLAIN: left as the chart has it.
 * A value axis shows round ticks: conversions as whole numbers (not "0.0")
 * and percentages without a decimal. */
void mpi_xlsx_chart_axis_styles(mpi_xlsx_chart *ch, mpi_xlsx_style x_axis, mpi_xlsx_style y_axis);
/* The value axis starts at 0: a reader compares the columns' heights (a
 * spreadsheet's own choice may start it near the smallest). */
void mpi_xlsx_chart_values_from_zero(mpi_xlsx_chart *ch);
/* The value axis starts at min: a band's spread reads on an axis that does
 * not start at 0 (the caller rounds min). */
void mpi_xlsx_chart_values_from(mpi_xlsx_chart *ch, double min);
/* Place the chart's top left corner on a cell of s. */
void mpi_xlsx_chart_insert(mpi_xlsx_sheet *s, int row, int col, mpi_xlsx_chart *ch);
/* The same, x_px pixels right of the cell's corner, width_px by height_px
 * pixels (0: the default 480 by 288). */
void mpi_xlsx_chart_place(mpi_xlsx_sheet *s, int row, int col, mpi_xlsx_chart *ch, int x_px,
                          int width_px, int height_px);

#endif /* MPI_XLSX_H */
