/* The base layer: what every other part of mixplan may use and which uses
 * nothing of ours but the public header's status codes. Status and messages,
 * the one allocator, strings, numbers, dates and the calendar, the
 * diagnostics list, file reading, atomic output and the plain records that
 * dataset readers fill. Internal names carry the prefix mpi_. */
#ifndef MPI_BASE_H
#define MPI_BASE_H

#include "mixplan.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>

#if defined(__GNUC__)
#define MPI_PRINTF(a, b)  __attribute__((format(printf, a, b)))
#define MPI_FORMAT_ARG(a) __attribute__((format_arg(a)))
#else
#define MPI_PRINTF(a, b)
#define MPI_FORMAT_ARG(a)
#endif

/* Documented input limits (README, "Limits"). */
#define MPI_MAX_PERIODS     520
#define MPI_MAX_CHANNELS    256
#define MPI_MAX_CONSTRAINTS 1024
#define MPI_MAX_KEYWORDS    1000000
#define MPI_MAX_NAME        64
#define MPI_MAX_CELL_UNITS  32767 /* Excel's limit for the text of a cell, in UTF-16 units */
#define MPI_MAX_FILE_BYTES  (512L * 1024 * 1024)
#define MPI_MAX_SEGMENTS    400 /* per curve: room for 0.01 % on curves steep at 0 */
#define MPI_MAX_GROUPS      256

/* KPIs carried by every curve segment, per unit of currency. */
enum mpi_kpi {
    MPI_SPEND = 0,   /* currency: 1 on spend columns, 0 on reach columns */
    MPI_IMPRESSIONS, /* impressions (contacts for offline media) */
    MPI_CLICKS,
    MPI_CONVERSIONS,
    MPI_REVENUE, /* currency */
    MPI_GRP,     /* gross rating points */
    MPI_REACH,   /* people; only on a channel's reach curve */
    MPI_CO2,     /* kg CO2e */
    MPI_NKPI
};
extern const char *const mpi_kpi_names[MPI_NKPI];
extern const char *const mpi_kpi_units[MPI_NKPI]; /* "" means the plan currency */
int mpi_kpi_find(const char *name);               /* -1 when unknown */

/* Relational operators of rows and constraints: <=, >=, =. */
enum mpi_op { MPI_LE, MPI_GE, MPI_EQ };

/* ---- status and messages (error.c) ------------------------------------ */

/* Where a value came from, for messages: "file:line: key: ..." */
typedef struct mpi_loc {
    const char *file;
    int line;
    const char *key;
} mpi_loc;

mp_status mpi_fail(mp_status st, const char *fmt, ...) MPI_PRINTF(2, 3);
mp_status mpi_fail_at(mp_status st, const mpi_loc *loc, const char *fmt, ...) MPI_PRINTF(3, 4);
/* MP_ERR_NOMEM with the one out-of-memory message. */
/* strerror(err) in the thread's message language. */
const char *mpi_strerror(int err);
mp_status mpi_nomem(void);
void mpi_clear_error(void);

/* ---- memory (alloc.c): every allocation of mixplan goes through here --- */

/* The entry point: realloc that may be made to fail (mpi_alloc_fail_at). */
void *mpi_realloc(void *p, size_t size);
void *mpi_malloc(size_t size);
void *mpi_calloc(size_t n, size_t size);                           /* NULL on overflow or OOM */
void *mpi_reallocarray(void *p, size_t n, size_t size);            /* NULL on overflow or OOM */
void *mpi_reserve(void *p, size_t *cap, size_t need, size_t size); /* grow to hold need */
/* Grow n parallel arrays that share the capacity *cap to hold need elements
 * each (arrays[i] has elements of sizes[i] bytes); arrays[i] is updated in
 * place, so the caller stores every one back, also on failure (MP_ERR_NOMEM:
 * every array is still valid, and *cap is unchanged). */
mp_status mpi_reserve_all(size_t *cap, size_t need, size_t n, void *arrays[], const size_t sizes[]);
/* Give the memory freed so far back to the system where the C library keeps
 * it (glibc's heap, split by small blocks still in use): before a large
 * allocation, so that the freed memory and the new block are not both
 * counted. A no-op elsewhere. */
void mpi_alloc_trim(void);
/* Failure injection for tests: the nth allocation from now fails (n >= 1),
 * every other one succeeds; 0 turns it off. Resets the count. */
void mpi_alloc_fail_at(unsigned long n);
/* Allocations since the last mpi_alloc_fail_at(). */
unsigned long mpi_alloc_count(void);

/* ---- languages and the message catalogue (tr.c) ----------------------- */

/* The languages of the workbook and the terminal summary. */
typedef enum mpi_lang { MPI_LANG_EN, MPI_LANG_FR, MPI_NLANG } mpi_lang;
/* "en" or "fr" (any case) -> its mpi_lang; -1 for anything else. */
int mpi_lang_parse(const char *code);
/* "en", "fr". */
const char *mpi_lang_code(mpi_lang lang);
/* The language of the messages this thread forms (errors, warnings, notes,
 * explanations: mp_set_message_language()), English by default; a worker
 * thread is given its caller's with mpi_set_msg_lang(). */
mpi_lang mpi_msg_lang(void);
void mpi_set_msg_lang(mpi_lang lang);
/* msgid (the English text) in lang, from po/LANG.po compiled in: msgid
 * itself in English, for a NULL or empty msgid, or when the catalogue lacks
 * it. Reads constant data only: thread-safe, no locale involved. */
/* format_arg: a printf format looked up is checked as its msgid (msgfmt
 * --check makes the translation's directives agree with it). */
const char *mpi_tr(mpi_lang lang, const char *msgid) MPI_FORMAT_ARG(2);
/* msgid in a context (msgctxt), where one English word needs another
 * French one: a terminal column's heading is short. */
const char *mpi_trc(mpi_lang lang, const char *context, const char *msgid) MPI_FORMAT_ARG(3);
/* The form of a message for count n: "one" and "many" are the English
 * singular and plural (the catalogue's msgid and msgid_plural). */
const char *mpi_trn(mpi_lang lang, const char *one, const char *many, unsigned long n)
    MPI_FORMAT_ARG(2) MPI_FORMAT_ARG(3);
/* Marks a string for the catalogue where it is written (a table of
 * headings), when it is translated where it is used: xgettext -kN_. */
#define N_(s) s
/* N_ for a message translated with mpi_trc under context c: xgettext
 * -kNC_:1c,2. */
#define NC_(c, s) s
/* mpi_fmt_thousands as lang writes numbers: 12,345.6 / 12 345,6 (French:
 * U+202F between thousands, a decimal comma). */
void mpi_fmt_num(mpi_lang lang, char *buf, size_t n, double v, int decimals);
/* percent (already times 100) with four significant digits and its sign. */
void mpi_fmt_pct(mpi_lang lang, char *buf, size_t n, double percent);
/* The percent sign after a figure as lang writes it: " %" / "\u00a0%" (French
 * puts a no-break space before it). */
const char *mpi_pct_sign(mpi_lang lang);
/* A day (since 1970-01-01) as lang writes a date: 2026-03-02 / 02/03/2026. */
void mpi_fmt_day(mpi_lang lang, char *buf, size_t n, long days);

/* ---- strings (text.c) ------------------------------------------------- */

char *mpi_strdup(const char *s);
char *mpi_strndup(const char *s, size_t n);
char *mpi_aprintf(const char *fmt, ...) MPI_PRINTF(1, 2);
char *mpi_trim(char *s);
int mpi_strieq(const char *a, const char *b);
/* The candidate closest to word (edit distance at most 1/3 of its length), or NULL. */
const char *mpi_suggest(const char *word, const char *const *cands, size_t n);
/* "12,345" style grouping of a rounded value. */
void mpi_fmt_thousands(char *buf, size_t n, double v, int decimals);
/* Write UTF-8 text s in exactly cols terminal columns: cut at a character
 * boundary, padded with spaces (combining marks take none, East Asian wide
 * characters two; a byte that is not UTF-8 shows as '?'). */
void mpi_put_cols(FILE *out, const char *s, int cols);
/* Terminal columns of UTF-8 text s as mpi_put_cols prints it whole. */
int mpi_text_cols(const char *s);
/* A name in a table's column of cols, never cut: padded to cols when it
 * fits; else whole on its own line, the next line starting blank up to the
 * column's end (indent: the columns printed before it on the row), so the
 * row's other cells stay under their headings. */
void mpi_put_name(FILE *out, const char *s, int cols, int indent);
/* Characters of UTF-8 text s: a terminal column each (the tables' own
 * words and numbers are Latin script). */
int mpi_text_chars(const char *s);
/* Bytes of text's first line when it is wrapped at cols characters: cut
 * at the last space that keeps it within cols ("7 %" stays whole), or at
 * the first space after a word longer than cols; all of text when it fits.
 * The spaces at the cut are the caller's to skip. */
size_t mpi_wrap_len(const char *text, int cols);
/* text, its first line starting at column at, in lines of at most cols
 * characters cut as mpi_wrap_len cuts them, the lines after the first
 * indented by indent spaces; each line ends with a newline. */
void mpi_put_wrapped(FILE *out, const char *text, int at, int cols, int indent);
/* s right- or left-aligned in cols columns, a column a character (longer:
 * as it is), as %*s and %-*s do for ASCII. */
void mpi_put_right(FILE *out, const char *s, int cols);
void mpi_put_left(FILE *out, const char *s, int cols);
/* A terminal table's row: its cells aligned in their columns, one space
 * apart. */
typedef struct mpi_cell {
    const char *text;
    int cols;
    int right; /* 1: right-aligned (figures) */
} mpi_cell;
void mpi_put_row(FILE *out, const mpi_cell *cells, size_t n);
/* rel resolved against dir (as given when absolute or dir is NULL or "");
 * caller frees; NULL when out of memory. */
char *mpi_path_resolve(const char *dir, const char *rel);
/* A name made of [A-Za-z0-9_] for LP files. */
void mpi_sanitize_name(char *dst, size_t n, const char *src);

/* A growing list of owned strings. A diagnostic's entry (mpi_warn,
 * mpi_note) is also kept in every catalogue language: tr[i][lang], NULL for
 * an entry added as is (mpi_strlist_addf), which reads the same in all. */
typedef char *mpi_texts[MPI_NLANG];
typedef struct mpi_strlist {
    char **v; /* in the message language of the thread that added it */
    size_t n, cap;
    mpi_texts *tr; /* n entries when not NULL */
    size_t tr_cap;
} mpi_strlist;
/* Append a formatted string; MP_ERR_NOMEM (list unchanged) when out of memory. */
mp_status mpi_strlist_addf(mpi_strlist *l, const char *fmt, ...) MPI_PRINTF(2, 3);
/* Index of name in l, appended when new: MP_ERR_LIMIT when that would make
 * more than max names, MP_ERR_NOMEM when out of memory. */
mp_status mpi_strlist_intern(mpi_strlist *l, const char *name, size_t max, int *index);
void mpi_strlist_free(mpi_strlist *l);
/* Entry i in lang: its own text in that language when it was formed in each,
 * else as added. */
const char *mpi_strlist_text(const mpi_strlist *l, size_t i, mpi_lang lang);

/* ---- text encodings (utf8.c) ----------------------------------------- */

/* Bytes of valid UTF-8 at the start of s[0..n): n when all of it is (no
 * overlong forms, no surrogates, nothing above U+10FFFF). */
size_t mpi_utf8_valid_len(const char *s, size_t n);
/* 1 when the NUL-terminated s is valid UTF-8 (0 for NULL). */
int mpi_utf8_valid(const char *s);
/* The largest length <= n at which UTF-8 text s can be cut without splitting
 * a character. */
size_t mpi_utf8_floor(const char *s, size_t n);
/* Each byte of s that is not part of valid UTF-8 replaced by '?' (messages
 * and notes that quote text from outside, such as a path, stay printable). */
void mpi_utf8_scrub(char *s);
/* The bytes of the longest start of UTF-8 s that is at most max_units UTF-16 code units long
 * (the unit Excel counts a cell's text in; a character above U+FFFF is two), never splitting
 * a character; *units gets the length of the whole of s in those units. */
size_t mpi_utf8_cut_units(const char *s, size_t max_units, size_t *units);
/* Windows-1252 or UTF-16 (no BOM) in[0..n) as UTF-8 in a new NUL-terminated
 * *out of *outlen bytes. MP_ERR_INPUT with no message when the input is not
 * such text (*bad: the offset of the first byte that is not), MP_ERR_NOMEM. */
mp_status mpi_cp1252_to_utf8(const char *in, size_t n, char **out, size_t *outlen, size_t *bad);
mp_status mpi_utf16_to_utf8(const char *in, size_t n, int big_endian, char **out, size_t *outlen,
                            size_t *bad);

/* A file's text as UTF-8. */
typedef struct mpi_text {
    const char *p; /* the text (inside the input, or owned), n bytes, no NUL inside */
    size_t n;
    char *owned; /* the converted text, when it was not UTF-8 */
    char *note;  /* "name: not UTF-8 (line 3): read as Windows-1252 (Latin-1)", or NULL */
} mpi_text;
/* The text of buf[0..len) as UTF-8: a UTF-8 BOM dropped, UTF-16 (LE or BE,
 * with a BOM or recognised by its NUL bytes) converted, and text that is not
 * UTF-8 read as Windows-1252 with a note; refused (MP_ERR_INPUT, naming the
 * file, the line and the encoding) when it is not text, is invalid in the
 * encoding it declares, mixes UTF-8 with other bytes or has bytes undefined
 * in Windows-1252. name is used in messages. *t points into buf: keep buf
 * until mpi_text_free(t). */
mp_status mpi_text_decode(const char *name, const char *buf, size_t len, mpi_text *t);
void mpi_text_free(mpi_text *t);

/* ---- diagnostics (diag.c): warnings and notes are data, never printed -- */

typedef struct mpi_diag {
    mpi_strlist warn;  /* something the planner should check */
    mpi_strlist notes; /* information (rows read, groups) */
} mpi_diag;
mp_status mpi_warn(mpi_diag *d, const char *fmt, ...) MPI_PRINTF(2, 3);
mp_status mpi_note(mpi_diag *d, const char *fmt, ...) MPI_PRINTF(2, 3);
/* mpi_note_texts: a note formed apart in each language (once, as mpi_note). */
mp_status mpi_note_texts(mpi_diag *d, const char *const texts[MPI_NLANG]);
/* A warning whose words were formed apart in each language (when its
 * arguments are words too): texts[lang] for each catalogue language. */
mp_status mpi_warn_texts(mpi_diag *d, const char *const texts[MPI_NLANG]);
/* st = that warning, its snprintf arguments (format first) evaluated once
 * per catalogue language with `lang_` naming it: mpi_tr(lang_, N_("...")),
 * the words in lang_, the names and values as they are. */
#define MPI_WARN_EACH(st, d, ...)                                                                  \
    do {                                                                                           \
        char mpi_we_text_[MPI_NLANG][1024];                                                        \
        const char *mpi_we_each_[MPI_NLANG];                                                       \
        for (int mpi_we_g_ = 0; mpi_we_g_ < MPI_NLANG; mpi_we_g_++) {                              \
            mpi_lang lang_ = (mpi_lang)mpi_we_g_;                                                  \
            snprintf(mpi_we_text_[mpi_we_g_], sizeof mpi_we_text_[mpi_we_g_], __VA_ARGS__);        \
            mpi_utf8_scrub(mpi_we_text_[mpi_we_g_]);                                               \
            mpi_we_each_[mpi_we_g_] = mpi_we_text_[mpi_we_g_];                                     \
        }                                                                                          \
        (st) = mpi_warn_texts((d), mpi_we_each_);                                                  \
    } while (0)
void mpi_diag_free(mpi_diag *d);

/* ---- numbers (num.c) -------------------------------------------------- */

/* Neumaier's compensated sum: *sum + *comp is the total of the terms added
 * (to about a rounding of the total, whatever their order and sizes). */
static inline void mpi_add_comp(double *sum, double *comp, double t)
{
    double u = *sum + t;
    *comp += fabs(*sum) >= fabs(t) ? (*sum - u) + t : (t - u) + *sum;
    *sum = u;
}

enum {
    MPI_U_PCT = 1,   /* 5% -> 0.05 */
    MPI_U_KM = 2,    /* 10k, 1.5M */
    MPI_U_CUR = 4,   /* trailing currency code, must equal the plan's */
    MPI_U_TONNE = 8, /* 2t -> 2000 kg */
    MPI_U_ALL = 15
};
/* Parse a finite number with the allowed suffixes. Returns 0, or -1 with *why set. */
int mpi_parse_num(const char *s, unsigned units, const char *currency, double *out,
                  const char **why);
/* Parse a strictly positive / non-negative number for key at loc; fails with a message. */
mp_status mpi_get_pos(const char *s, unsigned units, const char *cur, const mpi_loc *loc,
                      double *out);
mp_status mpi_get_nonneg(const char *s, unsigned units, const char *cur, const mpi_loc *loc,
                         double *out);
/* A share in [0, 1]: "5%" or a bare fraction; a bare number above 1 ("ctr = 5")
 * is refused with "5 is read as 500 %; write 5% (or 0.05)". */
mp_status mpi_get_frac(const char *s, const mpi_loc *loc, double *out);
/* A yearly rate above -100 % and at most MPI_MAX_RATE, with the same rule
 * for bare numbers ("inflation = 8" is refused, "8%" or "0.08" is read). */
#define MPI_MAX_RATE 10.0 /* 1000 % a year */
mp_status mpi_get_rate(const char *s, const mpi_loc *loc, double *out);
/* Whether s, read as v, is a rate written without % whose size is above 1. */
int mpi_bare_above_one(const char *s, double v);
/* How to write s so that it reads with these units ("300 000 €" -> "write
 * 300k or 300000", "1,5%" -> "write 1.5%", "40 GRP" -> "write 40"), or, for a
 * bare rate above 1 (units exactly MPI_U_PCT: a rate or a share, where a bare
 * number is a fraction), "5 is read as 500 %; write 5% (or 0.05)". Fills buf and
 * returns it, or returns NULL when there is nothing to suggest. */
const char *mpi_num_hint(const char *s, unsigned units, const char *cur, char *buf, size_t size);

/* The typical range of a key's value: a value outside it is legal but
 * probably a typo or a unit slip, and gets a warning. The bounds and their
 * sources are listed in num.c and in the README ("Units and typical ranges"). */
enum mpi_typical_unit { MPI_TYP_PCT, MPI_TYP_CUR };
typedef struct mpi_typical {
    const char *what; /* "a click-through rate" */
    double lo, hi;    /* -INFINITY / INFINITY: no bound on that side */
    enum mpi_typical_unit unit;
} mpi_typical;
extern const mpi_typical mpi_typical_ctr, mpi_typical_cvr, mpi_typical_inflation, mpi_typical_cpm,
    mpi_typical_cpp;
/* After a key was read with status st into *value (written s, at loc): st
 * when it failed, else a warning on d when *value is outside t's range. */
mp_status mpi_check_typical(mp_status st, mpi_diag *d, const mpi_loc *loc, const char *s,
                            const double *value, const mpi_typical *t, const char *currency);
/* v as t's warnings show it ("150%", "0.05 EUR"; currency may be NULL). */
void mpi_typical_value(char *buf, size_t size, double v, const mpi_typical *t,
                       const char *currency);
/* t's range as its warnings say it: "at most 20%", "0.1 EUR to 500 EUR",
 * "at least 1 EUR". */
void mpi_typical_range(char *buf, size_t size, const mpi_typical *t, const char *currency);
/* The same in lang. */
void mpi_typical_range_in(mpi_lang lang, char *buf, size_t size, const mpi_typical *t,
                          const char *currency);

/* The magnitudes mixplan solves reliably (README, Limits): amounts of currency
 * (budgets, spends, caps) up to MPI_MAX_AMOUNT, unit costs (CPM, CPC, cost per
 * GRP, per insertion) and response-curve scales (ec, k, scale) from
 * MPI_MIN_UNIT_COST to MPI_MAX_UNIT_COST. The LP is scaled and its answers
 * checked (engine/adapters/lpnum.c); tests/e2e/test_scale.py sweeps budgets of
 * 1 to 1e12 against unit costs of 1e-6 and 1e6, and random plans solved cleanly
 * a thousand times beyond these bounds, which leave that margin. */
#define MPI_MAX_AMOUNT    1e15
#define MPI_MIN_UNIT_COST 1e-9
#define MPI_MAX_UNIT_COST 1e9
typedef struct mpi_limit {
    const char *what; /* "amount", "unit cost", "curve scale" */
    double lo, hi;    /* 0: no lower bound */
} mpi_limit;
extern const mpi_limit mpi_limit_amount, mpi_limit_unit_cost, mpi_limit_curve_scale;
/* After a key was read with status st into *value: st when it failed, else an
 * error naming the key and the limit when *value is outside l's range
 * ("cpm: 1e-12 EUR is below 1e-09 EUR, the smallest unit cost mixplan solves
 * reliably (README, Limits)"). */
mp_status mpi_check_limit(mp_status st, const mpi_loc *loc, const double *value, const mpi_limit *l,
                          const char *currency);
/* The same for a value without a key: NULL when v is within l's range, else
 * the reason, in buf. */
const char *mpi_limit_why(double v, const mpi_limit *l, const char *currency, char *buf,
                          size_t size);

/* ---- dates and the calendar (calendar.c) ------------------------------ */

long mpi_days_from_civil(int y, int m, int d);
void mpi_civil_from_days(long days, int *y, int *m, int *d);
int mpi_parse_date(const char *s, long *days); /* YYYY-MM-DD; 0 ok, -1 bad */
/* "expected a date as YYYY-MM-DD" at loc, with "write 2027-03-01" when s is
 * a date written day first (01/03/2027, 1.3.2027: the French order) or, when
 * its first number cannot be a day's month, month first (03/15/2027). */
mp_status mpi_fail_date(const mpi_loc *loc, const char *s);
void mpi_fmt_date(char *buf, size_t n, long days);
int mpi_days_in_month(int y, int m);

enum mpi_period_kind { MPI_WEEK, MPI_MONTH };

/* The plan's periods. */
typedef struct mpi_calendar {
    long start; /* days since 1970-01-01 */
    int periods, kind;
    const long *period_start; /* [periods+1] day numbers; last = end (exclusive) */
} mpi_calendar;

/* Years between a data date and the middle of period t (for inflation). */
double mpi_years_to_period(const mpi_calendar *cal, int t, long data_day);
/* (1 + rate)^years from a price date (day number, -1: the plan's start) to the
 * middle of period t. */
double mpi_price_index(const mpi_calendar *cal, long price_day, int t, double rate);

/* ---- the run's deadline (deadline.c) ----------------------------------- */

/* From now, this thread's run stops by limit_s seconds from now: curve building checks
 * mpi_deadline_passed(), each solver call gets what is left (a whole run's limit, however
 * many calls it takes); 0 ends it. */
void mpi_solve_deadline(double limit_s);
/* Seconds left before the deadline (0 once it has passed), or -1 when none is set. */
double mpi_deadline_left_s(void);
/* 1 once a deadline is set and has passed. */
int mpi_deadline_passed(void);

/* ---- files (file.c, atomic.c) ----------------------------------------- */

/* Read a whole regular file into memory, NUL-terminated (limit MPI_MAX_FILE_BYTES); a FIFO,
 * a device or a directory is refused before any read. */
mp_status mpi_read_file(const char *path, char **buf, size_t *len);
/* An output being written: the temporary file to write, beside the file
 * that will be replaced (path, or the file a symlink at path points to). */
typedef struct mpi_atomic {
    char *tmp;        /* exists, empty, with the mode the output will have (owner-writable) */
    char *target;     /* the file renamed over at the end */
    int slot;         /* its place in the table of live temporaries, -1: none */
    int mode;         /* the replaced file's mode, set on the temporary at the end; -1: none */
    const char *what; /* "workbook", "JSON", "LP": for messages */
} mpi_atomic;
/* Refuse what must not be replaced (a directory, device, FIFO, dangling
 * link) and create the temporary; mpi_atomic_end must follow on success. */
mp_status mpi_atomic_begin(const char *path, const char *what, mpi_atomic *a);
/* Rename the temporary over the target (commit = 1) or remove it (commit = 0);
 * frees a's strings. */
mp_status mpi_atomic_end(mpi_atomic *a, const char *path, int commit);
/* The one wording of a failed write of an output ("the JSON", "the
 * workbook", "the LP"): errno err when it says why (disk full, file too
 * large), else detail. Returns MP_ERR_IO. */
mp_status mpi_write_error(const char *path, const char *what, int err, const char *detail);

/* ---- records that dataset readers fill (records.c) -------------------- */

/* A delimited text file: rows of NUL-terminated fields. */
typedef struct mpi_table {
    char ***rows;  /* rows[r][c] */
    size_t *ncols; /* per row */
    int *line;     /* 1-based source line of each row */
    size_t nrows, cap;
    char *note; /* how the text was read when that was a guess (mpi_text), or NULL */
    char delim; /* the delimiter it was read with: ';' files have decimal commas */
} mpi_table;
void mpi_table_free(mpi_table *t);

/* One keyword of a Keyword Planner export. */
typedef struct mpi_keyword {
    char *text;
    const char *group;  /* keyword group, "" when the channel has no rules or none matched */
    int group_id;       /* index in the plan's group names, -1 when none */
    double volume;      /* average monthly searches */
    double monthly[12]; /* searches per calendar month, <0 when unknown */
    double bid_lo, bid_hi;
    double competition; /* 0..100, <0 unknown */
    int flags;          /* MPI_KW_* */
    int line;
} mpi_keyword;
enum { MPI_KW_BUCKETED = 1, MPI_KW_DEFAULT_BIDS = 2 };

typedef struct mpi_kwp {
    mpi_keyword *kw;
    size_t n, cap;
    char *currency;
    long data_day; /* end of the export's date range, or -1 */
    size_t skipped;
    char *note; /* how the text was read when that was a guess (mpi_text), or NULL */
} mpi_kwp;
void mpi_kwp_free(mpi_kwp *k);

/* One paid-media channel of a Robyn model export (the JSON robyn_write()
 * writes), as engine/adapters/robyn.c reads it: what rebuilds the channel's
 * fitted response curve (models/robyn.c). Strings are NULL when the export
 * does not say. */
typedef struct mpi_robyn {
    char *version;                   /* InputCollect.version ("Robyn (stable) v3.11.1 [R-4.3.2]") */
    char *model;                     /* ExportedModel.select_model: the solution exported */
    char *interval;                  /* InputCollect.intervalType: day, week or month */
    char *date_var;                  /* InputCollect.date_var: the data's date column */
    char *dep_var_type;              /* InputCollect.dep_var_type: revenue or conversion */
    char *window_start, *window_end; /* the modelling window, YYYY-MM-DD */
    double alpha, gamma, theta;      /* hill shape, inflexion share, geometric decay */
    double coef;                     /* the ridge coefficient of the saturated media */
} mpi_robyn;
void mpi_robyn_free(mpi_robyn *r);

/* Compiled keyword rules (a rules file); read by the rules adapter. */
typedef struct mpi_rules mpi_rules;
enum { MPI_RULES_UNMATCHED = -1, MPI_RULES_EXCLUDED = -2 };

#endif /* MPI_BASE_H */
