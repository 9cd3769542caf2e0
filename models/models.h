/* Media response models: each turns a channel's parameters into concave
 * piecewise-linear curves per period. Models know nothing of LPs nor of the
 * plan: they see the narrow context below and engine/base, nothing else. */
#ifndef MPI_MODELS_H
#define MPI_MODELS_H

#include "base.h"

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
/* The keys a range (beta = 620 +- 15%) may be given on (draws.c): a
 * response curve's numbers, and a search or social channel's rates. */
enum mpi_range_key {
    MPI_RK_BETA,
    MPI_RK_EC,
    MPI_RK_SLOPE,
    MPI_RK_K,
    MPI_RK_LAMBDA,
    MPI_RK_SCALE,
    MPI_RK_VALUE,
    MPI_RK_CVR,
    MPI_RK_CTR,
    MPI_RK_COUNT
};
/* The most draws a channel may have (rows of its draws file). */
#define MPI_MAX_DRAWS 100000

typedef struct mpi_resp {
    int family;
    double beta, ec, slope, k, lambda, scale;
    double *tx, *ty; /* table points, tx ascending from 0 */
    size_t tn;
    int kpi;      /* MPI_CONVERSIONS or MPI_REVENUE ... */
    double value; /* revenue per conversion, 0 if not given */
    int line;
    char *source; /* table file path, for the Assumptions sheet */
    /* Uncertain curves (draws.c): nd draws of the parameters, dr[d] a plain
     * curve of its own with weight dw[d] (the weights sum to 1); the
     * channel's response is their weighted mean, which is concave when each
     * draw's is, so the curves, bounds and exact figures stay as they are.
     * factor[d] (or NULL) multiplies the KPIs in factor_q's bits of the
     * channel's own model (a search or social cvr or ctr range; its weighted
     * mean is 1). nd 0: a plain curve. */
    size_t nd;
    size_t nd_own; /* its own draws before a crossing (mpi_draws_cross), else 0 */
    struct mpi_resp *dr;
    double *dw, *factor;
    unsigned factor_q;
    char *draws_path; /* draws = FILE, resolved, or NULL */
    int draws_line;
    /* A draws file's ids (its draw column, "chain/draw" with a chain
     * column; NULL without one) and the file line of each draw, for pairing
     * aligned channels by id and for errors (NULL for ranges). */
    char **ids;
    int *dline;
    /* The mean curve's terms (response.c): draws that differ only in beta
     * are one curve of their weighted beta sum, sum_d w_d beta_d f(x) being
     * (sum_d w_d beta_d) f(x); ng groups of weight 1 when fewer than nd. */
    size_t ng;
    struct mpi_resp *grp;
    double range[MPI_RK_COUNT]; /* relative half-widths of ranges, 0: none */
    int range_line[MPI_RK_COUNT];
    /* robyn = export.json and its keys (robyn.c) until the curve is imported, or NULL */
    struct mpi_robyn_keys *robyn;
} mpi_resp;

/* How a channel is bought (engine/src/flights.c): a period where it airs
 * carries at least min_grp GRP (tv, radio) or min_spend_active (any
 * channel); it airs only in the flight's periods, in at most max_active of
 * them, in runs of at least min_burst; airtime is whole spots of spot_cost
 * bringing grp_per_spot each; press insertions are whole unless continuous.
 * Zeros (and NULL) mean the key is not given. */
typedef struct mpi_booking {
    double min_grp, min_spend_active, spot_cost, grp_per_spot;
    int max_active, min_burst, continuous;
    char *flight;      /* the flight key's text, or NULL: every period */
    unsigned char *on; /* [periods] 1 where the flight lets the channel air, or NULL: all */
    int min_grp_line, min_spend_active_line, spot_cost_line, grp_per_spot_line;
    int max_active_line, min_burst_line, continuous_line, flight_line;
} mpi_booking;

typedef struct mpi_channel {
    char *name;
    int line;
    const struct mpi_model_ops *ops;
    void *params;
    double min_spend, max_spend, fixed_spend; /* NAN when not set */
    int min_line, max_line, fixed_line;
    int digital;         /* 1: digital media (the model's default unless the plan says) */
    int key_refused;     /* a key of its section was refused (a load listing its errors goes
                          * on): its checks would only repeat what is missing */
    int failed;          /* a key or a check of the channel failed (its error is listed): what
                          * depends on its data, such as its keyword groups, is not judged */
    double co2_per_unit; /* kg CO2e per model unit (1000 impressions, GRP, insertion) */
    char *co2_source;
    double inflation;  /* yearly rate of the channel's unit cost */
    int has_inflation; /* set in the plan (else the default for its media type) */
    long price_day;    /* date of the channel's prices (day number), -1: the plan's start */
    mpi_resp resp;
    /* Carryover (engine/src/adstock.c): the response in period t is the
     * channel's curve at a_t = x_t + adstock * a_{t-1}, a_0 = carry_in
     * (currency, from carryover_in or the history file). adstock 0: none. */
    double adstock, carry_in;
    int adstock_line, carry_line, history_line; /* 0: not given */
    char *history_path;                         /* history = past.csv, or NULL */
    mpi_booking book;                           /* flights, spots, insertions (flights.c) */
} mpi_channel;

struct mpi_model_ctx;

/* Dataset readers the engine lends the models (its adapters): a model reads
 * files through them and never includes an adapter. The readers that open a
 * file take the context, whose plan records each path read (its inputs,
 * which no output may replace). */
typedef struct mpi_model_io {
    /* A delimited text file (delimiter detected when delim is 0). */
    mp_status (*read_table)(const struct mpi_model_ctx *ctx, const char *path, char delim,
                            mpi_table *t);
    /* A Keyword Planner export; rows skipped are reported in warn. */
    mp_status (*read_keywords)(const struct mpi_model_ctx *ctx, const char *path,
                               const char *currency, mpi_strlist *warn, mpi_kwp *out);
    /* Keyword rules: load, classify a text (its rule index, MPI_RULES_UNMATCHED
     * or MPI_RULES_EXCLUDED), the rules' count and names (NULL for
     * [exclude]), the overrides of a rule, its file, free. */
    mp_status (*rules_load)(const struct mpi_model_ctx *ctx, const char *path, mpi_rules **out);
    mp_status (*rules_classify)(mpi_rules *rs, const char *text, int *rule);
    size_t (*rules_count)(const mpi_rules *rs);
    const char *(*rules_name)(const mpi_rules *rs, size_t i);
    size_t (*rules_kv)(const mpi_rules *rs, size_t i, size_t k, const char **key,
                       const char **value, int *line);
    const char *(*rules_path)(const mpi_rules *rs);
    const char *(*rules_note)(const mpi_rules *rs); /* a file read as Windows-1252, or NULL */
    void (*rules_free)(mpi_rules *rs);
    /* One channel of a Robyn model export (robyn_write()'s JSON). */
    mp_status (*read_robyn)(const struct mpi_model_ctx *ctx, const char *path, const char *channel,
                            mpi_robyn *out);
} mpi_model_io;

/* What a model sees of the plan. */
typedef struct mpi_model_ctx {
    const char *plan_path; /* the plan file, for messages */
    const char *dir;       /* directory of relative dataset paths ("" or NULL: as given) */
    const char *currency;  /* the plan's currency code */
    double precision;      /* relative tolerance of the curves */
    double universe;       /* target population, people (0: unset) */
    mpi_calendar cal;      /* the plan's periods */
    mpi_diag *diag;        /* warnings and notes for the planner */
    mpi_strlist *groups;   /* keyword group names over all search channels */
    mpi_strlist *inputs;   /* every file read (ctx->io records them) */
    const mpi_model_io *io;
    /* A load that lists its errors (validate): a model reading a dataset row
     * by row lists a bad row's error here and goes on, each but the one it
     * returns, while errors->n stays below max_errors; NULL: it stops at the
     * first. */
    mpi_strlist *errors;
    size_t max_errors;
} mpi_model_ctx;

/* Resolve path relative to the context's directory; caller frees (NULL: OOM). */
char *mpi_model_path(const mpi_model_ctx *ctx, const char *rel);

enum mpi_curve_kind { MPI_CURVE_SPEND = 0, MPI_CURVE_REACH = 1 };

/* Bids of a search keyword's curves on a shape its model keeps: breakpoint
 * b's bid is exp(mu + sigma * z[b]), z the shape's. */
typedef struct mpi_bid_shape {
    const double *z;
    double mu, sigma;
} mpi_bid_shape;

/* One concave piecewise-linear curve: segment s has width bw[s] * bscale
 * (currency, at the data's prices; mpi_curve_width() at the curve's level)
 * and yields y[s*MPI_NKPI + q] per unit of currency. param[0..nseg] are the
 * breakpoints' parameters (bids for search), or NULL. A compact curve, one
 * whose yields are all fixed multiples of one yield that varies (plus a
 * constant: spend's), keeps that yield, y1[s], and per KPI q a constant and
 * a factor, yield q = yf[q] + yf[MPI_NKPI + q] * y1[s], with y NULL: 16
 * bytes a segment instead of 72. Read them through mpi_curve_data_yield().
 *
 * A curve on a shape its model keeps (shaped: a search keyword's curve,
 * the same in every period up to its searches) owns no segments: bw, y1, yf
 * and bids are the model's, shared by the keyword's curves in every period,
 * and bscale (the period's searches x ctr) scales its widths.
 *
 * Models build curves at their data's prices (mult 1). A price level mult
 * makes every segment mult times wider and yield mult times less per unit of
 * currency (the same outcome for mult times the money), and bids mult times
 * higher: w is kept at the curve's level, y and param stay at the data's
 * prices and are read through mpi_curve_yield() and mpi_curve_bid(), so
 * repricing touches one number per segment. */
typedef struct mpi_curve {
    double *w;     /* at the curve's price level when set one by one (a cut at a
                    * ceiling, refinement), else NULL: bw[s] * bscale * mult */
    double *bw;    /* widths at the data's prices, over bscale */
    double *y;     /* at the data's prices; NULL on a compact curve */
    double *y1;    /* compact: [nseg] the yield that varies, at the data's prices */
    double *yf;    /* compact: [2 * MPI_NKPI] constants, then factors */
    double *param; /* at the data's prices */
    /* Bids of a search curve on a shape the model keeps (param NULL). */
    const mpi_bid_shape *bids;
    double mult;   /* price level of the curve (1: the data's prices) */
    double bscale; /* bw's scale: 1, or a shaped curve's searches x ctr */
    double end;    /* the sum of the widths at the curve's level (mpi_curve_end) */
    /* The highest bid (param), in currency at any price level, or 0: pricing
     * cuts the curve where its bids pass it. */
    double ceiling;
    size_t col;  /* first LP column, set by the LP builder */
    int keyword; /* index in the channel's keyword list, -1 if none */
    int group;   /* keyword group (index in the plan's group names), -1 if none */
    int nseg;
    short channel, period; /* MPI_MAX_CHANNELS, MPI_MAX_PERIODS */
    /* The largest chord error of a segment, relative to the curve's range in
     * its KPI (mpi_pwl_build; 0 when not measured). */
    float err;
    unsigned kind : 1; /* enum mpi_curve_kind */
    /* The spend the model was asked to cover shaped the curve (it was cut
     * short, or its breakpoints spread over that range). Models that build a
     * curve independently of it clear the flag. */
    unsigned capped : 1;
    unsigned borrowed : 1; /* y (or y1, yf), param and bw belong to another model's curve */
    unsigned shaped : 1;   /* y1, yf, bw and bids belong to the model (see above) */
    /* Breakpoints were added for one plan's certified gap (engine/src/refine.c):
     * they depend on that plan's spends, so other scenarios build their own. */
    unsigned refined : 1;
    unsigned kept : 1; /* kept for repricing (mpi_curve_keep_base) */
    /* Every yield but spend's falls or stays from each segment to the next
     * (spend's stays): set with the yields (mpi_curve_set_mono). */
    unsigned mono : 1;
} mpi_curve;

/* Readers and writers of a curve's segments: everything outside models/pwl.c
 * goes through these, so that how segments are stored is pwl.c's business. */

/* Width (currency) of segment s at the curve's price level. */
static inline double mpi_curve_width(const mpi_curve *c, int s)
{
    return c->w ? c->w[s] : c->bw[s] * c->bscale * c->mult;
}

/* The sum of the widths at the curve's level, in segment order: the spend
 * where the curve ends (kept as its widths change). */
static inline double mpi_curve_end(const mpi_curve *c)
{
    return c->end;
}

/* Set the width of segment s at the curve's price level (a cut at a
 * ceiling): the curve then keeps its widths at its level one by one. Its
 * end is summed again by mpi_curve_sum_end once the widths are set. */
mp_status mpi_curve_set_width(mpi_curve *c, int s, double w);
/* Sum the curve's end again (after mpi_curve_set_width). */
void mpi_curve_sum_end(mpi_curve *c);
/* Set the curve's mono flag from its yields. */
void mpi_curve_set_mono(mpi_curve *c);
/* Price the curve at level mult: every width is its width at the data's
 * prices times mult (a cut is undone). */
void mpi_curve_set_level(mpi_curve *c, double mult);

/* Whether the curve was kept for repricing (mpi_model_price). */
static inline int mpi_curve_keeps_base(const mpi_curve *c)
{
    return c->kept;
}

/* Width of segment s at the data's prices. */
static inline double mpi_curve_base_width(const mpi_curve *c, int s)
{
    return c->bw[s] * c->bscale;
}

/* Yield of KPI q per unit of currency of segment s at the data's prices. */
static inline double mpi_curve_data_yield(const mpi_curve *c, int s, int q)
{
    if (c->y)
        return c->y[(size_t)s * MPI_NKPI + (size_t)q];
    return c->yf[q] + c->yf[MPI_NKPI + q] * c->y1[s];
}

/* Ask the memory for curve c's first widths and yields (four cache lines of
 * each: a curve of up to 32 segments whole), for a pass about to read it. A
 * hint only: a prefetch past an array's end never faults. Inlined always:
 * GCC takes a function of prefetches alone for one without effect, and
 * drops its calls. */
__attribute__((always_inline)) static inline void mpi_curve_prefetch(const mpi_curve *c)
{
    const double *a = c->w ? c->w : c->bw, *b = c->y ? c->y : c->y1;
    for (int k = 0; a && b && k < 32; k += 8) {
        __builtin_prefetch(a + k);
        __builtin_prefetch(b + k);
    }
}

/* Whether the curve has yields at all (one built without segments has not). */
static inline int mpi_curve_has_yields(const mpi_curve *c)
{
    return c->y != NULL || c->y1 != NULL;
}

/* Whether the curve's breakpoints have bids (mpi_curve_bid). */
static inline int mpi_curve_has_bids(const mpi_curve *c)
{
    return c->param != NULL || c->bids != NULL;
}

/* Bid of breakpoint b at the data's prices (no ceiling). */
static inline double mpi_curve_data_bid(const mpi_curve *c, int b)
{
    return c->param ? c->param[b] : exp(c->bids->mu + c->bids->sigma * c->bids->z[b]);
}

/* Whether two curves share their yields (one borrowed the other's). */
static inline int mpi_curve_same_yields(const mpi_curve *a, const mpi_curve *b)
{
    return a->y == b->y && a->y1 == b->y1;
}

/* Fresh copies of the curve's segments, which it owns from then on (the
 * arrays it had stay with whoever holds a copy of the struct); a compact
 * curve's yields are written out in full (a refined curve's new breakpoints
 * need not keep the proportions). */
mp_status mpi_curve_own(mpi_curve *c);
/* Free what the curve owns: its widths, and the rest unless borrowed. */
void mpi_curve_release(mpi_curve *c);
/* Split segment s into two at width w1 (currency, at the curve's price
 * level): the first piece yields ya[q], the second yb[q] (both at the data's
 * prices; spend's is kept), and the new breakpoint's bid is bid (at the
 * data's prices; unread without bids). The curve must own its segments. */
mp_status mpi_curve_split(mpi_curve *c, int s, double w1, const double *ya, const double *yb,
                          double bid);
/* c as a curve that borrows base's segments and owns a copy of its widths. */
mp_status mpi_curve_borrow(const mpi_curve *base, mpi_curve *c);
/* c as a copy of src that owns every array of its own (src unchanged). */
mp_status mpi_curve_copy(const mpi_curve *src, mpi_curve *c);
/* Keep the curve for repricing (mpi_curve_keeps_base): a curve not priced yet. */
void mpi_curve_keep_base(mpi_curve *c);

/* Yield of KPI q per unit of currency of segment s at the curve's price level
 * (spend is 1 a unit of currency at any price). */
static inline double mpi_curve_yield(const mpi_curve *c, int s, int q)
{
    double v = mpi_curve_data_yield(c, s, q);
    return q == MPI_SPEND ? v : v * (1 / c->mult);
}

/* All yields of segment s at the curve's price level (as mpi_curve_yield). */
static inline void mpi_curve_yields(const mpi_curve *c, int s, double *v)
{
    double inv = 1 / c->mult;
    for (int q = 0; q < MPI_NKPI; q++) {
        double y = mpi_curve_data_yield(c, s, q);
        v[q] = q == MPI_SPEND ? y : y * inv;
    }
}

/* Parameter (bid) of breakpoint b at the curve's price level (at most the
 * ceiling, where pricing cut the curve). */
static inline double mpi_curve_bid(const mpi_curve *c, int b)
{
    double v = mpi_curve_data_bid(c, b) * c->mult;
    return c->ceiling > 0 && v > c->ceiling ? c->ceiling : v;
}

typedef struct mpi_curve_list {
    mpi_curve *v;
    size_t n, cap;
} mpi_curve_list;

void mpi_curve_list_free(mpi_curve_list *l);
/* Append an empty curve; NULL on OOM. */
mpi_curve *mpi_curve_list_add(mpi_curve_list *l);
/* Give back the list's room beyond its curves (once it is complete). */
void mpi_curve_list_fit(mpi_curve_list *l);

/* Everything a model needs to know about the period it is building. */
typedef struct mpi_period {
    int index;
    long start, end; /* days, end exclusive */
    double weight;   /* seasonality multiplier of the response */
} mpi_period;

/* Evaluate a parametric curve at parameter p: spend x(p) and KPIs v[q](p). */
typedef void (*mpi_curve_fn)(void *ctx, double p, double *x, double *v);

/* Build a curve with adaptive breakpoints on p in [p0, p1] so that, for every
 * KPI with a positive range, the chord error stays below tol times that range.
 * The error of a segment is its true largest gap to the curve (a bracketing
 * search, not a sample). No segment is narrower in spend than
 * MPI_PWL_MIN_WIDTH times the spend at its end: where a curve is steeper than
 * that allows, the segment keeps the larger error, which out->err reports. The spend at p0 must be
 * 0. Records params when want_param. seeds (ascending, may be NULL) are kinks of the curve that
 * must be breakpoints. */
mp_status mpi_pwl_build(mpi_curve_fn f, void *ctx, double p0, double p1, double tol, int want_param,
                        const double *seeds, size_t nseeds, mpi_curve *out);
/* Narrowest segment, relative to the spend at its end: about 4,500 units of
 * double rounding there, below which the segment's own spend is lost. Not
 * relative to the curve's whole span: a curve with a scale of 1e-6 in a
 * sweep up to a budget of 1e12 needs segments of 1e-7 near 0, which the LP
 * takes in its stride, as it measures each column in its own width
 * (engine/adapters/lpnum.c). */
#define MPI_PWL_MIN_WIDTH 1e-12

/* 1 when the curve through breakpoints p[0..n-1] (ascending) is within tol
 * of f, relative to the range of each KPI over p[0..n-1]: each segment's
 * largest gap as mpi_pwl_build measures it, searched only where the bound
 * that its probes give a concave gap exceeds tol (the same answer as
 * comparing the true largest gap with tol). */
int mpi_pwl_within(mpi_curve_fn f, void *ctx, const double *p, int n, double tol);

/* A curve through given breakpoint parameters p[0..n-1] (ascending), e.g.
 * breakpoints found once for a family of curves of the same shape. */
mp_status mpi_pwl_at(mpi_curve_fn f, void *ctx, const double *p, int n, int want_param,
                     mpi_curve *out);

/* The model interface: one table of functions per media type. */
typedef struct mpi_model_ops {
    const char *type;     /* the name plans give it: "search", "tv" ... */
    const char *media;    /* media family reported (several types may share one) */
    const char *kind;     /* msgid: the channel in a planner's words, "a TV channel" */
    int digital;          /* 1: digital media */
    const char *co2_unit; /* unit of the channel's co2 factor */
    const char *const *keys;
    void *(*create)(void);
    void (*destroy)(void *params);
    /* Set one model key; loc names file, line and key for messages. */
    mp_status (*set)(void *params, const mpi_model_ctx *ctx, const mpi_loc *loc, const char *value);
    /* Validate after all keys and load datasets. */
    mp_status (*check)(void *params, const mpi_model_ctx *ctx, mpi_channel *ch);
    /* Append the channel's curves for period t at the prices of its data (no
     * inflation); spend_max bounds each curve. */
    mp_status (*curves)(const void *params, const mpi_model_ctx *ctx, const mpi_channel *ch,
                        const mpi_period *t, double spend_max, mpi_curve_list *out);
    /* Price level of period t's costs under a yearly inflation rate (NAN: the
     * rates the plan gives), relative to the prices the curves were built at:
     * every cost of the curve scales by it. keyword -1 asks for the lowest
     * level over the channel's curves. NULL: the model's costs do not inflate. */
    double (*cost_index)(const void *params, const mpi_model_ctx *ctx, const mpi_channel *ch,
                         long keyword, int t, double rate);
    /* Name of the unit cost that scenario multipliers scale (cpc, cpm, cpp, cpi),
     * and its value at the data's prices (search: the mean of the keywords'
     * median competing bids). */
    const char *cost_name;
    double (*unit_cost)(const void *params);
    /* The exact KPIs v[] of the channel's curve for period t (keyword k of its
     * list, or -1) at spend x, at the data's prices: the closed form the
     * curves approximate, v[MPI_SPEND] = x, for 0 <= x up to the curve's end.
     * With bid (curves with parameters, else NAN), the curve's bid at x: the
     * marginal cost of a click there. */
    void (*exact)(const void *params, const mpi_model_ctx *ctx, const mpi_channel *ch,
                  const mpi_period *t, long keyword, double x, double *v, double *bid);
    /* exact at n spends x[i] of one curve, v[i * MPI_NKPI + q], the curve's
     * own numbers found once for all of them (finite differences take three
     * points of a curve at a time): the same figures as n calls of exact.
     * NULL: exact is called n times. */
    void (*exact_n)(const void *params, const mpi_model_ctx *ctx, const mpi_channel *ch,
                    const mpi_period *t, long keyword, const double *x, int n, double *v);
    /* The spend function of a model whose curves mpi_spend_curve builds (its
     * exact is then mpi_spend_exact), or NULL. It sees the period only through
     * t->weight: two periods of the same weight and spend range have the same
     * curves, built once (engine/src/build.c). */
    void (*spend)(const void *params, const mpi_channel *ch, const mpi_period *t, double x,
                  double *v);
    /* Curves with bids: the spend at the data's prices at which the curve's
     * bid reaches bid (where a ceiling ends it), INFINITY when the curve's
     * top bid stays below it (no ceiling cuts the curve); NULL for models
     * without bids. */
    double (*bid_spend)(const void *params, const mpi_model_ctx *ctx, const mpi_channel *ch,
                        const mpi_period *t, long keyword, double bid);
    /* People reached by total campaign spend, or NULL when the model has no reach. */
    double (*reach)(const void *params, const mpi_model_ctx *ctx, const mpi_channel *ch,
                    double spend);
    /* Keywords (search): count, each keyword's inputs, and the file they came
     * from; NULL for models without keywords. */
    size_t (*keyword_count)(const void *params);
    const struct mpi_keyword *(*keyword)(const void *params, size_t k);
    const char *(*keyword_source)(const void *params);
    /* The export's rows read, skipped and excluded by the rules and the
     * keywords planned, as one sentence in lang into buf[0..n) (the terminal's
     * note and the workbook's Assumptions say the same). */
    void (*keyword_tally)(const void *params, mpi_lang lang, char *buf, size_t n);
    /* Bytes the model keeps for its curves beyond the curves themselves
     * (shapes and arrays its curves share), or NULL when it keeps none. */
    size_t (*curve_bytes)(const void *params);
} mpi_model_ops;

const mpi_model_ops *mpi_model_find(const char *type);
/* "search, social, tv, radio, press or curve": the registry's types. */
void mpi_model_type_list(char *buf, size_t n);
#define MPI_MAX_MODELS 32
/* cost_index of models with one unit cost (CPM, cost per GRP, per insertion)
 * that inflates from the channel's price date. */
double mpi_unit_cost_index(const void *params, const mpi_model_ctx *ctx, const mpi_channel *ch,
                           long keyword, int t, double rate);
extern const mpi_model_ops *const mpi_models[];
extern const size_t mpi_model_count;

extern const mpi_model_ops mpi_model_search, mpi_model_social, mpi_model_tv, mpi_model_radio,
    mpi_model_press, mpi_model_curve;

/* Response curves (response.c). */
/* Handle a response-curve key (response/curve, beta, ec, slope, k, lambda, scale,
 * points, kpi, value). Returns MP_OK and *taken = 1 when the key was one of them. */
mp_status mpi_resp_set(mpi_resp *r, const mpi_model_ctx *ctx, const mpi_loc *loc, const char *value,
                       int *taken);
mp_status mpi_resp_check(mpi_resp *r, const mpi_model_ctx *ctx, const mpi_channel *ch);
double mpi_resp_eval(const mpi_resp *r, double x);
/* Spends where the curve has a kink (table points), ascending; NULL if none. */
const double *mpi_resp_kinks(const mpi_resp *r, size_t *n);
void mpi_resp_free(mpi_resp *r);
extern const char *const mpi_resp_keys[];
/* Fill v[] (revenue and conversions) with the direct response at spend x. */
void mpi_resp_kpis(const mpi_resp *r, double x, double weight, double *v);

/* Uncertain curves (draws.c). */
/* The range written after a key's value, "620 +- 15%", "620 ± 15%",
 * "620 +/- 15%" or "620 (+/- 15%)": 1 and base (the value before the sign,
 * NUL-terminated in buf of size n) and *rel (the text after it, in buf after
 * base) when v has one, else 0. */
int mpi_range_split(const char *v, char *buf, size_t n, const char **rel);
/* Which range key k is (enum mpi_range_key), or -1. */
int mpi_range_key(const char *k);
/* Record a range of rel on key k of channel ch (its media type decides
 * whether the key may take one). */
mp_status mpi_range_set(mpi_resp *r, const mpi_channel *ch, const mpi_loc *loc, const char *base,
                        const char *rel);
/* Build the draws of r from its draws file or ranges (after every key). */
mp_status mpi_draws_build(mpi_resp *r, const mpi_model_ctx *ctx, const mpi_channel *ch);
/* r's draws crossed with another set's: draw p * n + d of the result has
 * the weight wn[d] wm[p] and is r's draw p (outer) or d (else), r having
 * m draws (outer) or n: a range's m points with a file's n draws, each
 * file draw with each point. The ids (which paired the files) are dropped,
 * the draws regrouped; nd_own keeps r's own count. */
mp_status mpi_draws_cross(mpi_resp *r, const double *wn, size_t n, const double *wm, size_t m,
                          int outer);
/* The mean curve's terms of r's draws (r->grp, r->ng), for draws without a
 * rate's factor: draws differing only in beta summed as one curve. */
mp_status mpi_resp_group(mpi_resp *r);
/* The weights of the three points of a range: low, base, high. */
extern const double mpi_range_weight[3];
/* ch with draw d's curve in place of the mean (d < ch->resp.nd). */
void mpi_channel_draw(const mpi_channel *ch, size_t d, mpi_channel *out);
/* Free the draws of r. */
void mpi_draws_free(mpi_resp *r);
/* Response curves imported from a Robyn model export (robyn.c). */
/* Handle the keys robyn, robyn_channel and robyn_data (*taken = 1 when key is one). */
mp_status mpi_robyn_set(mpi_resp *r, const mpi_model_ctx *ctx, const mpi_loc *loc,
                        const char *value, int *taken);
/* Fill the channel's curve (hill beta, ec, slope, kpi) and adstock from the
 * export, where the plan does not give them; a no-op without robyn. Before
 * the model's and the curve's checks. */
mp_status mpi_robyn_apply(mpi_resp *r, const mpi_model_ctx *ctx, mpi_channel *ch);
void mpi_robyn_keys_free(struct mpi_robyn_keys *k);

/* Build one period curve from a simple spend function (non-search models). */
typedef void (*mpi_spend_fn)(const void *params, const mpi_channel *ch, const mpi_period *t,
                             double x, double *v);
mp_status mpi_spend_curve(mpi_spend_fn f, const void *params, const mpi_model_ctx *ctx,
                          const mpi_channel *ch, const mpi_period *t, double spend_max,
                          mpi_curve_list *out);

/* mpi_model_ops.exact of the models whose curves mpi_spend_curve builds from
 * their ops->spend: v zeroed, ops->spend at x, v[MPI_SPEND] = x, no bid. */
void mpi_spend_exact(const void *params, const mpi_model_ctx *ctx, const mpi_channel *ch,
                     const mpi_period *t, long keyword, double x, double *v, double *bid);

/* Search curves on a shape the model keeps share its arrays (mpi_curve.shaped);
 * off (a test's switch), every curve is built with arrays of its own. */
void mpi_search_share_curves(int on);

/* Standard normal CDF and quantile. */
double mpi_norm_cdf(double z);

#endif /* MPI_MODELS_H */
