/* The LP solved from its curves and row prices, never from its matrix.
 *
 * Every row's coefficient on segment s of curve c is linear in the segment's
 * yields, a_r0 + sum_q a_rq y_csq, with terms a_r that depend on the curve
 * only through its class (kind, channel, period, keyword group): a few
 * hundred classes for millions of segments. Under row prices pi a segment's
 * reduced cost is then the dot product of its yields with its class's
 * weights. Segments whose reduced cost is clearly signed sit at a bound;
 * GLPK solves the LP over the band of the others, the fixed part folded into
 * the row bounds; every curve is priced again under the band's prices and
 * what prices out wrongly joins the band, until nothing does. The answer is
 * then checked over every segment (rows, bounds, reduced-cost signs,
 * complementary slackness) as lpnum.c checks GLPK's. Starting prices come
 * from a sampled smaller instance (every k-th curve of each class, its width
 * scaled up), solved the same way, recursively.
 *
 * The passes over the curves run in two fixed halves, on two threads when the
 * LP is large; sums are made per half and added in order, so the answer does
 * not depend on whether the threads ran. */
#include "model.h"
#include "solution.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { NT = MPI_NKPI + 1 }; /* a row's terms on a class: one per yield, then a constant */

/* LPs up to this many columns are solved whole at once; larger ones start
 * from the prices of an instance SAMPLE times smaller. */
static size_t whole_max_cols = 30000;
#define SAMPLE 8
/* Passes over curves go on two threads from this many columns. */
static size_t thread_min_cols = 200000;
/* Segments within this of a zero reduced cost, relative to its terms, are in question. */
static double band_start = 0.01;
/* The band's share of that around the optimal prices of the same LP before
 * a few curves were refined (mpi_model_resolve_implicit): they price all
 * but the refined curves right, so a narrower band holds the new optimum
 * (on 50k keywords x 13 weeks a fourth of the columns, GLPK 0.55 -> 0.15 s,
 * still one round); a band too narrow widens as any does. */
#define REFINED_BAND_SHARE 0.25
/* LPs from this many columns give back the memory freed before their
 * solution's columns are taken (a trim costs about a millisecond). */
#define TRIM_MIN_COLS ((size_t)1000000)
/* Rounds of band solves before the whole LP is solved instead. */
#define MAX_ROUNDS 40

/* A curve as the solve sees it. */
typedef struct icurve {
    const mpi_curve *src; /* its widths and yields (width_of, mpi_curve_data_yield) */
    double inv;           /* 1 / price level: yields other than spend scale by it */
    double wscale;        /* widths times this: 1, or a sampled curve's weight */
    size_t col;           /* its first column */
    uint32_t cls, nseg;
    uint32_t lo, hi; /* [0, lo) at their width, [lo, hi) in the band, the rest at 0 */
    int mono;        /* every yield but spend's falls or stays along the curve */
} icurve;

/* The LP over curves: rows (their bounds), classes (their terms) and curves. */
typedef struct ilp {
    int sense, obj_kpi;
    size_t nrows, ncls, ncv, ncols;
    const mpi_row *rows;  /* op, rhs and size of each row; coefficients unread */
    mpi_row_classes tab;  /* the class table (rows.c), which the three below are of */
    double *terms;        /* [ncls][nrows][NT] */
    unsigned char *touch; /* [ncls][nrows]: the row has a term on the class */
    unsigned char *used;  /* [ncls][NT]: some row's term or the objective uses the yield */
    icurve *cv;
    int owns;     /* the class table is this instance's (a sample borrows it) */
    int top;      /* the model's own instance, not a sample: its counts are kept */
    double band0; /* the band's width around the starting prices */
} ilp;

/* What the last solve of this thread did (mpi_implicit_last). */
static _Thread_local mpi_implicit_stats stats;

static void ilp_free(ilp *p)
{
    if (p->owns)
        mpi_row_classes_free(&p->tab);
    free(p->cv);
    memset(p, 0, sizeof *p);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Width of segment s at the curve's price level. */
static inline double width_of(const icurve *c, uint32_t s)
{
    return mpi_curve_width(c->src, (int)s);
}

static inline double yield_at(const icurve *c, uint32_t s, int q)
{
    double y = mpi_curve_data_yield(c->src, (int)s, q);
    return q == MPI_SPEND ? y : y * c->inv;
}

static inline const double *terms_of(const ilp *p, uint32_t cls, size_t r)
{
    return p->terms + ((size_t)cls * p->nrows + r) * NT;
}

/* Row r's coefficient on segment s of curve c. */
static double coef(const ilp *p, const icurve *c, uint32_t s, size_t r)
{
    const double *a = terms_of(p, c->cls, r);
    double v = a[MPI_NKPI];
    for (int q = 0; q < MPI_NKPI; q++)
        if (a[q] != 0)
            v += a[q] * yield_at(c, s, q);
    return v;
}

/* ---- classes -------------------------------------------------------------- */

/* Each class's reduced-cost weights under prices pi: a segment's reduced cost
 * is g[MPI_NKPI] + sum_q g[q] y[q] (yields at its price level), the sizes of
 * its terms at most ga's likewise; the objective counts obj_w times. */
static void class_weights(const ilp *p, const double *pi, double obj_w, double *g, double *ga)
{
    for (size_t k = 0; k < p->ncls; k++) {
        double *gk = g + k * NT, *ak = ga + k * NT;
        for (int q = 0; q < NT; q++)
            gk[q] = ak[q] = 0;
        gk[p->obj_kpi] = obj_w;
        ak[p->obj_kpi] = fabs(obj_w);
        gk[MPI_NKPI] = obj_w * p->tab.obj0[k]; /* over the money paid (carryover) */
        ak[MPI_NKPI] = fabs(gk[MPI_NKPI]);
        for (size_t r = 0; r < p->nrows; r++) {
            if (pi[r] == 0 || !p->touch[k * p->nrows + r])
                continue;
            const double *a = terms_of(p, (uint32_t)k, r);
            for (int q = 0; q < NT; q++) {
                double t = pi[r] * a[q];
                gk[q] -= t;
                ak[q] += fabs(t);
            }
        }
    }
}

/* A class's weights for curve c, at its price level, over the data's yields,
 * kept for the yields they weigh (a class's rows see two or three of them). */
typedef struct cweights {
    int n;
    int q[MPI_NKPI];
    double e[MPI_NKPI], ea[MPI_NKPI];
    double e0, ea0; /* the constant terms */
    int down;       /* the reduced cost times the sense falls or stays along the curve */
    /* A compact curve (models.h): each yield a constant or a multiple of y1,
     * so the reduced cost is lin0 + lin1 y1[s] and its size lina0 + lina1 |y1[s]|. */
    const double *y1;
    double lin0, lin1, lina0, lina1;
} cweights;

/* The reduced cost of a compact curve as a linear function of its one yield. */
static void compact_weights(const mpi_curve *src, cweights *w)
{
    const double *yf = src->yf;
    w->y1 = src->y1;
    w->lin0 = w->e0;
    w->lina0 = w->ea0;
    w->lin1 = w->lina1 = 0;
    for (int i = 0; i < w->n; i++) {
        double k = yf[w->q[i]], f = yf[MPI_NKPI + w->q[i]]; /* one of the two is 0 */
        w->lin0 += w->e[i] * k;
        w->lin1 += w->e[i] * f;
        w->lina0 += w->ea[i] * fabs(k);
        w->lina1 += w->ea[i] * fabs(f);
    }
}

/* From weights g and the sizes of their terms ga (NULL: not needed). */
static void curve_weights(const icurve *c, int sense, const double *g, const double *ga,
                          cweights *w)
{
    const double *gk = g + (size_t)c->cls * NT, *ak = ga ? ga + (size_t)c->cls * NT : NULL;
    w->n = 0;
    w->down = c->mono;
    for (int q = 0; q < MPI_NKPI; q++)
        if (q != MPI_SPEND && gk[q] * sense < 0)
            w->down = 0; /* a yield that falls raises this reduced cost */
    w->e0 = gk[MPI_NKPI];
    w->ea0 = ak ? ak[MPI_NKPI] : 0;
    for (int q = 0; q < MPI_NKPI; q++) {
        double scale = q == MPI_SPEND ? 1 : c->inv, a = ak ? ak[q] : 0;
        if (gk[q] == 0 && a == 0)
            continue;
        w->q[w->n] = q;
        w->e[w->n] = gk[q] * scale;
        w->ea[w->n++] = a * scale;
    }
    w->y1 = NULL;
    if (!c->src->y && c->src->y1)
        compact_weights(c->src, w);
}

/* The last curve's weights: a pass meets a class's curves one after the
 * other (the keywords of a group in a period), whose weights are the same
 * but for their compact yields (y1). */
typedef struct weights_memo {
    uint32_t cls; /* UINT32_MAX: none yet */
    double inv;
    int mono;
    const double *yf; /* the compact curve's factors, NULL for one with all its yields */
    cweights w;
} weights_memo;

/* curve_weights, the same to the bit, from the memo when curve c has what
 * its weights depend on in common with the last curve (a pass's g and ga
 * are the same for every curve). */
static void memo_weights(const icurve *c, int sense, const double *g, const double *ga,
                         weights_memo *memo, cweights *w)
{
    const double *yf = !c->src->y && c->src->y1 ? c->src->yf : NULL;
    if (memo->cls != c->cls || memo->inv != c->inv || memo->mono != c->mono || memo->yf != yf) {
        curve_weights(c, sense, g, ga, &memo->w);
        memo->cls = c->cls;
        memo->inv = c->inv;
        memo->mono = c->mono;
        memo->yf = yf;
    }
    *w = memo->w;
    w->y1 = yf ? c->src->y1 : NULL;
}

/* A segment's reduced cost d and the size of its terms m at most, from its yields. */
static inline double price(const cweights *w, const icurve *c, uint32_t s, double *m)
{
    if (w->y1) {
        double y = w->y1[s];
        *m = w->lina0 + w->lina1 * fabs(y);
        return w->lin0 + w->lin1 * y;
    }
    double d = w->e0, a = w->ea0;
    for (int i = 0; i < w->n; i++) {
        double v = mpi_curve_data_yield(c->src, (int)s, w->q[i]);
        d += w->e[i] * v;
        a += w->ea[i] * fabs(v);
    }
    *m = a;
    return d;
}

/* ---- passes over the curves ------------------------------------------------ */

enum { PASS_BAND, PASS_WIDEN, PASS_REPRICE, PASS_TOTALS, PASS_CHECK, PASS_FULL };

/* One half of a pass. acc holds sums per row: activity, its compensation,
 * the size of its terms, then the objective, its compensation, its size. */
typedef struct chunk {
    const ilp *p;
    size_t from, to; /* curves */
    int what;
    const double *g, *ga; /* class weights */
    const double *x;      /* columns (PASS_CHECK), or NULL: the fixed segments */
    double band;
    size_t wrong; /* PASS_REPRICE: segments priced wrongly; PASS_CHECK: curves out of order */
    double worst; /* PASS_CHECK: the worst reduced cost of the wrong sign, relative */
    double *acc;  /* [3 * nrows + 3] */
    double *out;  /* PASS_FULL: the columns, the fixed full segments written at their widths */
    /* PASS_CHECK of the model's own instance: the rows as rows.c sums them
     * (mpi_row_sums_start), this chunk's half of them, or NULL; the halves
     * then split where rows.c's do (tab.mid), not in the middle */
    double *sums;
    int half;
} chunk;

/* The band of curve c under weights e (ea: the sizes of their terms):
 * [lo, hi) from the first segment not clearly worth filling to the last not
 * clearly worth leaving, among those of positive width. */
static void curve_band_scan(const ilp *p, const icurve *c, const cweights *w, double band,
                            uint32_t *lo, uint32_t *hi);

/* The segment where a falling reduced cost (w->down) turns from positive:
 * the first whose reduced cost times the sense is at most 0 (nseg: none). */
static uint32_t turn(const ilp *p, const icurve *c, const cweights *w)
{
    uint32_t a = 0, b = c->nseg;
    while (a < b) {
        uint32_t mid = a + (b - a) / 2;
        double m;
        if (price(w, c, mid, &m) * p->sense > 0)
            a = mid + 1;
        else
            b = mid;
    }
    return a;
}

/* The band of curve c: for a falling reduced cost, from where it turns
 * outwards while segments are in question (a few priced, not every one). */
static void curve_band(const ilp *p, const icurve *c, const cweights *w, double band, uint32_t *lo,
                       uint32_t *hi)
{
    if (!w->down) {
        curve_band_scan(p, c, w, band, lo, hi);
        return;
    }
    uint32_t z = turn(p, c, w), a = z, b = z;
    double m, d;
    for (uint32_t s = z; s-- > 0;) { /* d > 0 here: in question while d <= band m */
        if (!(width_of(c, s) > 0))
            continue;
        d = price(w, c, s, &m) * p->sense;
        if (d > band * m)
            break;
        a = s;
    }
    for (uint32_t s = z; s < c->nseg; s++) { /* d <= 0 here */
        if (!(width_of(c, s) > 0))
            continue;
        d = price(w, c, s, &m) * p->sense;
        if (d < -band * m)
            break;
        b = s + 1;
    }
    *lo = a;
    *hi = b;
}

/* The band of curve c, every segment priced. */
static void curve_band_scan(const ilp *p, const icurve *c, const cweights *w, double band,
                            uint32_t *lo, uint32_t *hi)
{
    uint32_t first = c->nseg, last = 0;
    for (uint32_t s = 0; s < c->nseg; s++) {
        if (!(width_of(c, s) > 0))
            continue;
        double m, d = price(w, c, s, &m) * p->sense;
        if (first == c->nseg && !(d > band * m))
            first = s;
        if (!(d < -band * m))
            last = s + 1;
    }
    *lo = first;
    *hi = last > first ? last : first;
}

/* The bounds [lo, hi) grown over curve c's fixed segments whose reduced cost
 * is on the wrong side by more than the check's tolerance, every one priced. */
static void wrong_scan(const ilp *p, const icurve *c, const cweights *w, uint32_t *lo, uint32_t *hi)
{
    const double tol = MPI_LP_TOL_REL;
    for (uint32_t s = 0; s < c->nseg; s++) {
        if (s == c->lo)
            s = c->hi; /* the band's own segments are priced by the solver */
        if (s >= c->nseg)
            break;
        if (!(width_of(c, s) > 0))
            continue;
        double m, d = price(w, c, s, &m) * p->sense;
        if ((s < c->lo && d < -tol * m) || (s >= c->hi && d > tol * m)) {
            *lo = s < *lo ? s : *lo;
            *hi = s + 1 > *hi ? s + 1 : *hi;
        }
    }
}

/* The same for a falling reduced cost: from the band outwards, only while the
 * reduced cost has the wrong sign (past that, every one has the right sign). */
static void wrong_falling(const ilp *p, const icurve *c, const cweights *w, uint32_t *lo,
                          uint32_t *hi)
{
    const double tol = MPI_LP_TOL_REL;
    double m, d;
    for (uint32_t s = c->lo; s-- > 0;) { /* at their width: wrong below 0 */
        if (!(width_of(c, s) > 0))
            continue;
        d = price(w, c, s, &m) * p->sense;
        if (d >= 0)
            break;
        if (d < -tol * m)
            *lo = s;
    }
    for (uint32_t s = c->hi; s < c->nseg; s++) { /* at 0: wrong above 0 */
        if (!(width_of(c, s) > 0))
            continue;
        d = price(w, c, s, &m) * p->sense;
        if (d <= 0)
            break;
        if (d > tol * m)
            *hi = s + 1;
    }
}

/* Curve c's fixed segments that price out on the wrong side under the new
 * weights: the band grows over them, and only them (a band LP's prices can be
 * far from the whole's, and a band drawn under them as wide as the LP);
 * returns how many segments the band grows by (0: none priced wrongly). */
static uint32_t curve_reprice(const ilp *p, icurve *c, const cweights *w, int apply)
{
    uint32_t lo = c->lo, hi = c->hi;
    if (w->down)
        wrong_falling(p, c, w, &lo, &hi);
    else
        wrong_scan(p, c, w, &lo, &hi);
    uint32_t grows = (c->lo - lo) + (hi - c->hi);
    if (apply) {
        c->lo = lo;
        c->hi = hi;
    }
    return grows;
}
/* Sums over segments [from, to) of curve c at x (NULL: at their widths) of
 * x y_q (yields at the price level) for the yields its class's rows and the
 * objective use, t[MPI_NKPI] of x; tabs of their sizes. */
static void curve_totals(const ilp *p, const icurve *c, const double *x, uint32_t from, uint32_t to,
                         double *t, double *tabs)
{
    const unsigned char *used = p->used + (size_t)c->cls * NT;
    int qs[MPI_NKPI], n = 0;
    for (int q = 0; q < NT; q++) {
        t[q] = tabs[q] = 0;
        if (q < MPI_NKPI && used[q])
            qs[n++] = q;
    }
    for (uint32_t s = from; s < to; s++) {
        double xs = x ? x[c->col + s] : width_of(c, s) * c->wscale;
        if (xs == 0)
            continue;
        for (int i = 0; i < n; i++) {
            double v = xs * mpi_curve_data_yield(c->src, (int)s, qs[i]);
            t[qs[i]] += v;
            tabs[qs[i]] += fabs(v);
        }
        t[MPI_NKPI] += xs;
        tabs[MPI_NKPI] += xs;
    }
    for (int i = 0; i < n; i++)
        if (qs[i] != MPI_SPEND) {
            t[qs[i]] *= c->inv;
            tabs[qs[i]] *= c->inv;
        }
}

/* Add a curve's totals to each row's activity and size, and the objective:
 * the rows its class touches and their terms that are not 0 (the class
 * table's lists), in row and yield order, the constant last. */
static void add_totals(const ilp *p, uint32_t cls, const double *t, const double *tabs, double *acc)
{
    size_t n = p->nrows;
    const mpi_row_term *e = p->tab.list + p->tab.lstart[cls];
    const mpi_row_term *end = p->tab.list + p->tab.lstart[cls + 1];
    for (; e < end; e++) {
        double v = 0, m = 0;
        for (int k = 0; k < e->n; k++) {
            v += e->a[k] * t[e->q[k]];
            m += fabs(e->a[k]) * tabs[e->q[k]];
        }
        if (e->a0 != 0) {
            v += e->a0 * t[MPI_NKPI];
            m += fabs(e->a0) * tabs[MPI_NKPI];
        }
        mpi_add_comp(&acc[e->row], &acc[n + e->row], v);
        acc[2 * n + e->row] += m;
    }
    double o0 = p->tab.obj0[cls];
    mpi_add_comp(&acc[3 * n], &acc[3 * n + 1], t[p->obj_kpi] + o0 * t[MPI_NKPI]);
    acc[3 * n + 2] += tabs[p->obj_kpi] + fabs(o0) * tabs[MPI_NKPI];
}

/* How far segment s of curve c, at x, breaks its reduced cost's sign (d,
 * signed prices pi), relative to the size of its terms, as lpnum.c measures
 * it: the size is summed only when the objective alone does not settle it. */
static double wrong_side(const ilp *p, const icurve *c, uint32_t s, double x, double d,
                         const double *pi)
{
    const double tol = MPI_LP_TOL_REL;
    double ub = width_of(c, s) * c->wscale, wrong = 0, near = tol * ub;
    if (x < ub - near && d > 0)
        wrong = d;
    if (x > near && d < 0)
        wrong = -d;
    if (wrong == 0) /* as below, the segment's terms unread */
        return 0;
    double obj = fabs(yield_at(c, s, p->obj_kpi) + p->tab.obj0[c->cls]);
    if (!(wrong > tol * obj))
        return 0;
    double mag = obj;
    for (size_t r = 0; r < p->nrows; r++)
        if (pi[r] != 0 && p->touch[(size_t)c->cls * p->nrows + r])
            mag += fabs(pi[r] * coef(p, c, s, r));
    return mag > 0 ? wrong / mag : INFINITY;
}

/* The check of one curve at x: its part of the rows and the objective, and
 * its worst reduced cost (ch->g: weights of the signed prices in ch->acc's
 * place... see check_pass). */
static void curve_check(chunk *ch, const icurve *c, const double *pi, weights_memo *memo)
{
    double t[NT], tabs[NT], m;
    cweights cw;
    curve_totals(ch->p, c, ch->x, 0, c->nseg, t, tabs);
    add_totals(ch->p, c->cls, t, tabs, ch->acc);
    if (ch->sums) /* what the refinement asks of the plan first (refine.c) */
        mpi_row_sums_add_curve(&ch->p->tab, c->src, c->cls, ch->x, ch->sums, ch->half);
    memo_weights(c, ch->p->sense, ch->g, NULL, memo, &cw);
    int order = 0; /* and its fill order, in the same walk */
    const double *xc = ch->x + c->col;
    double worst = ch->worst;
    for (uint32_t s = 0; s < c->nseg; s++) {
        double xs = xc[s], ub = width_of(c, s);
        order = mpi_order_step(order, xs, ub);
        if (!(ub > 0))
            continue;
        double d = price(&cw, c, s, &m);
        double w = wrong_side(ch->p, c, s, xs, d, pi);
        if (w > worst)
            worst = w;
    }
    ch->worst = worst;
    ch->wrong += ch->sums && order == 2;
}

/* Curves ahead of the one a pass works on whose segments it asks the memory
 * for (mpi_curve_prefetch): a pass's first reads of a curve (the band's
 * binary search) jump within it, which the processor does not foresee. */
#define PREFETCH_AHEAD 2

static void *run_chunk(void *arg)
{
    chunk *ch = arg;
    const ilp *p = ch->p;
    double t[NT], tabs[NT];
    cweights cw;
    weights_memo memo = {.cls = UINT32_MAX};
    for (size_t i = ch->from; i < ch->to; i++) {
        icurve *c = &p->cv[i];
        if (i + PREFETCH_AHEAD < ch->to)
            mpi_curve_prefetch(p->cv[i + PREFETCH_AHEAD].src);
        if (ch->what == PASS_CHECK) {
            curve_check(ch, c, ch->ga, &memo); /* ga: the signed prices */
            continue;
        }
        if (ch->what == PASS_FULL) {
            for (uint32_t s = 0; s < c->lo; s++)
                ch->out[c->col + s] = width_of(c, s) * c->wscale;
            continue;
        }
        if (ch->what == PASS_TOTALS) {
            curve_totals(p, c, NULL, 0, c->lo, t, tabs);
            add_totals(p, c->cls, t, tabs, ch->acc);
            continue;
        }
        memo_weights(c, p->sense, ch->g, ch->ga, &memo, &cw);
        if (ch->what == PASS_BAND || ch->what == PASS_WIDEN) {
            uint32_t lo, hi;
            curve_band(p, c, &cw, ch->band, &lo, &hi);
            int keep = ch->what == PASS_WIDEN;
            c->lo = keep && c->lo < lo ? c->lo : lo;
            c->hi = keep && c->hi > hi ? c->hi : hi;
            if (ch->acc) { /* and PASS_TOTALS's sums, curve by curve in its order */
                curve_totals(p, c, NULL, 0, c->lo, t, tabs);
                add_totals(p, c->cls, t, tabs, ch->acc);
            }
        } else
            ch->wrong += curve_reprice(p, c, &cw, ch->band > 0);
    }
    return NULL;
}

/* Run a pass in two halves (on two threads when the LP is large), the
 * halves' sums added in order into acc (NULL: none). Returns the wrong count;
 * *worst gets the larger of the halves'. */
static mp_status run_pass(const ilp *p, chunk proto, double *acc, size_t *wrong, double *worst)
{
    size_t n = 3 * p->nrows + 3;
    chunk ch[2] = {proto, proto};
    ch[0].to = ch[1].from = proto.sums ? p->tab.mid : p->ncv / 2;
    ch[0].from = 0;
    ch[1].to = p->ncv;
    ch[1].half = 1;
    double *half = acc ? mpi_calloc(2 * n, sizeof(double)) : NULL;
    if (acc && !half)
        return mpi_fail(MP_ERR_NOMEM, N_("out of memory"));
    ch[0].acc = half;
    ch[1].acc = half ? half + n : NULL;
    pthread_t second;
    int threaded =
        p->ncols >= thread_min_cols && pthread_create(&second, NULL, run_chunk, &ch[1]) == 0;
    run_chunk(&ch[0]);
    if (threaded)
        pthread_join(second, NULL);
    else
        run_chunk(&ch[1]);
    for (size_t k = 0; acc && k < p->nrows + 1; k++) {
        size_t at = k < p->nrows ? k : 3 * p->nrows, cp = k < p->nrows ? p->nrows + k : at + 1;
        size_t mg = k < p->nrows ? 2 * p->nrows + k : at + 2;
        double s = 0, c = 0;
        for (int h = 0; h < 2; h++) {
            mpi_add_comp(&s, &c, half[h * n + at]);
            mpi_add_comp(&s, &c, half[h * n + cp]);
        }
        acc[at] = s + c;
        acc[mg] = half[mg] + half[n + mg];
    }
    free(half);
    if (wrong)
        *wrong = ch[0].wrong + ch[1].wrong;
    if (worst)
        *worst = fmax(ch[0].worst, ch[1].worst);
    return MP_OK;
}

/* ---- the full segments, while GLPK solves ----------------------------------- */

/* Curves the full segments' pass takes at a time, at most (a small LP's
 * curves still make a few dozen blocks). */
#define FILL_BLOCK 4096

/* The whole LP's columns, the fixed full segments at their widths, written
 * by a second thread while GLPK solves the band on this one (GLPK uses one
 * core, and the pass is mostly the pages of the columns taken as they are
 * first written): blocks of curves are taken in turn, those left when GLPK
 * returns by both threads, so the columns are the same whoever wrote them. */
typedef struct prefill {
    const ilp *p;
    double *x;          /* [ncols], or NULL: the pass runs after GLPK (assemble) */
    size_t block;       /* curves a block */
    atomic_size_t next; /* the first curve of the next block not taken */
    pthread_t thread;
} prefill;

static void *prefill_run(void *arg)
{
    prefill *f = arg;
    chunk ch = {.p = f->p, .what = PASS_FULL, .out = f->x};
    for (;;) {
        size_t from = atomic_fetch_add(&f->next, f->block);
        if (from >= f->p->ncv)
            return NULL;
        ch.from = from;
        ch.to = f->p->ncv - from > f->block ? from + f->block : f->p->ncv;
        run_chunk(&ch);
    }
}

/* Start writing the columns of the band's answer under the band as it is
 * (its curves' lo stay until the answer is assembled: one_round). A small
 * LP, or no second thread: the pass runs after GLPK as before. */
static mp_status prefill_start(const ilp *p, prefill *f)
{
    free(f->x); /* a band that moved since: its columns are stale */
    f->x = NULL;
    if (p->ncols < thread_min_cols)
        return MP_OK;
    f->x = mpi_calloc(p->ncols, sizeof(double));
    if (!f->x)
        return mpi_fail(MP_ERR_NOMEM, N_("out of memory for the LP solution"));
    f->p = p;
    f->block = p->ncv / 64 + 1 < FILL_BLOCK ? p->ncv / 64 + 1 : FILL_BLOCK;
    atomic_init(&f->next, 0);
    if (pthread_create(&f->thread, NULL, prefill_run, f) != 0) {
        free(f->x);
        f->x = NULL;
    }
    return MP_OK;
}

/* The blocks left taken here too, then the second thread joined. */
static void prefill_end(prefill *f)
{
    if (!f->x)
        return;
    prefill_run(f);
    pthread_join(f->thread, NULL);
}

/* ---- the band -------------------------------------------------------------- */

/* The LP over the segments in question, and what the fixed ones add up to. */
typedef struct band {
    size_t k;      /* columns */
    size_t *cur;   /* [k] the curve of each */
    uint32_t *seg; /* [k] its segment */
    mpi_lp lp;
    double *acc;    /* [3 * nrows + 3] the fixed segments' rows and objective (run_pass) */
    int acc_summed; /* acc holds them already (summed by the band's pass) */
    prefill fill;   /* the whole LP's columns of the last band solved */
} band;

static void band_free(band *b)
{
    free(b->cur);
    free(b->seg);
    mpi_lp_free(&b->lp);
    free(b->acc);
    free(b->fill.x);
    memset(b, 0, sizeof *b);
}

/* The band's columns, in curve and segment order. */
static mp_status band_columns(const ilp *p, band *b)
{
    size_t k = 0;
    for (size_t i = 0; i < p->ncv; i++)
        k += p->cv[i].hi - p->cv[i].lo;
    free(b->cur);
    free(b->seg);
    b->cur = mpi_malloc(sizeof(size_t) * (k ? k : 1));
    b->seg = mpi_malloc(sizeof(uint32_t) * (k ? k : 1));
    if (!b->cur || !b->seg)
        return mpi_fail(MP_ERR_NOMEM, N_("out of memory"));
    b->k = 0;
    for (size_t i = 0; i < p->ncv; i++)
        for (uint32_t s = p->cv[i].lo; s < p->cv[i].hi; s++) {
            b->cur[b->k] = i;
            b->seg[b->k++] = s;
        }
    return MP_OK;
}

/* Row r of the band LP without its coefficients: its bound less the fixed
 * segments' activity, its size theirs and its own. */
static void band_row(const ilp *p, band *b, size_t r)
{
    const mpi_row *src = &p->rows[r];
    mpi_row *row = &b->lp.rows[r];
    *row = *src;
    row->name = row->label = NULL;
    row->rhs = src->rhs - b->acc[r];
    row->size = fmax(src->size, fabs(src->rhs) + b->acc[2 * p->nrows + r]);
}

/* Each row's room in ind/val for each half of the band's columns (the
 * columns its class touches), rows one after another, a row's first half
 * before its second: at[h * nrows + r] where half h's entries of row r
 * start. Returns the entries in all. */
static size_t band_room(const ilp *p, const band *b, size_t *at, size_t *per_cls)
{
    /* per_cls: [2][ncls] each half's columns of each class */
    memset(per_cls, 0, sizeof(size_t) * 2 * p->ncls);
    for (size_t i = 0; i < b->k; i++)
        per_cls[(i >= b->k / 2) * p->ncls + p->cv[b->cur[i]].cls]++;
    size_t nnz = 0;
    for (size_t r = 0; r < p->nrows; r++)
        for (size_t h = 0; h < 2; h++) {
            at[h * p->nrows + r] = nnz;
            for (size_t k = 0; k < p->ncls; k++)
                nnz += p->touch[k * p->nrows + r] ? per_cls[h * p->ncls + k] : 0;
        }
    return nnz;
}

/* Half of the band's columns [from, to), their coefficients written into
 * each row's room for them (at: where the next goes, row by row). */
typedef struct band_half {
    const ilp *p;
    band *b;
    size_t from, to;
    size_t *at;
} band_half;

static void *band_half_run(void *arg)
{
    band_half *h = arg;
    const ilp *p = h->p;
    mpi_lp *lp = &h->b->lp;
    for (size_t i = h->from; i < h->to; i++) {
        const icurve *c = &p->cv[h->b->cur[i]];
        uint32_t s = h->b->seg[i];
        /* the rows the class touches and their terms not 0: coef's sums */
        const mpi_row_term *e = p->tab.list + p->tab.lstart[c->cls];
        const mpi_row_term *end = p->tab.list + p->tab.lstart[c->cls + 1];
        for (; e < end; e++) {
            double v = e->a0;
            for (int k = 0; k < e->n; k++)
                v += e->a[k] * yield_at(c, s, e->q[k]);
            if (v == 0)
                continue;
            lp->ind[h->at[e->row]] = i;
            lp->val[h->at[e->row]++] = v;
        }
    }
    return NULL;
}

/* Row r's entries of one half, from start to end, moved down to lp->nnz. */
static void band_pack(mpi_lp *lp, size_t start, size_t end)
{
    memmove(lp->ind + lp->nnz, lp->ind + start, (end - start) * sizeof *lp->ind);
    memmove(lp->val + lp->nnz, lp->val + start, (end - start) * sizeof *lp->val);
    lp->nnz += end - start;
}

/* The band's coefficients, each half of its columns into each row's room
 * for it (two threads on a large LP), then the rows packed one after
 * another: a row's entries in column order, the matrix a walk along each
 * row gives, in one pass over the columns. start: band_room's. */
static void band_matrix(const ilp *p, band *b, const size_t *start, size_t *at)
{
    mpi_lp *lp = &b->lp;
    size_t n = p->nrows;
    memcpy(at, start, 2 * n * sizeof *at);
    band_half h[2] = {{p, b, 0, b->k / 2, at}, {p, b, b->k / 2, b->k, at + n}};
    pthread_t second;
    int threaded =
        p->ncols >= thread_min_cols && pthread_create(&second, NULL, band_half_run, &h[1]) == 0;
    band_half_run(&h[0]);
    if (threaded)
        pthread_join(second, NULL);
    else
        band_half_run(&h[1]);
    lp->nnz = 0;
    for (size_t r = 0; r < n; r++) {
        lp->rows[r].start = lp->nnz;
        band_pack(lp, start[r], at[r]);
        band_pack(lp, start[n + r], at[n + r]);
        lp->rows[r].len = lp->nnz - lp->rows[r].start;
    }
}

static mp_status band_lp(const ilp *p, band *b)
{
    mpi_lp *lp = &b->lp;
    mpi_lp_free(lp);
    size_t k = b->k;
    size_t n2 = 2 * p->nrows; /* rooms' starts [n2], per class counts [2 ncls], ends [n2] */
    size_t *at = mpi_malloc(sizeof(size_t) * (2 * n2 + 2 * p->ncls + 1));
    size_t nnz = at ? band_room(p, b, at, at + n2) : 0;
    lp->sense = p->sense;
    lp->ncols = k;
    lp->nrows = lp->rcap = p->nrows;
    lp->nzcap = nnz;
    lp->obj = mpi_calloc(k ? k : 1, sizeof(double));
    lp->ub = mpi_calloc(k ? k : 1, sizeof(double));
    lp->rows = mpi_calloc(p->nrows ? p->nrows : 1, sizeof *lp->rows);
    lp->ind = mpi_malloc(sizeof(size_t) * (nnz ? nnz : 1));
    lp->val = mpi_malloc(sizeof(double) * (nnz ? nnz : 1));
    if (!at || !lp->obj || !lp->ub || !lp->rows || !lp->ind || !lp->val) {
        free(at);
        lp->nrows = 0; /* no names to free */
        return mpi_fail(MP_ERR_NOMEM, N_("out of memory"));
    }
    for (size_t i = 0; i < k; i++) {
        const icurve *c = &p->cv[b->cur[i]];
        lp->obj[i] = yield_at(c, b->seg[i], p->obj_kpi) + p->tab.obj0[c->cls];
        lp->ub[i] = width_of(c, b->seg[i]) * c->wscale;
    }
    for (size_t r = 0; r < p->nrows; r++)
        band_row(p, b, r);
    band_matrix(p, b, at, at + n2 + 2 * p->ncls);
    free(at);
    return MP_OK;
}

/* The fixed segments summed, the band LP built over the others and solved. */
static mp_status band_solve(const ilp *p, const mp_solve_opts *opts, band *b, mpi_lp_sol *bs)
{
    memset(bs, 0, sizeof *bs);
    chunk proto = {.p = p, .what = PASS_TOTALS};
    mp_status st = MP_OK;
    if (!b->acc_summed) {
        memset(b->acc, 0, sizeof(double) * (3 * p->nrows + 3));
        st = run_pass(p, proto, b->acc, NULL, NULL);
    }
    b->acc_summed = 0; /* a round after this one moves the band first */
    if (st == MP_OK)
        st = band_columns(p, b);
    if (st == MP_OK)
        st = band_lp(p, b);
    if (st == MP_OK)
        st = prefill_start(p, &b->fill);
    double t0 = now_s();
    if (st == MP_OK)
        st = mpi_glpk_solve_hint(&b->lp, opts, bs); /* no solution: the band widens */
    stats.glpk_s += now_s() - t0;
    prefill_end(&b->fill);
    return st;
}

/* ---- the solution ---------------------------------------------------------- */

/* The whole LP's columns from the band's solution, and its prices. The
 * band's LP goes first: what the band and GLPK freed is given back before
 * the rest is taken (on 100k keywords x 13 weeks, 300 MB of columns came on
 * top of 130 MB the C library kept). A large LP's columns, its largest
 * block, were taken and their full segments written while GLPK ran
 * (prefill; on 100k keywords x 13 weeks 33 MiB more at the peak, 62,000
 * fewer pages first written on this thread). */
static mp_status assemble(const ilp *p, band *b, const mpi_lp_sol *bs, mpi_lp_sol *sol)
{
    memset(sol, 0, sizeof *sol);
    mpi_lp_free(&b->lp);
    if (p->ncols >= TRIM_MIN_COLS)
        mpi_alloc_trim();
    size_t m1 = p->nrows ? p->nrows : 1;
    double *filled = b->fill.x; /* the full segments written while GLPK ran */
    b->fill.x = NULL;
    sol->x = filled ? filled : mpi_calloc(p->ncols ? p->ncols : 1, sizeof(double));
    sol->row_act = mpi_calloc(m1, sizeof(double));
    sol->row_dual = mpi_calloc(m1, sizeof(double));
    if (!sol->x || !sol->row_act || !sol->row_dual) {
        mpi_lp_sol_free(sol);
        return mpi_fail(MP_ERR_NOMEM, N_("out of memory for the LP solution"));
    }
    chunk proto = {.p = p, .what = PASS_FULL, .out = sol->x};
    mp_status st = filled ? MP_OK : run_pass(p, proto, NULL, NULL, NULL); /* the full segments */
    if (st != MP_OK) {
        mpi_lp_sol_free(sol);
        return st;
    }
    for (size_t i = 0; i < b->k; i++) {
        const icurve *c = &p->cv[b->cur[i]];
        double x = bs->x[i], ub = width_of(c, b->seg[i]) * c->wscale; /* as band_lp's */
        sol->x[c->col + b->seg[i]] = x < 0 ? 0 : x > ub ? ub : x;
    }
    memcpy(sol->row_dual, bs->row_dual, sizeof(double) * p->nrows);
    sol->status = bs->status;
    return MP_OK;
}

/* Row r's price as a multiplier of the maximisation of sense*obj, 0 when of
 * the sign its bound forbids (lpnum.c). */
static double signed_price(const ilp *p, const mpi_lp_sol *sol, size_t r)
{
    double v = sol->row_dual[r] * p->sense;
    int op = p->rows[r].op;
    return (op == MPI_LE && v < 0) || (op == MPI_GE && v > 0) ? 0 : v;
}

/* How far each row lies outside its bound, relative to its size, at worst. */
static double worst_excess(const ilp *p, const mpi_lp_sol *sol, const double *acc)
{
    double worst = 0;
    for (size_t r = 0; r < p->nrows; r++) {
        const mpi_row *row = &p->rows[r];
        double act = sol->row_act[r];
        double over = row->op == MPI_LE   ? act - row->rhs
                      : row->op == MPI_GE ? row->rhs - act
                                          : fabs(act - row->rhs);
        if (!(over > 0))
            continue;
        double size = fmax(fmax(fabs(row->rhs), acc[2 * p->nrows + r]), row->size);
        worst = fmax(worst, size > 0 ? over / size : INFINITY);
    }
    return worst;
}

/* Room for the rows as rows.c sums them, which the check works out on its
 * way for the model's own instance (sol->rows_at: the next pass over the
 * plan, the ties', needs them); *sums NULL for a sample. */
static mp_status rows_room(const ilp *p, mpi_lp_sol *sol, double **sums)
{
    *sums = NULL;
    if (!p->top)
        return MP_OK;
    *sums = mpi_calloc(4 * p->nrows + 1, sizeof(double));
    sol->rows_at = mpi_calloc(2 * p->nrows + 1, sizeof(double));
    if (!*sums || !sol->rows_at)
        return mpi_fail(MP_ERR_NOMEM, N_("out of memory"));
    mpi_row_sums_start(p->rows, p->nrows, *sums);
    return MP_OK;
}

/* Row activities and the objective over every segment; with *ok, whether the
 * solution passes lpnum.c's check: rows within their bounds, and (optimal)
 * every reduced cost signed for where its segment sits and every priced row
 * at its bound. */
static mp_status check(const ilp *p, mpi_lp_sol *sol, int *ok)
{
    size_t n = p->nrows;
    double *pi = mpi_calloc(n + 1, sizeof(double));
    double *g = mpi_calloc(p->ncls * NT + 1, sizeof(double));
    double *ga = mpi_calloc(p->ncls * NT + 1, sizeof(double));
    double *acc = mpi_calloc(3 * n + 3, sizeof(double)), *sums = NULL;
    mp_status st = pi && g && ga && acc ? MP_OK : mpi_fail(MP_ERR_NOMEM, N_("out of memory"));
    double worst = 0;
    if (st == MP_OK)
        st = rows_room(p, sol, &sums);
    if (st == MP_OK) {
        for (size_t r = 0; r < n; r++)
            pi[r] = sol->status == MPI_LP_OPTIMAL ? signed_price(p, sol, r) : 0;
        class_weights(p, pi, p->sense, g, ga);
        chunk proto = {.p = p, .what = PASS_CHECK, .g = g, .ga = pi, .x = sol->x, .sums = sums};
        size_t disorder = 0;
        st = run_pass(p, proto, acc, &disorder, &worst);
        sol->in_order = sums && !disorder;
    }
    if (st == MP_OK && sums)
        mpi_row_sums_end(n, sums, sol->rows_at);
    free(sums);
    if (st == MP_OK) {
        memcpy(sol->row_act, acc, sizeof(double) * n);
        sol->obj = acc[3 * n];
        double size = acc[3 * n + 2];
        for (size_t r = 0; r < n; r++)
            size += fabs(pi[r] * p->rows[r].rhs);
        for (size_t r = 0; r < n && size > 0; r++)
            worst = fmax(worst, fabs(pi[r]) * fabs(sol->row_act[r] - p->rows[r].rhs) / size);
        double excess = worst_excess(p, sol, acc);
        *ok =
            excess <= MPI_LP_TOL_REL && (sol->status != MPI_LP_OPTIMAL || worst <= MPI_LP_TOL_REL);
    }
    free(pi);
    free(g);
    free(ga);
    free(acc);
    return st;
}

/* ---- the rounds ------------------------------------------------------------ */

/* The whole LP at once: every segment in the band. GLPK's verdict is the
 * answer (its own check passed on this very LP). */
static mp_status solve_whole(const ilp *p, const mp_solve_opts *opts, mpi_lp_sol *sol)
{
    for (size_t i = 0; i < p->ncv; i++) {
        p->cv[i].lo = 0;
        p->cv[i].hi = p->cv[i].nseg;
    }
    band b = {0};
    mpi_lp_sol bs = {0};
    if (p->top)
        stats.whole = 1;
    b.acc = mpi_calloc(3 * p->nrows + 3, sizeof(double));
    mp_status st =
        b.acc ? band_solve(p, opts, &b, &bs) : mpi_fail(MP_ERR_NOMEM, N_("out of memory"));
    if (st == MP_OK)
        st = assemble(p, &b, &bs, sol);
    int ok;
    if (st == MP_OK)
        st = check(p, sol, &ok);
    if (st != MP_OK)
        mpi_lp_sol_free(sol);
    mpi_lp_sol_free(&bs);
    band_free(&b);
    return st;
}

enum { ROUND_AGAIN, ROUND_DONE, ROUND_WHOLE };

/* The band's answer as the whole LP's: assembled and checked over every
 * segment; one that fails its check is dropped for the whole LP. */
static mp_status finish(const ilp *p, band *b, const mpi_lp_sol *bs, mpi_lp_sol *sol, int *out)
{
    int ok = 0;
    mp_status st = assemble(p, b, bs, sol);
    if (st == MP_OK)
        st = check(p, sol, &ok);
    if (st != MP_OK || (!ok && bs->status == MPI_LP_OPTIMAL)) {
        mpi_lp_sol_free(sol);
        *out = ROUND_WHOLE;
    } else {
        *out = ROUND_DONE;
    }
    return st;
}

/* A band without a solution (its fixed segments ask too much of the rows):
 * the band widened under the same prices, or the whole LP once it would
 * hold about every segment. */
static mp_status widen(const ilp *p, const double *g, const double *ga, double *band_rel, int *out)
{
    *band_rel *= 4;
    *out = ROUND_WHOLE; /* reprice set it to ROUND_AGAIN: the same band ran to MAX_ROUNDS */
    if (*band_rel > 0.5)
        return MP_OK;
    chunk proto = {.p = p, .what = PASS_WIDEN, .g = g, .ga = ga, .band = *band_rel};
    *out = ROUND_AGAIN;
    return run_pass(p, proto, NULL, NULL, NULL);
}

/* Class weights of the starting prices and of the last band's. */
typedef struct weights {
    double *g0, *ga0, *g, *ga;
    double band_rel; /* the band's width around the starting prices */
} weights;

/* Every fixed segment priced again under the band's prices pi: none wrong,
 * the band's answer is the whole LP's; a few, they join the band; more than
 * the band holds, its prices are no guide (a narrow band can price far from
 * the whole LP) and the band widens around the starting prices instead.
 * Counted in segments: a band whose prices leave the budget unpriced marks a
 * quarter of a million curves wrong over most of their length (80,000
 * keywords x 13 weeks with bid ceilings and a group's cap: 3.2 M columns
 * for GLPK, 2.6 GB, where the widened band holds 0.5 M). */
static mp_status reprice(const ilp *p, const band *b, const double *pi, weights *w, int *out)
{
    size_t wrong = 0;
    class_weights(p, pi, 1, w->g, w->ga);
    chunk proto = {.p = p, .what = PASS_REPRICE, .g = w->g, .ga = w->ga, .band = 0};
    mp_status st = run_pass(p, proto, NULL, &wrong, NULL); /* counted, not moved */
    *out = wrong ? ROUND_AGAIN : ROUND_DONE;
    if (st != MP_OK || !wrong)
        return st;
    if (wrong > 2 * b->k + 1000)
        return widen(p, w->g0, w->ga0, &w->band_rel, out);
    proto.band = 1;
    return run_pass(p, proto, NULL, NULL, NULL);
}

/* One round: the band solved, every fixed segment priced again under its
 * prices; done when none prices out wrongly. */
static mp_status one_round(const ilp *p, const mp_solve_opts *opts, band *b, weights *w,
                           mpi_lp_sol *sol, int *out)
{
    mpi_lp_sol bs;
    mp_status st = band_solve(p, opts, b, &bs);
    *out = ROUND_WHOLE;
    if (p->top) {
        stats.rounds++;
        stats.band_cols = b->k;
    }
    if (st == MP_ERR_SOLVER) { /* the band's answer failed its check: the whole LP */
        mpi_clear_error();
        return MP_OK;
    }
    if (st == MP_OK && bs.status == MPI_LP_TIME_LIMIT)
        st = finish(p, b, &bs, sol, out); /* out of time: the point reached */
    else if (st == MP_OK && bs.status == MPI_LP_OPTIMAL) {
        st = reprice(p, b, bs.row_dual, w, out);
        if (st == MP_OK && *out == ROUND_DONE)
            st = finish(p, b, &bs, sol, out);
    } else if (st == MP_OK) { /* infeasible or unbounded with segments fixed */
        st = widen(p, w->g0, w->ga0, &w->band_rel, out);
    }
    mpi_lp_sol_free(&bs);
    return st;
}

/* Solve from row prices pi0: the band under them, then rounds. */
static mp_status solve_at(const ilp *p, const double *pi0, const mp_solve_opts *opts,
                          mpi_lp_sol *sol)
{
    band b = {0};
    size_t nw = p->ncls * NT + 1;
    double *all = mpi_calloc(4 * nw, sizeof(double));
    weights w = {all, all + nw, all + 2 * nw, all + 3 * nw, p->band0};
    b.acc = mpi_calloc(3 * p->nrows + 3, sizeof(double));
    mp_status st = all && b.acc ? MP_OK : mpi_fail(MP_ERR_NOMEM, N_("out of memory"));
    int out = ROUND_AGAIN;
    if (st == MP_OK) {
        class_weights(p, pi0, 1, w.g0, w.ga0);
        chunk proto = {.p = p, .what = PASS_BAND, .g = w.g0, .ga = w.ga0, .band = p->band0};
        st = run_pass(p, proto, b.acc, NULL, NULL); /* and the fixed segments' sums */
        b.acc_summed = st == MP_OK;
    }
    for (int round = 0; st == MP_OK && out == ROUND_AGAIN && round < MAX_ROUNDS; round++)
        st = one_round(p, opts, &b, &w, sol, &out);
    free(all);
    band_free(&b);
    if (st == MP_OK && out != ROUND_DONE)
        st = solve_whole(p, opts, sol);
    return st;
}

/* ---- starting prices ------------------------------------------------------- */

/* Every k-th curve of each class, its widths scaled by the class's curves
 * over those taken: an instance about k times smaller with about the same
 * totals per class. It borrows p's classes. */
static mp_status sample(const ilp *p, size_t k, ilp *s)
{
    *s = *p;
    s->owns = s->top = 0;
    s->band0 = band_start;
    s->ncv = s->ncols = 0;
    size_t *cnt = mpi_calloc(p->ncls + 1, sizeof(size_t));
    size_t *seen = mpi_calloc(p->ncls + 1, sizeof(size_t));
    s->cv = mpi_malloc(sizeof(icurve) * (p->ncv / k + p->ncls + 1));
    if (!cnt || !seen || !s->cv) {
        free(cnt);
        free(seen);
        return mpi_fail(MP_ERR_NOMEM, N_("out of memory"));
    }
    for (size_t i = 0; i < p->ncv; i++)
        cnt[p->cv[i].cls]++;
    for (size_t i = 0; i < p->ncv; i++) {
        const icurve *c = &p->cv[i];
        size_t n = cnt[c->cls], m = (n + k - 1) / k, j = seen[c->cls]++;
        if ((j + 1) * m / n == j * m / n)
            continue; /* m of the class's n curves, evenly spread */
        icurve d = *c;
        d.wscale = c->wscale * (double)n / (double)m;
        d.col = s->ncols;
        s->ncols += c->nseg;
        s->cv[s->ncv++] = d;
    }
    free(cnt);
    free(seen);
    return MP_OK;
}

static mp_status solve_ilp(const ilp *p, const double *pi0, const mp_solve_opts *opts,
                           mpi_lp_sol *sol);

/* Row prices to start from: the optimum's of a sampled instance (0 when it
 * has none). *whole when sampling does not make the LP much smaller. */
static mp_status start_prices(const ilp *p, const mp_solve_opts *opts, double *pi, int *whole)
{
    ilp s;
    mp_status st = sample(p, SAMPLE, &s);
    *whole = st == MP_OK && 2 * s.ncols > p->ncols;
    if (p->top)
        stats.sample_cols = s.ncols;
    if (st == MP_OK && !*whole) {
        mpi_lp_sol ss;
        st = solve_ilp(&s, NULL, opts, &ss);
        if (st == MP_OK && ss.status == MPI_LP_OPTIMAL)
            memcpy(pi, ss.row_dual, sizeof(double) * p->nrows);
        if (st == MP_ERR_SOLVER) { /* only a start: from zero prices then */
            mpi_clear_error();
            st = MP_OK;
        }
        mpi_lp_sol_free(&ss);
    }
    ilp_free(&s);
    return st;
}

static mp_status solve_ilp(const ilp *p, const double *pi0, const mp_solve_opts *opts,
                           mpi_lp_sol *sol)
{
    memset(sol, 0, sizeof *sol);
    if (!pi0 && p->ncols <= whole_max_cols)
        return solve_whole(p, opts, sol);
    double *pi = NULL;
    int whole = 0;
    mp_status st = MP_OK;
    if (!pi0) {
        double t0 = now_s();
        pi = mpi_calloc(p->nrows + 1, sizeof(double));
        st = pi ? start_prices(p, opts, pi, &whole) : mpi_fail(MP_ERR_NOMEM, N_("out of memory"));
        pi0 = pi;
        if (p->top)
            stats.sample_s = now_s() - t0;
    }
    if (st == MP_OK)
        st = whole ? solve_whole(p, opts, sol) : solve_at(p, pi0, opts, sol);
    free(pi);
    return st;
}

/* ---- from the model -------------------------------------------------------- */

/* The curves as the solve sees them, each in its class of the table. */
static void fill_curves(const mpi_model *m, ilp *p)
{
    for (size_t i = 0; i < m->curves.n; i++) {
        const mpi_curve *c = &m->curves.v[i];
        icurve *v = &p->cv[i];
        v->src = c;
        v->inv = 1 / c->mult;
        v->wscale = 1;
        v->col = c->col;
        v->cls = p->tab.cls[i];
        v->nseg = (uint32_t)c->nseg;
        v->mono = m->mono ? m->mono[i] : 0;
    }
}

static mp_status ilp_from_model(const mpi_model *m, ilp *p)
{
    memset(p, 0, sizeof *p);
    p->owns = p->top = 1;
    p->sense = m->lp.sense;
    p->obj_kpi = m->plan->obj_kpi;
    p->nrows = m->lp.nrows;
    p->rows = m->lp.rows;
    p->ncols = m->lp.ncols;
    p->ncv = m->curves.n;
    p->cv = mpi_calloc(p->ncv + 1, sizeof(icurve));
    mp_status st =
        p->cv ? mpi_row_classes_init(m, &p->tab) : mpi_fail(MP_ERR_NOMEM, N_("out of memory"));
    if (st != MP_OK)
        return st;
    p->ncls = p->tab.ncls;
    p->terms = p->tab.terms;
    p->touch = p->tab.touch;
    p->used = p->tab.used;
    fill_curves(m, p);
    return MP_OK;
}

/* Whether the model's LP is the one its curves make: one column per segment
 * in curve order, no binaries. */
static int implicit_fits(const mpi_model *m)
{
    size_t n = 0;
    for (size_t i = 0; i < m->curves.n; i++) {
        if (m->curves.v[i].col != n || m->curves.v[i].nseg < 0)
            return 0;
        n += (size_t)m->curves.v[i].nseg;
    }
    return n == m->lp.ncols && !m->lp.binary && m->plan;
}

/* The implicit solve, its band band0 wide around pi_start. */
static mp_status solve_implicit(const mpi_model *m, const double *pi_start, double band0,
                                const mp_solve_opts *opts, mpi_lp_sol *sol)
{
    memset(sol, 0, sizeof *sol);
    memset(&stats, 0, sizeof stats);
    if (!implicit_fits(m) || mpi_deadline_passed())
        return mpi_model_solve_explicit(m, opts, sol);
    double t0 = now_s();
    ilp p;
    mp_status st = ilp_from_model(m, &p);
    p.band0 = band0;
    if (st == MP_OK)
        st = solve_ilp(&p, pi_start, opts, sol);
    ilp_free(&p);
    stats.total_s = now_s() - t0;
    return st;
}

mp_status mpi_model_solve_implicit(const mpi_model *m, const double *pi_start,
                                   const mp_solve_opts *opts, mpi_lp_sol *sol)
{
    return solve_implicit(m, pi_start, band_start, opts, sol);
}

mp_status mpi_model_resolve_implicit(const mpi_model *m, const double *pi,
                                     const mp_solve_opts *opts, mpi_lp_sol *sol)
{
    return solve_implicit(m, pi, pi ? REFINED_BAND_SHARE * band_start : band_start, opts, sol);
}

size_t mpi_implicit_tune(size_t whole_max)
{
    size_t was = whole_max_cols;
    whole_max_cols = whole_max;
    return was;
}

size_t mpi_implicit_tune_threads(size_t min_cols)
{
    size_t was = thread_min_cols;
    thread_min_cols = min_cols;
    return was;
}

double mpi_implicit_tune_band(double band_rel)
{
    double was = band_start;
    band_start = band_rel;
    return was;
}

void mpi_implicit_last(mpi_implicit_stats *out)
{
    *out = stats;
}
