/* Internal declarations shared by the engine and the media models (prefix mpi_). */
#ifndef MPI_H
#define MPI_H

#include "mixplan.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>

#if defined(__GNUC__)
#define MPI_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define MPI_PRINTF(a, b)
#endif

/* Documented input limits (README, "Limits"). */
#define MPI_MAX_PERIODS     520
#define MPI_MAX_CHANNELS    256
#define MPI_MAX_CONSTRAINTS 1024
#define MPI_MAX_KEYWORDS    1000000
#define MPI_MAX_NAME        64
#define MPI_MAX_FILE_BYTES  (512L * 1024 * 1024)
#define MPI_MAX_SEGMENTS    200
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

/* ---- errors and warnings (error.c) ------------------------------------ */

/* Where a value came from, for messages: "file:line: key: ..." */
typedef struct mpi_loc {
    const char *file;
    int line;
    const char *key;
} mpi_loc;

mp_status mpi_fail(mp_status st, const char *fmt, ...) MPI_PRINTF(2, 3);
mp_status mpi_fail_at(mp_status st, const mpi_loc *loc, const char *fmt, ...) MPI_PRINTF(3, 4);
void mpi_clear_error(void);

/* ---- memory and strings (util.c) -------------------------------------- */

void *mpi_calloc(size_t n, size_t size);                           /* NULL on overflow or OOM */
void *mpi_reserve(void *p, size_t *cap, size_t need, size_t size); /* grow to hold need */
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
/* A name made of [A-Za-z0-9_] for LP files. */
void mpi_sanitize_name(char *dst, size_t n, const char *src);

/* ---- numbers and dates (util.c) --------------------------------------- */

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
mp_status mpi_get_frac(const char *s, const mpi_loc *loc, double *out); /* 0..1, "%" allowed */

long mpi_days_from_civil(int y, int m, int d);
void mpi_civil_from_days(long days, int *y, int *m, int *d);
int mpi_parse_date(const char *s, long *days); /* YYYY-MM-DD; 0 ok, -1 bad */
void mpi_fmt_date(char *buf, size_t n, long days);
int mpi_days_in_month(int y, int m);

/* ---- the plan -------------------------------------------------------- */

struct mpi_model_ops;

/* A response curve family (MMM import): direct response as a function of spend. */
enum mpi_family {
    MPI_FAM_NONE = 0,
    MPI_FAM_HILL,
    MPI_FAM_EXP,
    MPI_FAM_LOGISTIC,
    MPI_FAM_MM,
    MPI_FAM_TABLE
};
typedef struct mpi_resp {
    int family;
    double beta, ec, slope, k, lambda, scale;
    double *tx, *ty; /* table points, tx ascending from 0 */
    size_t tn;
    int kpi;      /* MPI_CONVERSIONS or MPI_REVENUE ... */
    double value; /* revenue per conversion, 0 if not given */
    int line;
    char *source; /* table file path, for the Assumptions sheet */
} mpi_resp;

typedef struct mpi_channel {
    char *name;
    int line;
    const struct mpi_model_ops *ops;
    void *params;
    double min_spend, max_spend, fixed_spend; /* NAN when not set */
    int min_line, max_line, fixed_line;
    int digital;         /* 1: digital media (the model's default unless the plan says) */
    double co2_per_unit; /* kg CO2e per model unit (1000 impressions, GRP, insertion) */
    char *co2_source;
    double inflation;  /* yearly rate of the channel's unit cost */
    int has_inflation; /* set in the plan (else the default for its media type) */
    long price_day;    /* date of the channel's prices (day number), -1: the plan's start */
    mpi_resp resp;
} mpi_channel;

enum mpi_op { MPI_LE, MPI_GE, MPI_EQ };

/* A parsed constraint expression: measure(list) op value. */
enum mpi_measure { MPI_M_KPI, MPI_M_SHARE, MPI_M_CPA, MPI_M_ROAS };
typedef struct mpi_expr {
    int measure;        /* enum mpi_measure */
    int kpi;            /* for MPI_M_KPI */
    unsigned char *in;  /* in[c] != 0 when channel c is in the list; NULL means all */
    unsigned char *ing; /* ing[c * ngroups + g]: group g of channel c is in the list, or NULL */
    size_t ngroups;
    int op;
    double value; /* in base units: currency, kg, fraction, people */
} mpi_expr;

typedef struct mpi_constraint {
    char *name;
    char *text;
    int line;
    mpi_expr e;
} mpi_constraint;

/* A raw key = value of the plan, echoed in the Assumptions sheet. */
typedef struct mpi_kv {
    char *section, *key, *value;
    int line;
} mpi_kv;

typedef struct mpi_warning_list {
    char **v;
    size_t n, cap;
} mpi_warning_list;

enum mpi_period_kind { MPI_WEEK, MPI_MONTH };

struct mp_plan {
    char *path, *dir;
    char *co2_path; /* CO2e factor dataset, or NULL */
    char *name, *client, *currency;
    double budget;
    int budget_exact; /* 1: spend all of it (= row), 0: cap */
    long start;       /* days since 1970-01-01 */
    int periods, period_kind;
    int obj_sense;           /* +1 maximise, -1 minimise */
    int obj_kpi;             /* MPI_SPEND for "min cost" */
    double precision;        /* relative tolerance of the curves */
    double universe;         /* target population, people (0: unset) */
    double search_inflation; /* default yearly CPC inflation for search channels */
    double *weight;          /* [periods] seasonality weights */
    double *period_cap;      /* [periods] budget cap per period, INFINITY if none */
    long *period_start;      /* [periods+1] day numbers; last = end (exclusive) */
    mpi_channel *ch;
    size_t nch;
    mpi_constraint *cons;
    size_t ncons;
    mpi_kv *kv;
    size_t nkv, kvcap;
    mpi_warning_list warn;
    mpi_warning_list notes; /* information for the planner (rows read, groups) */
    char **groups;          /* keyword group names over all search channels */
    size_t ngroups;
};

void mpi_warn(mp_plan *plan, const char *fmt, ...) MPI_PRINTF(2, 3);
void mpi_note(mp_plan *plan, const char *fmt, ...) MPI_PRINTF(2, 3);
void mpi_list_addf(mpi_warning_list *l, const char *fmt, ...) MPI_PRINTF(2, 3);
void mpi_list_free(mpi_warning_list *l);
/* Index of a keyword group name in the plan, added when new; -1 on OOM or
 * past MPI_MAX_GROUPS. */
int mpi_plan_group(mp_plan *plan, const char *name);
/* Resolve path relative to the plan file's directory; caller frees. */
char *mpi_plan_path(const mp_plan *plan, const char *rel);
/* Years between a data date and the middle of period t (for inflation). */
double mpi_years_to_period(const mp_plan *plan, int t, long data_day);
/* (1 + rate)^years from the channel's price date to the middle of period t. */
double mpi_price_index(const mp_plan *plan, const mpi_channel *ch, int t, double rate);

/* ---- constraint expressions (expr.c) ----------------------------------- */

/* Parse "share(tv, radio) >= 30%"; channel names and media types resolved on plan. */
mp_status mpi_expr_parse(const mp_plan *plan, const char *text, const mpi_loc *loc, mpi_expr *e);
void mpi_expr_free(mpi_expr *e);
/* Whether a curve of channel (and keyword group, or -1) is in e's list. */
int mpi_expr_has(const mpi_expr *e, int channel, int group);
/* A value in the unit of e's measure (share %, currency, tonnes, reach %...). */
int mpi_expr_value(const mp_plan *plan, const mpi_expr *e, const char *text, double *out,
                   const char **why);
const char *mpi_op_str(int op);

/* ---- CSV (csv_adapter.c, the one file that includes csv.h) ----------- */

typedef struct mpi_table {
    char ***rows;  /* rows[r][c] */
    size_t *ncols; /* per row */
    int *line;     /* 1-based source line of each row */
    size_t nrows, cap;
} mpi_table;

/* Read a whole delimited text file (UTF-8, optional BOM; delimiter detected among
 * comma, tab and semicolon when delim is 0). */
mp_status mpi_table_read(const char *path, char delim, mpi_table *t);
void mpi_table_free(mpi_table *t);
/* Read a whole file into memory, NUL-terminated (limit MPI_MAX_FILE_BYTES). */
mp_status mpi_read_file(const char *path, char **buf, size_t *len);

/* ---- INI (ini_adapter.c, the one file that includes ini.h) ----------- */

typedef int (*mpi_ini_handler)(void *user, const char *section, const char *key, const char *value,
                               int line, int continued);
/* Parse an INI file, calling h for each key; line is the source line, continued
 * is 1 for an indented continuation line of the previous key. h returns 0 to stop. */
mp_status mpi_ini_parse(const char *path, mpi_ini_handler h, void *user);

/* ---- keyword rules (pcre_adapter.c, the one file that includes pcre2.h) -- */

typedef struct mpi_rules mpi_rules;
enum { MPI_RULES_UNMATCHED = -1, MPI_RULES_EXCLUDED = -2 };
mp_status mpi_rules_load(const char *path, mpi_rules **out);
void mpi_rules_free(mpi_rules *rs);
/* The rule (group or [exclude], file order) a text falls in: its index,
 * MPI_RULES_UNMATCHED or MPI_RULES_EXCLUDED. Fails when a pattern hits the
 * match limit (a catastrophic pattern). */
mp_status mpi_rules_classify(mpi_rules *rs, const char *text, int *group);
size_t mpi_rules_count(const mpi_rules *rs);
/* Name of rule i; NULL for [exclude]. */
const char *mpi_rules_name(const mpi_rules *rs, size_t i);
/* Override k of rule i (key, value, line); returns the number of overrides. */
size_t mpi_rules_kv(const mpi_rules *rs, size_t i, size_t k, const char **key, const char **value,
                    int *line);
const char *mpi_rules_path(const mpi_rules *rs);

/* ---- atomic output (atomic.c) ----------------------------------------- */

/* A temporary path in the directory of path (the file exists, empty); caller frees. */
mp_status mpi_atomic_begin(const char *path, char **tmp);
/* Rename tmp over path (commit = 1) or remove it (commit = 0). */
mp_status mpi_atomic_end(const char *tmp, const char *path, int commit);

#endif /* MPI_H */
