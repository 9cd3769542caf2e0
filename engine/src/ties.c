/* The same answer for equal things: where several plans are optimal, the LP
 * returns one of its vertices, e.g. 370 and 630 for two identical channels.
 * Columns whose objective coefficient and every coefficient in the rows at
 * their bound are equal (per unit of spend) can trade spend one for one
 * without moving the objective or those rows, so the plan gives each of them
 * the same share of their common total: the same fill fraction. The
 * objective and the binding rows are unchanged, so the plan stays optimal;
 * the rows with room (a channel's own max_spend below its bound, say) must
 * keep within their bounds, else the plan stays as the LP gave it. Channels
 * with identical curves and constraints so get identical spends.
 *
 * A segment's coefficients (its signature) come from its yields and its
 * curve's class terms (rows.c), never from the LP's matrix. Only a class of
 * equal segments whose fills differ (one partly filled, or one empty and one
 * full) can move; a class all empty or all full spreads to what it holds.
 * Equal segments have the same reduced cost at any prices, computed from the
 * signature alone; a full segment and an empty one can then be equal only
 * where the least reduced cost of a full segment and the greatest of an empty
 * one overlap, which at the LP's prices is a sliver about 0. So a first pass
 * (two threads) prices every segment and keeps a few numbers a curve, and
 * only the segments in that sliver, or at a partly filled segment's price,
 * are compared signature for signature. */
#include "bound.h"
#include "solution.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A column's fill at the LP's plan. */
enum { FILL_EMPTY, FILL_FULL, FILL_PART };

/* What a curve's segments price at (their reduced costs, see seg_price):
 * the least of a full one and the greatest of an empty one; whether one is
 * partly filled, one prices at NaN, and x fills the curve in order. */
typedef struct curve_sum {
    double full_min, empty_max;
    unsigned char part, nan, in_order;
} curve_sum;

/* The reduced costs that matter, over every curve: a full segment's least,
 * an empty one's greatest, the range of the partly filled ones'. */
typedef struct window {
    double full_min, empty_max, part_lo, part_hi;
} window;

/* What the passes share: the model, its class table, the rows at their
 * bound at the LP's plan and their prices. */
typedef struct ties {
    const mpi_model *m;
    mpi_row_classes t;
    unsigned char *tight; /* [nrows] */
    double *pi;           /* [nrows] a tight row's price (finite), else 0 */
    double *act, *size;   /* [nrows] the rows at x as given */
    double *act2, *size2; /* [nrows] the rows at x as moved */
    mpi_row_term *tl;     /* each class's terms in the tight rows... */
    size_t *tlstart;      /* ...class k's at tl[tlstart[k] .. tlstart[k + 1]) */
    unsigned *need;       /* [ncls] the yields a class's signature reads, a bit a KPI */
    mpi_row_term *pl;     /* each class's terms in the tight rows with a price... */
    size_t *plstart;      /* ...class k's at pl[plstart[k] .. plstart[k + 1]) */
    unsigned *pneed;      /* [ncls] the yields those and the objective read */
    int obj_kpi, sense;
    int walk;      /* the rows at x as moved are evaluated afresh (else summed) */
    curve_sum *cs; /* [ncurves] */
    window win;
} ties;

static void ties_free(ties *k)
{
    mpi_row_classes_free(&k->t);
    free(k->tight);
    free(k->pi);
    free(k->act);
    free(k->tl);
    free(k->tlstart);
    free(k->need);
    free(k->pl);
    free(k->plstart);
    free(k->cs);
}

static uint64_t mix(uint64_t h, uint64_t v)
{
    h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
    return h * 0xff51afd7ed558ccdULL;
}

static uint64_t bits(double v)
{
    uint64_t u;
    v = v == 0 ? 0 : v; /* -0 and 0 alike */
    memcpy(&u, &v, sizeof u);
    return u;
}

/* Segment s's yields as the LP sees them (inv = 1 / c->mult, as
 * mpi_curve_yields scales them), those in need (a bit a KPI) only. */
static inline void seg_yields(const mpi_curve *c, double inv, int s, unsigned need, double *y)
{
    for (int q = 0; q < MPI_NKPI; q++) {
        if (!(need >> q & 1))
            continue;
        double d = mpi_curve_data_yield(c, s, q);
        y[q] = q == MPI_SPEND ? d : d * inv;
    }
}

/* Term e's coefficient at yields y: the explicit matrix's to the bit. */
static double term_value(const mpi_row_term *e, const double *y)
{
    double a = e->a0;
    for (int q = 0; q < e->n; q++)
        a += e->a[q] * y[e->q[q]];
    return a;
}

/* Segment s of curve c (class cls) as the LP sees it in the objective and the
 * rows at their bound: v[0] its objective coefficient, then (row[i], v[i])
 * its non-zero coefficients in those rows, rows ascending. Returns how many
 * values. */
static size_t signature(const ties *k, const mpi_curve *c, uint32_t cls, int s, size_t *row,
                        double *v)
{
    double y[MPI_NKPI];
    seg_yields(c, 1 / c->mult, s, k->need[cls], y);
    size_t n = 0;
    row[n] = SIZE_MAX;
    v[n++] = y[k->obj_kpi] + k->t.obj0[cls]; /* over the money paid (carryover) */
    for (const mpi_row_term *e = k->tl + k->tlstart[cls]; e < k->tl + k->tlstart[cls + 1]; e++) {
        double a = term_value(e, y);
        if (a == 0)
            continue; /* the matrix holds no zeros */
        row[n] = e->row;
        v[n++] = a;
    }
    return n;
}

/* Segment s's reduced cost at k->pi, from its signature's values alone (the
 * same ones, in the same order), so equal segments price the same to the
 * bit. A row at price 0 is left out: subtracting 0 moves no comparison. */
static double seg_price(const ties *k, const mpi_curve *c, uint32_t cls, double inv, int s)
{
    double y[MPI_NKPI];
    seg_yields(c, inv, s, k->pneed[cls], y);
    double g = y[k->obj_kpi] + k->t.obj0[cls];
    for (const mpi_row_term *e = k->pl + k->plstart[cls]; e < k->pl + k->plstart[cls + 1]; e++) {
        double a = term_value(e, y);
        if (a != 0)
            g -= k->pi[e->row] * a;
    }
    return k->sense < 0 ? -g : g; /* >= 0 where filling pays, either sense */
}

/* Column j's fill at x (ub: its width), and in *yj its value alone: its fill
 * fraction, clamped to [0, 1], times its width. */
static int alone(double xj, double ub, double *yj)
{
    if (xj == 0 || (xj == ub && ub > 0)) { /* the fraction 0 or 1, exactly */
        *yj = xj == 0 ? 0 : ub;
        return xj == 0 ? FILL_EMPTY : FILL_FULL;
    }
    double f = ub > 0 ? fmin(1, fmax(0, xj / ub)) : 0;
    *yj = f * ub;
    return FILL_PART;
}

/* An empty segment with no room (a search curve cut at its bid ceiling
 * keeps its segments past the ceiling at width 0): it takes no spend
 * whatever its price, so it is compared with nothing and widens no
 * window; counted in a class, it would add 0 to its total and room. */
static int no_room(int fill, double ub)
{
    return fill == FILL_EMPTY && !(ub > 0);
}

static int binary_col(const mpi_model *m, size_t j)
{
    return m->lp.binary && m->lp.binary[j];
}

/* Curve i's summary at x (k->cs[i]); its partly filled segments' reduced
 * costs widen w. */
static void sum_curve(const ties *k, size_t i, const double *x, window *w)
{
    const mpi_curve *c = &k->m->curves.v[i];
    curve_sum *cs = &k->cs[i];
    uint32_t cls = k->t.cls[i];
    double inv = 1 / c->mult;
    cs->full_min = INFINITY;
    cs->empty_max = -INFINITY;
    cs->part = cs->nan = 0;
    cs->in_order = mpi_curve_filled_in_order(c, x + c->col);
    for (int s = 0; s < c->nseg; s++) {
        size_t j = c->col + (size_t)s;
        double yj, ub = mpi_curve_width(c, s);
        int fill = alone(x[j], ub, &yj);
        if (no_room(fill, ub))
            continue;
        if (binary_col(k->m, j)) {
            cs->part |= fill == FILL_PART; /* moved alone, never compared */
            continue;
        }
        double g = seg_price(k, c, cls, inv, s);
        if (isnan(g))
            cs->nan = 1;
        else if (fill == FILL_FULL)
            cs->full_min = fmin(cs->full_min, g);
        else if (fill == FILL_EMPTY)
            cs->empty_max = fmax(cs->empty_max, g);
        else {
            cs->part = 1;
            w->part_lo = fmin(w->part_lo, g);
            w->part_hi = fmax(w->part_hi, g);
        }
    }
}

/* Bounds on a compact curve's summary without pricing each segment. Its
 * yields are affine in the one that varies (y1), so in exact arithmetic is
 * every segment's reduced cost, and the least over its full segments (the
 * greatest over its empty ones) is at their least or greatest y1. The
 * reduced costs as computed are within their rounding (*margin) of that:
 * full_min lies in [lo, hi] and empty_max in [elo, ehi] below. */
typedef struct curve_est {
    double lo, hi, elo, ehi;
} curve_est;

/* The reduced cost seg_price gives a segment of compact curve c whose varying
 * yield is y1 (the same operations, in the same order); *abs gets the sum of
 * the magnitudes its rounding is relative to, at |y1| = ymag, and *ops how
 * many roundings it takes at most. */
static double price_at_y1(const ties *k, const mpi_curve *c, uint32_t cls, double inv, double y1,
                          double ymag, double *abs, int *ops)
{
    double y[MPI_NKPI], ya[MPI_NKPI];
    unsigned need = k->pneed[cls];
    *ops = 4;
    for (int q = 0; q < MPI_NKPI; q++) {
        if (!(need >> q & 1))
            continue;
        double d = c->yf[q] + c->yf[MPI_NKPI + q] * y1;
        double da = fabs(c->yf[q]) + fabs(c->yf[MPI_NKPI + q]) * ymag;
        y[q] = q == MPI_SPEND ? d : d * inv;
        ya[q] = q == MPI_SPEND ? da : da * fabs(inv);
        *ops += 3;
    }
    double g = y[k->obj_kpi] + k->t.obj0[cls];
    double s = ya[k->obj_kpi] + fabs(k->t.obj0[cls]);
    for (const mpi_row_term *e = k->pl + k->plstart[cls]; e < k->pl + k->plstart[cls + 1]; e++) {
        double a = term_value(e, y), aa = fabs(e->a0);
        for (int q = 0; q < e->n; q++)
            aa += fabs(e->a[q]) * ya[e->q[q]];
        if (a != 0)
            g -= k->pi[e->row] * a;
        s += fabs(k->pi[e->row]) * aa;
        *ops += 2 * e->n + 3;
    }
    *abs = s;
    return k->sense < 0 ? -g : g;
}

/* Curve i's summary bounded from its fills and the range of its varying
 * yield alone (est), with k->cs[i] conservative: full_min its lower bound,
 * empty_max its upper one. Returns 0 when the curve must be priced segment
 * by segment instead: not compact, a partly filled or binary column, a
 * value not finite. */
static int estimate_curve(const ties *k, size_t i, const double *x, curve_est *est)
{
    const mpi_curve *c = &k->m->curves.v[i];
    if (c->y || !c->y1 || !c->yf || c->nseg == 0 || k->m->lp.binary)
        return 0;
    double flo = INFINITY, fhi = -INFINITY, elo = INFINITY, ehi = -INFINITY, ymag = 0;
    int bad = 0, order = 0; /* and its fill order (mpi_order_step), in the same walk */
    for (int s = 0; s < c->nseg; s++) {
        double xj = x[c->col + (size_t)s], ub = mpi_curve_width(c, s), y1 = c->y1[s];
        order = mpi_order_step(order, xj, ub);
        bad |= y1 != y1;
        ymag = fabs(y1) > ymag ? fabs(y1) : ymag; /* fmax, inline (a NaN is bad) */
        if (xj == 0 && !(ub > 0)) {
            continue; /* no room (no_room) */
        } else if (xj == 0) {
            elo = y1 < elo ? y1 : elo;
            ehi = y1 > ehi ? y1 : ehi;
        } else if (xj == ub && ub > 0) {
            flo = y1 < flo ? y1 : flo;
            fhi = y1 > fhi ? y1 : fhi;
        } else {
            return 0; /* partly filled: in question, priced */
        }
    }
    if (bad)
        return 0;
    uint32_t cls = k->t.cls[i];
    double inv = 1 / c->mult, s = 0, margin = 0, g[4];
    const double at[4] = {flo, fhi, elo, ehi};
    int ops = 0;
    for (int u = 0; u < 4; u++) {
        g[u] = isfinite(at[u]) ? price_at_y1(k, c, cls, inv, at[u], ymag, &s, &ops) : 0;
        margin = fmax(margin, 1e-14 * ops * s);
    }
    if (!isfinite(margin) || !isfinite(g[0] + g[1] + g[2] + g[3]))
        return 0;
    curve_sum *cs = &k->cs[i];
    double fmin_end = isfinite(flo) ? fmin(g[0], g[1]) : INFINITY;
    double emax_end = isfinite(elo) ? fmax(g[2], g[3]) : -INFINITY;
    *est = (curve_est){fmin_end - margin, fmin_end + margin, emax_end - margin, emax_end + margin};
    cs->full_min = est->lo;
    cs->empty_max = est->ehi;
    cs->part = cs->nan = 0;
    cs->in_order = order != 2; /* as mpi_curve_filled_in_order */
    return 1;
}

/* One half of the first pass: curves [from, to) summed up or bounded
 * (k->cs, exact[]), and over them the bounds on the window: win as if every
 * curve were at its bounds' far ends, near as if at their near ends, so
 * that win.full_min <= the window's full_min <= near.full_min, and so on.
 * Minima and maxima: the same whichever half finds them. In the second
 * pass, the curves that may matter are priced after all and the window
 * found exactly. */
typedef struct sum_half {
    const ties *k;
    const double *x;
    unsigned char *exact;
    size_t from, to;
    int second;
    window win, near, ask; /* ask: the second pass's test (ceiling, floor) */
} sum_half;

static void window_empty(window *w)
{
    w->full_min = w->part_lo = INFINITY;
    w->empty_max = w->part_hi = -INFINITY;
}

static void sum_first(sum_half *h)
{
    window *w = &h->win, *n = &h->near;
    for (size_t i = h->from; i < h->to; i++) {
        curve_est est = {0, 0, 0, 0};
        if (i + 2 < h->to) /* its segments asked for ahead (mpi_curve_prefetch) */
            mpi_curve_prefetch(&h->k->m->curves.v[i + 2]);
        h->exact[i] = !estimate_curve(h->k, i, h->x, &est);
        if (h->exact[i]) {
            sum_curve(h->k, i, h->x, w);
            est.lo = est.hi = h->k->cs[i].full_min;
            est.elo = est.ehi = h->k->cs[i].empty_max;
        }
        w->full_min = fmin(w->full_min, est.lo);
        w->empty_max = fmax(w->empty_max, est.ehi);
        n->full_min = fmin(n->full_min, est.hi);
        n->empty_max = fmax(n->empty_max, est.elo);
    }
}

/* Whether a bounded curve (full_min >= lo, empty_max <= ehi) may set the
 * window or be in question: it is then priced. */
static int may_matter(const window *near, const window *ask, const curve_sum *cs)
{
    return cs->full_min <= near->full_min || cs->empty_max >= near->empty_max ||
           cs->full_min <= ask->full_min || cs->empty_max >= ask->empty_max;
}

static void sum_second(sum_half *h)
{
    window *w = &h->win, scratch;
    window_empty(&scratch);
    w->full_min = INFINITY;
    w->empty_max = -INFINITY;
    for (size_t i = h->from; i < h->to; i++) {
        if (!h->exact[i] && may_matter(&h->near, &h->ask, &h->k->cs[i]))
            sum_curve(h->k, i, h->x, &scratch); /* no part: scratch stays empty */
        w->full_min = fmin(w->full_min, h->k->cs[i].full_min);
        w->empty_max = fmax(w->empty_max, h->k->cs[i].empty_max);
    }
}

static void *sum_half_run(void *arg)
{
    sum_half *h = arg;
    if (h->second) {
        sum_second(h);
        return NULL;
    }
    window_empty(&h->win);
    window_empty(&h->near);
    sum_first(h);
    return NULL;
}

/* The first pass, in two fixed halves of the curves: k->cs and k->win. Most
 * curves are settled from bounds (estimate_curve) instead of pricing their
 * every segment: one that can set neither the window nor be in question is
 * left at its bounds (curve_in_question says no for it all the same); the
 * others are priced. The window is then the one pricing every segment gives,
 * to the bit. */
static mp_status sum_curves(ties *k, const double *x)
{
    size_t n = k->m->curves.n;
    unsigned char *exact = mpi_malloc(n ? n : 1);
    if (!exact)
        return mpi_nomem();
    sum_half h[2] = {{.k = k, .x = x, .exact = exact, .from = 0, .to = n / 2},
                     {.k = k, .x = x, .exact = exact, .from = n / 2, .to = n}};
    mpi_halves_run(n, sum_half_run, &h[0], &h[1]);
    window far = {
        fmin(h[0].win.full_min, h[1].win.full_min), fmax(h[0].win.empty_max, h[1].win.empty_max),
        fmin(h[0].win.part_lo, h[1].win.part_lo), fmax(h[0].win.part_hi, h[1].win.part_hi)};
    window near = {fmin(h[0].near.full_min, h[1].near.full_min),
                   fmax(h[0].near.empty_max, h[1].near.empty_max), 0, 0};
    /* a curve is in question past these, whatever the bounded curves hold */
    window ask = {fmax(far.empty_max, far.part_hi), fmin(far.full_min, far.part_lo), 0, 0};
    for (int u = 0; u < 2; u++) {
        h[u].second = 1;
        h[u].near = near;
        h[u].ask = ask;
    }
    mpi_halves_run(n, sum_half_run, &h[0], &h[1]);
    k->win.full_min = fmin(h[0].win.full_min, h[1].win.full_min);
    k->win.empty_max = fmax(h[0].win.empty_max, h[1].win.empty_max);
    k->win.part_lo = far.part_lo;
    k->win.part_hi = far.part_hi;
    free(exact);
    return MP_OK;
}

/* A segment that may be equal to one of another fill, or to a partly filled
 * one: a full one priced no higher than an empty or a partly filled one, an
 * empty one priced no lower than a full or a partly filled one. Every
 * segment of a class that can move passes (they all price at g). */
static double full_ceiling(const window *w)
{
    return fmax(w->empty_max, w->part_hi);
}

static double empty_floor(const window *w)
{
    return fmin(w->full_min, w->part_lo);
}

static int curve_in_question(const ties *k, const curve_sum *cs)
{
    return cs->part || cs->nan || cs->full_min <= full_ceiling(&k->win) ||
           cs->empty_max >= empty_floor(&k->win);
}

/* A segment in question: its curve, segment, signature's hash (upper 30
 * bits) and fill (lower 2), and its value once moved. */
typedef struct tie_ent {
    uint32_t curve, seg, key;
    double y;
} tie_ent;

typedef struct ents {
    tie_ent *v;
    size_t n, cap;
} ents;

static mp_status ents_add(ents *e, tie_ent t)
{
    tie_ent *nv = mpi_reserve(e->v, &e->cap, e->n + 1, sizeof *nv);
    if (!nv)
        return mpi_nomem();
    e->v = nv;
    e->v[e->n++] = t;
    return MP_OK;
}

/* The hash of a signature (row, v: scratch for one). */
static uint32_t sig_hash(const ties *k, const mpi_curve *c, uint32_t cls, int s, size_t *row,
                         double *v)
{
    size_t n = signature(k, c, cls, s, row, v);
    uint64_t h = mix(0, bits(v[0]));
    for (size_t i = 1; i < n; i++)
        h = mix(mix(h, row[i]), bits(v[i]));
    return (uint32_t)(h >> 32) & ~3u;
}

/* Curve i's segments in question into e (binary columns partly filled
 * too, with no signature: they move alone). */
static mp_status curve_ents(const ties *k, size_t i, const double *x, size_t *row, double *v,
                            ents *e)
{
    const mpi_curve *c = &k->m->curves.v[i];
    uint32_t cls = k->t.cls[i];
    double inv = 1 / c->mult, ceil = full_ceiling(&k->win), floor = empty_floor(&k->win);
    mp_status st = MP_OK;
    for (int s = 0; st == MP_OK && s < c->nseg; s++) {
        size_t j = c->col + (size_t)s;
        tie_ent t = {.curve = (uint32_t)i, .seg = (uint32_t)s};
        double ub = mpi_curve_width(c, s);
        int fill = alone(x[j], ub, &t.y);
        if (no_room(fill, ub))
            continue;
        if (binary_col(k->m, j)) {
            t.key = UINT32_MAX; /* a class of its own */
            if (fill == FILL_PART)
                st = ents_add(e, t);
            continue;
        }
        double g = seg_price(k, c, cls, inv, s);
        if (fill == FILL_PART || isnan(g) || (fill == FILL_FULL && g <= ceil) ||
            (fill == FILL_EMPTY && g >= floor)) {
            t.key = sig_hash(k, c, cls, s, row, v) | (uint32_t)fill;
            st = ents_add(e, t);
        }
    }
    return st;
}

/* Entries by hash, then in column order (curves' columns ascend with them). */
static int ent_cmp(const void *pa, const void *pb)
{
    const tie_ent *a = pa, *b = pb;
    uint32_t ha = a->key >> 2, hb = b->key >> 2;
    if (ha != hb)
        return ha < hb ? -1 : 1;
    if (a->curve != b->curve)
        return a->curve < b->curve ? -1 : 1;
    return a->seg < b->seg ? -1 : a->seg > b->seg;
}

/* The segments in question, sorted (second pass: the curves in question). */
static mp_status collect(const ties *k, const double *x, ents *e)
{
    size_t nr = k->t.nrows + 1, *row = mpi_calloc(nr, sizeof(size_t));
    double *v = mpi_calloc(nr, sizeof(double));
    mp_status st = row && v ? MP_OK : mpi_nomem();
    for (size_t i = 0; st == MP_OK && i < k->m->curves.n; i++)
        if (curve_in_question(k, &k->cs[i]))
            st = curve_ents(k, i, x, row, v, e);
    free(row);
    free(v);
    if (st == MP_OK && e->n > 1)
        qsort(e->v, e->n, sizeof *e->v, ent_cmp);
    return st;
}

/* A signature: its length, rows and values (as signature() fills them). */
typedef struct sig {
    size_t n, *row;
    double *v;
} sig;

static void sig_of(const ties *k, const tie_ent *e, sig *out)
{
    const mpi_curve *c = &k->m->curves.v[e->curve];
    out->n = signature(k, c, k->t.cls[e->curve], (int)e->seg, out->row, out->v);
}

static int sig_equal(const sig *a, const sig *b)
{
    if (a->n != b->n)
        return 0;
    for (size_t i = 0; i < a->n; i++)
        if (a->row[i] != b->row[i] || a->v[i] != b->v[i])
            return 0;
    return 1;
}

/* Scratch for the classes of one hash: per entry its class (the first entry
 * of the run equal to it) and per class its count, total and room. */
typedef struct run_work {
    uint32_t *cls, *cnt;
    double *total, *room;
    sig mine, theirs;
} run_work;

static void run_work_free(run_work *w)
{
    free(w->cls);
    free(w->total);
    free(w->mine.row);
    free(w->mine.v);
}

static mp_status run_work_init(const ties *k, size_t n, run_work *w)
{
    size_t nr = k->t.nrows + 1;
    memset(w, 0, sizeof *w);
    w->cls = mpi_calloc(2 * n + 1, sizeof(uint32_t));
    w->total = mpi_calloc(2 * n + 1, sizeof(double));
    w->mine.row = mpi_calloc(2 * nr, sizeof(size_t));
    w->mine.v = mpi_calloc(2 * nr, sizeof(double));
    if (!w->cls || !w->total || !w->mine.row || !w->mine.v)
        return mpi_nomem();
    w->cnt = w->cls + n;
    w->room = w->total + n;
    w->theirs.row = w->mine.row + nr;
    w->theirs.v = w->mine.v + nr;
    return MP_OK;
}

/* Whether a run's spread can move a column: its fills differ. */
static int run_mixed(const tie_ent *e, size_t a, size_t b)
{
    unsigned f = 0;
    for (size_t i = a; i < b; i++)
        f |= 1u << (e[i].key & 3);
    return (f & (1u << FILL_PART)) || f == ((1u << FILL_EMPTY) | (1u << FILL_FULL));
}

/* Entries [a, b) (one hash, column order) into classes of equal signatures,
 * each class with several members spread at one fill fraction: its total
 * over its room, summed in column order, into each member's y. */
static void run_spread(const ties *k, tie_ent *e, size_t a, size_t b, const double *x, run_work *w)
{
    const mpi_model *m = k->m;
    for (size_t i = a; i < b; i++) {
        sig_of(k, &e[i], &w->mine);
        w->cls[i] = (uint32_t)i;
        for (size_t r = a; r < i; r++) {
            if (w->cls[r] != r)
                continue;
            sig_of(k, &e[r], &w->theirs);
            if (sig_equal(&w->mine, &w->theirs)) {
                w->cls[i] = (uint32_t)r;
                break;
            }
        }
        w->cnt[i] = 0;
        w->total[i] = w->room[i] = 0;
    }
    for (size_t i = a; i < b; i++) {
        const mpi_curve *c = &m->curves.v[e[i].curve];
        uint32_t r = w->cls[i];
        w->cnt[r]++;
        w->total[r] += x[c->col + e[i].seg];
        w->room[r] += mpi_curve_width(c, (int)e[i].seg);
    }
    for (size_t i = a; i < b; i++) {
        uint32_t r = w->cls[i];
        if (w->cnt[r] < 2)
            continue; /* alone: y has it */
        double f = w->room[r] > 0 ? fmin(1, fmax(0, w->total[r] / w->room[r])) : 0;
        e[i].y = f * mpi_curve_width(&m->curves.v[e[i].curve], (int)e[i].seg);
    }
}

/* Each entry's value: alone, or spread over its class. */
static mp_status spread(const ties *k, ents *e, const double *x)
{
    run_work w;
    mp_status st = run_work_init(k, e->n, &w);
    for (size_t a = 0, b; st == MP_OK && a < e->n; a = b) {
        for (b = a + 1; b < e->n && e->v[b].key >> 2 == e->v[a].key >> 2; b++)
            ;
        if (b - a < 2 || !run_mixed(e->v, a, b))
            continue;
        size_t j = k->m->curves.v[e->v[a].curve].col + e->v[a].seg;
        if (!binary_col(k->m, j))
            run_spread(k, e->v, a, b, x, &w);
    }
    run_work_free(&w);
    return st;
}

/* Values x had before this pass moved them, to put back when a row breaks,
 * and the values they were moved to, column by column. */
typedef struct undo_log {
    struct undo_ent {
        size_t col;
        uint32_t curve;
        double old, now;
    } * v;
    size_t n, cap;
} undo_log;

static int same_bits(double a, double b)
{
    return !memcmp(&a, &b, sizeof a);
}

/* x[j] = v (column j of curve i), logged. */
static mp_status set_logged(double *x, uint32_t i, size_t j, double v, undo_log *log)
{
    if (same_bits(x[j], v))
        return MP_OK;
    struct undo_ent *nv = mpi_reserve(log->v, &log->cap, log->n + 1, sizeof *nv);
    if (!nv)
        return mpi_nomem();
    log->v = nv;
    log->v[log->n++] = (struct undo_ent){.col = j, .curve = i, .old = x[j], .now = v};
    x[j] = v;
    return MP_OK;
}

static void undo(double *x, undo_log *log)
{
    while (log->n > 0) {
        log->n--;
        x[log->v[log->n].col] = log->v[log->n].old;
    }
}

/* A curve_sum's in_order while the curve's segments are being moved. */
#define IN_ORDER_STALE 2

/* The entries' values into x (logged); *changed: whether a value moved;
 * the curves they touch are checked for order again. */
static mp_status apply(ties *k, const ents *e, double *x, undo_log *log, int *changed)
{
    const mpi_model *m = k->m;
    mp_status st = MP_OK;
    for (size_t i = 0; st == MP_OK && i < e->n; i++) {
        size_t j = m->curves.v[e->v[i].curve].col + e->v[i].seg;
        *changed = *changed || e->v[i].y != x[j];
        st = set_logged(x, e->v[i].curve, j, e->v[i].y, log);
    }
    /* once a curve, however many of its segments moved */
    for (size_t i = 0; i < e->n; i++)
        k->cs[e->v[i].curve].in_order = IN_ORDER_STALE;
    for (size_t i = 0; i < e->n; i++) {
        curve_sum *cs = &k->cs[e->v[i].curve];
        const mpi_curve *c = &m->curves.v[e->v[i].curve];
        if (cs->in_order == IN_ORDER_STALE)
            cs->in_order = (unsigned char)mpi_curve_filled_in_order(c, x + c->col);
    }
    return st;
}

/* Every curve refilled in segment order (mpi_refill_curves), logged. */
static mp_status refill_logged(const mpi_model *m, double *x, undo_log *log)
{
    int most = 1;
    for (size_t i = 0; i < m->curves.n; i++)
        most = m->curves.v[i].nseg > most ? m->curves.v[i].nseg : most;
    double *y = mpi_malloc((size_t)most * sizeof(double));
    if (!y)
        return mpi_nomem();
    mp_status st = MP_OK;
    for (size_t i = 0; st == MP_OK && i < m->curves.n; i++) {
        const mpi_curve *c = &m->curves.v[i];
        mpi_refill_curve(c, x + c->col, y);
        for (int s = 0; st == MP_OK && s < c->nseg; s++)
            st = set_logged(x, (uint32_t)i, c->col + (size_t)s, y[s], log);
    }
    free(y);
    return st;
}

/* A move logged in at most this share of the columns finds the rows at x
 * as moved from the rows at x as given (rows_moved); a larger one (a
 * refill of every curve) walks every segment. */
#define MOVED_SHARE 16

/* The rows at x as moved (k->act2, size2): the rows at x as given plus
 * each logged column's change, in O(columns moved) instead of a walk of
 * every segment, to rounding what the walk gives. For a pass that hands no
 * rows on or asks for them summed (mpi_rows_at.sum_on_move): they decide
 * whether the move is kept (to 1e-9 of their size), and the finish reports
 * the rows from them when no solve follows the pass. */
static void rows_moved(ties *k, const undo_log *log)
{
    const mpi_row_classes *t = &k->t;
    memcpy(k->act2, k->act, t->nrows * sizeof(double));
    memcpy(k->size2, k->size, t->nrows * sizeof(double));
    for (size_t i = 0; i < log->n; i++) {
        const struct undo_ent *u = &log->v[i];
        const mpi_curve *c = &k->m->curves.v[u->curve];
        uint32_t cls = t->cls[u->curve];
        double y[MPI_NKPI];
        seg_yields(c, 1 / c->mult, (int)(u->col - c->col), t->need[cls], y);
        for (const mpi_row_term *e = t->list + t->lstart[cls]; e < t->list + t->lstart[cls + 1];
             e++) {
            double a = term_value(e, y);
            k->act2[e->row] += a * u->now - a * u->old;
            k->size2[e->row] += fabs(a * u->now) - fabs(a * u->old);
        }
    }
}

/* x as moved (log: how) is kept when every row still holds, and the rows
 * with room at the LP's plan within 1e-9 of their size; else it is put
 * back. */
static int rows_hold(ties *k, double *x, const undo_log *log)
{
    const mpi_model *m = k->m;
    if (!k->walk && log->n <= m->lp.ncols / MOVED_SHARE)
        rows_moved(k, log);
    else
        mpi_row_classes_eval(&k->t, m, x, k->act2, k->size2);
    for (size_t r = 0; r < m->lp.nrows; r++) {
        const mpi_row *row = &m->lp.rows[r];
        if ((!k->tight[r] && !mpi_row_within(row, k->act2[r], k->size2[r], 1e-9)) ||
            !mpi_row_within(row, k->act2[r], k->size2[r], 1e-6))
            return 0;
    }
    return 1;
}

/* Each class's terms in the rows at their bound only (k->tl, k->tlstart). */
static mp_status tight_lists(ties *k)
{
    const mpi_row_classes *t = &k->t;
    k->tl = mpi_calloc(t->lstart[t->ncls] + 1, sizeof *k->tl);
    k->tlstart = mpi_calloc(t->ncls + 1, sizeof(size_t));
    k->need = mpi_calloc(2 * t->ncls + 1, sizeof(unsigned));
    k->pl = mpi_calloc(t->lstart[t->ncls] + 1, sizeof *k->pl);
    k->plstart = mpi_calloc(t->ncls + 1, sizeof(size_t));
    if (!k->tl || !k->tlstart || !k->need || !k->pl || !k->plstart)
        return mpi_nomem();
    k->pneed = k->need + t->ncls;
    size_t n = 0, np = 0;
    for (size_t c = 0; c < t->ncls; c++) {
        k->tlstart[c] = n;
        k->plstart[c] = np;
        k->need[c] = k->pneed[c] = 1u << k->obj_kpi;
        for (size_t i = t->lstart[c]; i < t->lstart[c + 1]; i++) {
            const mpi_row_term *e = &t->list[i];
            if (!k->tight[e->row])
                continue;
            k->tl[n++] = *e;
            if (k->pi[e->row] != 0)
                k->pl[np++] = *e;
            for (int q = 0; q < e->n; q++) {
                k->need[c] |= 1u << e->q[q];
                k->pneed[c] |= k->pi[e->row] != 0 ? 1u << e->q[q] : 0;
            }
        }
    }
    k->tlstart[t->ncls] = n;
    k->plstart[t->ncls] = np;
    return MP_OK;
}

/* The class table, the rows at their bound at x (within 1e-9 of their size)
 * (ra's when valid) and their prices (pi, or 0). */
static mp_status ties_init(const mpi_model *m, const double *x, const double *pi,
                           const mpi_rows_at *ra, ties *k)
{
    memset(k, 0, sizeof *k);
    k->m = m;
    k->obj_kpi = m->plan->obj_kpi;
    k->sense = m->lp.sense;
    size_t nr = m->lp.nrows + 1;
    k->tight = mpi_calloc(nr, 1);
    k->pi = mpi_calloc(nr, sizeof(double));
    k->act = mpi_calloc(4 * nr, sizeof(double));
    k->cs = mpi_calloc(m->curves.n + 1, sizeof *k->cs);
    if (!k->tight || !k->pi || !k->act || !k->cs)
        return mpi_nomem();
    k->size = k->act + nr;
    k->act2 = k->size + nr;
    k->size2 = k->act2 + nr;
    mp_status st = mpi_row_classes_init(m, &k->t);
    if (st == MP_OK && ra && ra->valid) {
        memcpy(k->act, ra->as, m->lp.nrows * sizeof(double));
        memcpy(k->size, ra->as + m->lp.nrows, m->lp.nrows * sizeof(double));
    } else if (st == MP_OK) {
        mpi_row_classes_eval(&k->t, m, x, k->act, k->size);
    }
    if (st != MP_OK)
        return st;
    for (size_t r = 0; r < m->lp.nrows; r++) {
        const mpi_row *row = &m->lp.rows[r];
        k->tight[r] = row->op == MPI_EQ || fabs(k->act[r] - row->rhs) <= 1e-9 * (1 + k->size[r]);
        k->pi[r] = k->tight[r] && pi && isfinite(pi[r]) ? pi[r] : 0;
    }
    return tight_lists(k);
}

/* Whether every curve's summary says it is filled in order. */
static int all_in_order(const ties *k)
{
    for (size_t i = 0; i < k->m->curves.n; i++)
        if (!k->cs[i].in_order)
            return 0;
    return 1;
}

/* x moved as the entries say, refilled in order where that left a curve out
 * of order, and kept when the rows hold (*kept), else put back; *ordered:
 * whether x as left fills every curve in order. */
static mp_status move(ties *k, const ents *e, double *x, int *kept, int *ordered)
{
    undo_log log = {0};
    int changed = 0, was_in_order = all_in_order(k); /* x as given */
    mp_status st = apply(k, e, x, &log, &changed);
    int in_order = st == MP_OK && all_in_order(k); /* x as moved */
    *kept = 0;
    if (st == MP_OK && !in_order)
        st = refill_logged(k->m, x, &log);
    if (st == MP_OK && (changed || !in_order))
        *kept = rows_hold(k, x, &log);
    if (!*kept)
        undo(x, &log); /* a row breaks, or nothing moved (a -0 is put back) */
    free(log.v);
    *ordered = !*kept ? was_in_order : in_order ? 1 : mpi_filled_in_order(k->m, x);
    return st;
}

mp_status mpi_equal_ties(const mpi_model *m, double *x, const double *pi, mpi_rows_at *ra)
{
    int in_order;
    return mpi_equal_ties_ordered(m, x, pi, ra, &in_order);
}

mp_status mpi_equal_ties_ordered(const mpi_model *m, double *x, const double *pi, mpi_rows_at *ra,
                                 int *in_order)
{
    *in_order = 0;
    if (m->lp.ncols >= UINT32_MAX || m->curves.n >= UINT32_MAX) {
        *in_order = mpi_filled_in_order(m, x);
        return MP_OK; /* numbered in 32 bits here: no LP that large fits in memory */
    }
    ties k;
    ents e = {0};
    int kept = 0;
    mp_status st = ties_init(m, x, pi, ra, &k);
    k.walk = ra != NULL && !ra->sum_on_move;
    if (st == MP_OK)
        st = sum_curves(&k, x);
    if (st == MP_OK)
        st = collect(&k, x, &e);
    if (st == MP_OK)
        st = spread(&k, &e, x);
    if (st == MP_OK)
        st = move(&k, &e, x, &kept, in_order);
    if (st == MP_OK && ra)
        st = kept ? mpi_rows_at_keep(ra, m, k.act2, k.size2)
                  : mpi_rows_at_keep(ra, m, k.act, k.size);
    free(e.v);
    ties_free(&k);
    return st;
}
