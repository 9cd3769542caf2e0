/* The Lagrangian bound on the exact model's optimum (bound.h): one 1-D
 * branch and bound per curve, mostly settled from the curve's breakpoints,
 * which are exact points of the curve. */
#include "bound.h"

#include <stdlib.h>
#include <string.h>

/* ---- one dimension ------------------------------------------------------- */

/* The slope of a line through pt[i] that lies above P right of it: the
 * chord from its left neighbour extended (P concave) and P's tangent there
 * when known, the lower of the two (any slope at least P's right derivative
 * there will do). INFINITY: neither is known. */
static double slope_right_of(const mpi_pn_search *s, size_t i)
{
    const mpi_pn_pt *a = &s->pt[i];
    double v = isfinite(a->dp) ? a->dp : INFINITY;
    if (i > 0 && s->pt[i - 1].x < a->x)
        v = fmin(v, (a->p - s->pt[i - 1].p) / (a->x - s->pt[i - 1].x));
    return v;
}

/* The slope of a line through pt[i] that lies above P left of it: the chord
 * to its right neighbour extended and P's tangent there, the higher of the
 * two (any slope at most P's left derivative there will do). -INFINITY:
 * neither is known. */
static double slope_left_of(const mpi_pn_search *s, size_t i)
{
    const mpi_pn_pt *b = &s->pt[i];
    double v = isfinite(b->dp) ? b->dp : -INFINITY;
    if (i + 1 < s->n && s->pt[i + 1].x > b->x)
        v = fmax(v, (s->pt[i + 1].p - b->p) / (s->pt[i + 1].x - b->x));
    return v;
}

/* The lines' minimum less N's chord (slope nslope from a), at candidate x. */
static inline double three_lines_at(const mpi_pn_pt *a, const mpi_pn_pt *b, double sa, double sb,
                                    double nslope, double x)
{
    double p = INFINITY, l = b->p + 0 * (x - b->x);
    p = l < p ? l : p; /* fmin, inline: a NaN line is passed over alike */
    l = a->p + sa * (x - a->x);
    p = l < p ? l : p;
    l = b->p + sb * (x - b->x);
    p = l < p ? l : p;
    return p - (a->n + nslope * (x - a->x));
}

/* Candidate x when it falls strictly inside [a, b]. */
static inline void add_inside(const mpi_pn_pt *a, const mpi_pn_pt *b, double x, double *cand,
                              int *nc)
{
    if (x > a->x && x < b->x)
        cand[(*nc)++] = x;
}

/* interval_bound with all three lines (P(b), through a at slope sa, through
 * b at slope sb): the general loop unrolled, the same operations in the same
 * order, so the same bound to the bit. */
static double three_lines_bound(const mpi_pn_pt *a, const mpi_pn_pt *b, double sa, double sb,
                                double nslope, double *at)
{
    double cand[5] = {a->x, b->x, 0, 0, 0}, best = -INFINITY;
    int nc = 2;
    /* where two lines cross: val_v - val_u + s_u x_u - s_v x_v over s_u - s_v */
    if (0 - sa != 0)
        add_inside(a, b, (a->p - b->p + 0 * b->x - sa * a->x) / (0 - sa), cand, &nc);
    if (0 - sb != 0)
        add_inside(a, b, (b->p - b->p + 0 * b->x - sb * b->x) / (0 - sb), cand, &nc);
    if (sa - sb != 0)
        add_inside(a, b, (b->p - a->p + sa * a->x - sb * b->x) / (sa - sb), cand, &nc);
    for (int k = 0; k < nc; k++) {
        double g = three_lines_at(a, b, sa, sb, nslope, cand[k]);
        if (g > best) {
            best = g;
            *at = cand[k];
        }
    }
    return best;
}

/* Upper bound of g on the interval [pt[i], pt[i+1]]: P is below its value at
 * the right end (nondecreasing) and, when concave, below the extensions of
 * the neighbouring chords and below its tangents at the ends where known; N
 * is above its value at the left end, and above its chord when concave. The
 * bound is then the minimum of up to three lines less a line, a concave
 * piecewise-linear function whose maximum is at an end or where two of the
 * lines cross. */
static double interval_bound(const mpi_pn_search *s, size_t i, double *at)
{
    const mpi_pn_pt *a = &s->pt[i], *b = &s->pt[i + 1];
    double w = b->x - a->x;
    *at = 0.5 * (a->x + b->x);
    if (!s->concave || !(w > 0))
        return b->p - a->n;
    double slope[3] = {0, 0, 0}, at_x[3] = {b->x, b->x, b->x}, val[3] = {b->p, b->p, b->p};
    int nl = 1; /* lines: val + slope * (x - at_x); the first is P(b) */
    double sa = slope_right_of(s, i), sb = slope_left_of(s, i + 1);
    if (sa < INFINITY && sb > -INFINITY)
        return three_lines_bound(a, b, sa, sb, (b->n - a->n) / w, at);
    if (sa < INFINITY) {
        slope[nl] = sa;
        at_x[nl] = a->x;
        val[nl++] = a->p;
    }
    if (sb > -INFINITY) {
        slope[nl] = sb;
        at_x[nl] = b->x;
        val[nl++] = b->p;
    }
    double nslope = (b->n - a->n) / w;
    double cand[5] = {a->x, b->x, 0, 0, 0};
    int nc = 2;
    for (int u = 0; u < nl; u++)
        for (int v = u + 1; v < nl; v++) {
            double ds = slope[u] - slope[v];
            if (ds == 0)
                continue;
            /* val_u + s_u (x - x_u) = val_v + s_v (x - x_v) */
            double x = (val[v] - val[u] + slope[u] * at_x[u] - slope[v] * at_x[v]) / ds;
            if (x > a->x && x < b->x)
                cand[nc++] = x;
        }
    double best = -INFINITY;
    for (int k = 0; k < nc; k++) {
        double p = INFINITY;
        for (int u = 0; u < nl; u++) {
            double l = val[u] + slope[u] * (cand[k] - at_x[u]);
            p = l < p ? l : p; /* fmin, inline: a NaN line is passed over alike */
        }
        double g = p - (a->n + nslope * (cand[k] - a->x));
        if (g > best) {
            best = g;
            *at = cand[k];
        }
    }
    return best;
}

/* Whether interval i is searched. */
static int in_focus(const mpi_pn_search *s, size_t i)
{
    return !s->focus || (s->pt[i].x >= s->from_x && s->pt[i + 1].x <= s->to_x);
}

/* Whether interval i's bound is surely below best, from its ends alone: P
 * is at most P(b) over it, and N's chord at least the lesser of N(a) and
 * N(b), so the bound is at most P(b) - min(N(a), N(b)) but for rounding,
 * which the margin covers many times over. A bound pass over a whole curve
 * then works out the few intervals near its best point only. */
static int surely_below(const mpi_pn_search *s, size_t i, double best)
{
    const mpi_pn_pt *a = &s->pt[i], *b = &s->pt[i + 1];
    double ub = b->p - fmin(a->n, b->n);
    return ub + 1e-12 * (fabs(a->n) + fabs(b->n) + fabs(b->p)) < best;
}

double mpi_pn_bound(const mpi_pn_search *s, double *at)
{
    double best = -INFINITY;
    *at = s->n ? s->pt[0].x : 0;
    if (s->n == 1) {
        *at = s->pt[0].x;
        return s->pt[0].p - s->pt[0].n;
    }
    for (size_t i = 0; i + 1 < s->n; i++) {
        if (!in_focus(s, i) || surely_below(s, i, best))
            continue;
        double x, ub = interval_bound(s, i, &x);
        if (ub > best) {
            best = ub;
            *at = x;
        }
    }
    return best;
}

void mpi_pn_add(mpi_pn_search *s, double x, double p, double n)
{
    mpi_pn_add_slope(s, x, p, n, NAN);
}

void mpi_pn_add_slope(mpi_pn_search *s, double x, double p, double n, double dp)
{
    if (s->n >= s->cap)
        return;
    size_t i = s->n;
    while (i > 0 && s->pt[i - 1].x > x)
        i--;
    if (i > 0 && s->pt[i - 1].x == x)
        return; /* known already */
    memmove(&s->pt[i + 1], &s->pt[i], (s->n - i) * sizeof *s->pt);
    s->pt[i] = (mpi_pn_pt){x, p, n, dp};
    s->n++;
    if (p - n > s->best) {
        s->best = p - n;
        s->arg = x;
    }
}

/* Where g is likely largest in interval i, whose bound is reached at x.
 * When P's slopes at both ends are known and g rises at one end and falls
 * at the other: where the slope, taken linear between them (N's the
 * chord's), is 0, the maximum of a quadratic through the ends' values and
 * slopes. That guess is good where the slope changes little over the
 * interval (within a fifth); where it changes more (near the start of a
 * search curve, whose slope falls steeply) it is taken halfway to x (the
 * crossing of the tangents, the middle on a quadratic). Only the number of
 * evaluations depends on it, never the bound. */
static double likely_max(const mpi_pn_search *s, size_t i, double x)
{
    const mpi_pn_pt *a = &s->pt[i], *b = &s->pt[i + 1];
    double w = b->x - a->x, nslope = (b->n - a->n) / w;
    double ga = a->dp - nslope, gb = b->dp - nslope;
    if (!(ga > 0 && gb < 0))
        return x; /* also when a slope is not known (NAN) */
    double zero = a->x + w * (ga / (ga - gb));
    return a->dp < 1.2 * b->dp ? zero : 0.5 * (x + zero);
}

/* Where to split interval i whose bound is reached at x: where g is likely
 * largest, kept a tenth of the interval's width from its ends so that every
 * split shrinks it. */
static double split_point(const mpi_pn_search *s, size_t i, double x)
{
    double a = s->pt[i].x, b = s->pt[i + 1].x, w = b - a;
    return fmin(fmax(likely_max(s, i, x), a + 0.1 * w), b - 0.1 * w);
}

/* The bounds of the intervals a point inserted at index k changed (those
 * whose neighbouring chords it is part of), the others moved up one. */
static void update_bounds(mpi_pn_search *s, size_t k)
{
    size_t ni = s->n - 1;
    memmove(&s->ub[k], &s->ub[k - 1], (ni - k) * sizeof(double));
    memmove(&s->at[k], &s->at[k - 1], (ni - k) * sizeof(double));
    size_t lo = k >= 2 ? k - 2 : 0, hi = k + 1 < ni - 1 ? k + 1 : ni - 1;
    for (size_t i = lo; i <= hi; i++)
        s->ub[i] = in_focus(s, i) ? interval_bound(s, i, &s->at[i]) : -INFINITY;
}

/* The largest interval bound (kept ones when kept), its interval *i and
 * where it is reached. */
static double largest_bound(mpi_pn_search *s, int kept, size_t *i, double *at)
{
    double best = -INFINITY;
    *i = 0;
    *at = s->pt[0].x;
    for (size_t k = 0; k + 1 < s->n; k++) {
        if (!kept && !in_focus(s, k))
            continue;
        double x, ub = kept ? s->ub[k] : interval_bound(s, k, &x);
        if (ub > best) {
            best = ub;
            *i = k;
            *at = kept ? s->at[k] : x;
        }
    }
    return best;
}

double mpi_pn_max(mpi_pn_search *s, mpi_pn_fn f, void *ctx, double eps, int evals)
{
    if (s->n < 2)
        return mpi_pn_bound(s, &(double){0});
    int kept = s->ub && s->at;
    for (size_t k = 0; kept && k + 1 < s->n; k++)
        s->ub[k] = in_focus(s, k) ? interval_bound(s, k, &s->at[k]) : -INFINITY;
    size_t i;
    double at, ub = largest_bound(s, kept, &i, &at);
    for (int k = 0; k < evals && ub - s->best > eps && s->n < s->cap; k++) {
        double x = split_point(s, i, at), p, n, dp = NAN;
        if (!(x > s->pt[i].x && x < s->pt[i + 1].x))
            break; /* the interval cannot be split further */
        f(ctx, x, &p, &n, &dp);
        mpi_pn_add_slope(s, x, p, n, dp);
        if (kept)
            update_bounds(s, i + 1);
        ub = largest_bound(s, kept, &i, &at);
    }
    return ub;
}

double mpi_gap_of(double bound, double value)
{
    if (isnan(bound) || isnan(value))
        return NAN;
    if (bound == value)
        return 0;
    return fabs(bound - value) / fabs(bound);
}

/* ---- curves ----------------------------------------------------------------- */

/* New points one curve's search may evaluate, besides its fill point. */
#define MPI_BOUND_EVALS 40

/* 1 on a spend curve, 0 on a reach curve (whose spend the link row counts). */
static double spend_yield(const mpi_curve *c)
{
    return c->nseg > 0 ? mpi_curve_data_yield(c, 0, MPI_SPEND) : 1;
}

/* P and N of a weighted sum of KPIs v[] and of the spend x (w[MPI_NKPI]). */
static void split_weights(const double *w, double x, const double *v, double *p, double *n)
{
    double pp = 0, nn = 0;
    for (int q = 0; q <= MPI_NKPI; q++) {
        double t = w[q] * (q < MPI_NKPI ? v[q] : x);
        if (w[q] > 0)
            pp += t;
        else
            nn -= t;
    }
    *p = pp;
    *n = nn;
}

typedef struct curve_fn_ctx {
    const mpi_model *m;
    const mpi_curve *c;
    const double *w; /* [MPI_NKPI + 1]: weights of sense * g_c */
    double end;      /* mpi_curve_end(c), summed once for the curve's search */
    /* P's slope at a point of bid b is click_slope / b + lin_slope
     * (tangent_terms); click_slope NAN: not known on this curve. */
    double click_slope, lin_slope;
} curve_fn_ctx;

/* Search curves (the only ones with bids, models/search.c) buy their clicks
 * at a marginal cost equal to the bid (second price: clicks(b) = V ctr F(b)
 * and cost(b) = V ctr E[B; B < b], so d cost / d clicks = b), and each of
 * their KPIs is a fixed multiple of clicks (its yield over clicks' in any
 * segment). So at a point whose bid is b, at the curve's price level, P
 * rises at click_slope / b + lin_slope: the weighted KPIs' rates per click
 * over b, and the linear terms (spend). Other curves get no tangents. */
static void tangent_terms(curve_fn_ctx *cc)
{
    const mpi_curve *c = cc->c;
    const double *w = cc->w;
    cc->click_slope = NAN;
    cc->lin_slope = fmax(w[MPI_SPEND], 0) * spend_yield(c) + fmax(w[MPI_NKPI], 0);
    if (c->kind != MPI_CURVE_SPEND || !mpi_curve_has_bids(c) || c->nseg < 1 ||
        mpi_adstock_after(cc->m->plan, c->channel, c->period))
        return;
    double clicks = mpi_curve_data_yield(c, 0, MPI_CLICKS), a = 0;
    if (!(clicks > 0))
        return;
    for (int q = 0; q < MPI_NKPI; q++)
        if (q != MPI_SPEND && w[q] > 0)
            a += w[q] * (mpi_curve_data_yield(c, 0, q) / clicks);
    cc->click_slope = a;
}

/* P's slope where the bid is bid (at the curve's level), or NAN when not
 * known: no tangents on the curve, or a bid at the ceiling, where pricing
 * ends the curve and the bid says no more than that it reached it. */
static double tangent_at(const curve_fn_ctx *cc, double bid)
{
    double ceiling = cc->c->ceiling;
    if (isnan(cc->click_slope) || !(bid > 0) || !isfinite(bid) || (ceiling > 0 && bid >= ceiling))
        return NAN;
    return cc->click_slope / bid + cc->lin_slope;
}

/* The exact KPIs at x (the curve's end beyond it); returns P's slope there
 * when the curve has tangents (else NAN). */
static double curve_exact(const curve_fn_ctx *cc, double x, double *v)
{
    double end = cc->end, dp = NAN;
    if (x >= end || isnan(cc->click_slope)) {
        mpi_curve_exact(cc->m, cc->c, x > end ? end : x, v);
    } else {
        dp = tangent_at(cc, mpi_curve_exact_bid(cc->m, cc->c, x, v));
    }
    v[MPI_SPEND] = (x > end ? end : x) * spend_yield(cc->c);
    return dp;
}

static void curve_pn(void *vctx, double x, double *p, double *n, double *dp)
{
    const curve_fn_ctx *cc = vctx;
    double v[MPI_NKPI];
    *dp = curve_exact(cc, x, v);
    split_weights(cc->w, x, v, p, n);
}

/* Whether pricing cut segment k at a bid ceiling: its end is then not a
 * point the model computed. */
static int cut_segment(const mpi_curve *c, int k)
{
    double w = mpi_curve_width(c, k);
    return c->ceiling > 0 && mpi_curve_keeps_base(c) &&
           fabs(w - mpi_curve_base_width(c, k) * c->mult) > 1e-9 * w;
}

/* Whether g is concave: its negative part weighs only spend (linear). */
static int concave_g(const double *w)
{
    for (int q = 0; q < MPI_NKPI; q++)
        if (q != MPI_SPEND && w[q] < 0)
            return 0;
    return 1;
}

/* The curve's breakpoints as points of its subproblem: exact points of the
 * curve, but for the end of a segment cut at a ceiling, evaluated. */
static void curve_points(curve_fn_ctx *cc, mpi_pn_search *s, int *bp)
{
    /* A concave g falls for good past its best point: two more points give
     * the chords around it, and the rest of the curve is not needed. */
    int early = concave_g(cc->w);
    size_t kbest = 0;
    const mpi_curve *c = cc->c;
    const double *w = cc->w;
    double x = 0, v[MPI_NKPI] = {0}, inv = 1 / c->mult;
    int act[MPI_NKPI], na = 0; /* the KPIs g weighs: the others are left at 0 */
    for (int q = 0; q < MPI_NKPI; q++)
        if (w[q] != 0)
            act[na++] = q;
    s->n = 0;
    s->best = -INFINITY;
    s->arg = 0;
    mpi_pn_add(s, 0, 0, 0);
    bp[0] = 0;
    for (int k = 0; k < c->nseg; k++) {
        double wk = mpi_curve_width(c, k);
        if (!(wk > 0))
            continue;
        x += wk;
        for (int i = 0; i < na; i++) {
            double y = mpi_curve_data_yield(c, k, act[i]);
            v[act[i]] += wk * (act[i] == MPI_SPEND ? y : y * inv);
        }
        int cut = cut_segment(c, k);
        if (cut)
            curve_exact(cc, x, v);
        double p = 0, n = 0;
        for (int i = 0; i < na; i++) {
            double t = w[act[i]] * v[act[i]];
            p += t > 0 ? t : 0;
            n -= t < 0 ? t : 0;
        }
        double t = w[MPI_NKPI] * x;
        p += t > 0 ? t : 0;
        n -= t < 0 ? t : 0;
        bp[s->n] = cut ? -1 : k + 1;
        s->pt[s->n++] = (mpi_pn_pt){x, p, n, NAN};
        if (p - n > s->best) {
            s->best = p - n;
            s->arg = x;
            kbest = s->n - 1;
        }
        if (early && s->n - 1 >= kbest + 2)
            break;
    }
}

/* P's tangents at the breakpoints around the best one (the ends of the
 * intervals a concave g's search looks at, and of the intervals around its
 * best point otherwise): bp[i] is point i's breakpoint (-1: not one). */
static void breakpoint_tangents(const curve_fn_ctx *cc, mpi_pn_search *s, const int *bp)
{
    if (isnan(cc->click_slope))
        return;
    size_t k = 0;
    while (k + 1 < s->n && s->pt[k].x != s->arg)
        k++;
    for (size_t i = k > 0 ? k - 1 : 0; i <= k + 1 && i < s->n; i++)
        if (bp[i] >= 0)
            s->pt[i].dp = tangent_at(cc, mpi_curve_data_bid(cc->c, bp[i]) * cc->c->mult);
}

/* Add the curve's fill point when it falls strictly between breakpoints
 * (at most one column of a curve is, per LP row, between its bounds). pn
 * keeps its P and N for the curve's next pass: evaluated when pn[0] is NAN,
 * else read. */
static void add_fill(curve_fn_ctx *cc, double fill, mpi_pn_search *s, double *pn)
{
    if (!(fill > 0) || s->n < 2 || !(fill < s->pt[s->n - 1].x))
        return;
    size_t i = 0;
    while (i + 2 < s->n && s->pt[i + 1].x < fill)
        i++;
    double tol = 1e-9 * (s->pt[i + 1].x - s->pt[i].x), p, n;
    if (fill - s->pt[i].x <= tol || s->pt[i + 1].x - fill <= tol)
        return;
    if (isnan(pn[0]))
        curve_pn(cc, fill, &pn[0], &pn[1], &(double){0});
    p = pn[0];
    n = pn[1];
    mpi_pn_add(s, fill, p, n);
}

/* What a bound pass shares between curves. */
typedef struct bound_work {
    const mpi_model *m;
    const mpi_scenario *sc;
    const double *x; /* the LP's spends, or NULL */
    double *pi;      /* [nrows] the prices, of the right signs */
    size_t *priced;  /* the rows with a price */
    size_t npriced;
    mpi_pn_search s; /* room for the longest curve's points */
    int *bp;         /* [s.cap] the breakpoint each point is (curve_points) */
    /* The weights of the last curve (rows weigh a curve by its kind,
     * channel, period and group: the keywords of a group share them). */
    int memo_kind, memo_channel, memo_period, memo_group;
    double memo_w[MPI_NKPI + 1];
} bound_work;

/* Prices of the wrong sign for their row (a <= row of a max plan must not
 * pay for more room, ...) would make the bound invalid: they are taken as 0,
 * which keeps it valid (any prices of the right signs give a bound). */
static size_t clamp_prices(bound_work *bw, const double *pi)
{
    const mpi_lp *lp = &bw->m->lp;
    size_t clamped = 0;
    bw->npriced = 0;
    for (size_t r = 0; r < lp->nrows; r++) {
        double v = pi[r] * lp->sense;
        int op = lp->rows[r].op;
        if (!isfinite(v) || (op == MPI_LE && v < 0) || (op == MPI_GE && v > 0)) {
            clamped += pi[r] != 0;
            v = 0;
        }
        bw->pi[r] = v * lp->sense;
        if (v != 0)
            bw->priced[bw->npriced++] = r;
    }
    return clamped;
}

/* Weights of sense * g_c on curve c's KPIs and on its spend (w[MPI_NKPI]). */
static void curve_weights(bound_work *bw, const mpi_curve *c, double *w)
{
    const mpi_model *m = bw->m;
    double a[MPI_NKPI + 1];
    if (c->kind == bw->memo_kind && c->channel == bw->memo_channel &&
        c->period == bw->memo_period && c->group == bw->memo_group) {
        memcpy(w, bw->memo_w, sizeof bw->memo_w);
        return;
    }
    for (int q = 0; q <= MPI_NKPI; q++)
        w[q] = q == m->plan->obj_kpi ? 1 : 0;
    w[MPI_NKPI] = mpi_obj_carry(m, c); /* the objective over the money paid (carryover) */
    for (size_t k = 0; k < bw->npriced; k++) {
        size_t r = bw->priced[k];
        mpi_row_terms(m, bw->sc, r, c, a);
        for (int q = 0; q <= MPI_NKPI; q++)
            w[q] -= bw->pi[r] * a[q];
    }
    for (int q = 0; q <= MPI_NKPI; q++)
        w[q] *= m->lp.sense;
    bw->memo_kind = c->kind;
    bw->memo_channel = c->channel;
    bw->memo_period = c->period;
    bw->memo_group = c->group;
    memcpy(bw->memo_w, w, sizeof bw->memo_w);
}

/* Spend of the LP on curve c. */
static double curve_fill(const bound_work *bw, const mpi_curve *c)
{
    double x = 0;
    for (int k = 0; bw->x && k < c->nseg; k++)
        x += bw->x[c->col + (size_t)k];
    return x;
}

/* When the negative part of g weighs only spend (linear), g is concave and
 * its maximum lies next to its best point: the search looks there alone. */
static void focus_concave(const double *w, mpi_pn_search *s)
{
    s->focus = 0;
    if (!concave_g(w))
        return;
    size_t k = 0;
    while (k + 1 < s->n && s->pt[k].x != s->arg)
        k++;
    s->focus = 1;
    s->from_x = s->pt[k > 0 ? k - 1 : 0].x;
    s->to_x = s->pt[k + 1 < s->n ? k + 1 : k].x;
}

/* Curve c's part of the bound (an upper bound on max sense * g_c), searched
 * until within eps with at most evals new points; *lb0 gets the best of its
 * breakpoints (what the LP sees) and *arg the best spend found when it is
 * not a breakpoint (else NAN). fill: the LP's spend on the curve; pn: its
 * P and N there, kept from pass to pass (add_fill). */
static double bound_curve(bound_work *bw, const mpi_curve *c, double eps, int evals, double *lb0,
                          double *arg, double fill, double *pn)
{
    double w[MPI_NKPI + 1];
    curve_weights(bw, c, w);
    curve_fn_ctx cc = {bw->m, c, w, mpi_curve_end(c), NAN, 0};
    tangent_terms(&cc);
    mpi_pn_search *s = &bw->s;
    curve_points(&cc, s, bw->bp);
    breakpoint_tangents(&cc, s, bw->bp);
    *lb0 = s->best;
    add_fill(&cc, fill, s, pn);
    focus_concave(w, s);
    double ub =
        evals > 0 ? mpi_pn_max(s, curve_pn, &cc, eps, evals) : mpi_pn_bound(s, &(double){0});
    *arg = s->best > *lb0 ? s->arg : NAN;
    /* the breakpoints' values are sums of products: allow for their rounding */
    const mpi_pn_pt *end = &s->pt[s->n - 1];
    return ub + 1e-12 * (fabs(end->p) + fabs(end->n));
}

static void bound_work_free(bound_work *bw)
{
    free(bw->pi);
    free(bw->priced);
    free(bw->s.pt);
    free(bw->s.ub);
    free(bw->s.at);
    free(bw->bp);
    bw->bp = NULL;
    bw->pi = bw->s.ub = bw->s.at = NULL;
    bw->s.pt = NULL;
    bw->priced = NULL;
}

static mp_status bound_work_init(bound_work *bw, const mpi_model *m, const mpi_scenario *sc,
                                 const double *x)
{
    memset(bw, 0, sizeof *bw);
    bw->m = m;
    bw->sc = sc;
    bw->x = x;
    bw->memo_kind = -1; /* no curve yet */
    size_t longest = 0;
    for (size_t i = 0; i < m->curves.n; i++)
        if ((size_t)m->curves.v[i].nseg > longest)
            longest = (size_t)m->curves.v[i].nseg;
    bw->s.cap = longest + 3 + MPI_BOUND_EVALS;
    bw->s.concave = 1; /* every KPI is nondecreasing and concave in spend */
    bw->s.pt = mpi_calloc(bw->s.cap, sizeof *bw->s.pt);
    bw->s.ub = mpi_calloc(bw->s.cap, sizeof(double));
    bw->s.at = mpi_calloc(bw->s.cap, sizeof(double));
    bw->bp = mpi_calloc(bw->s.cap, sizeof(int));
    bw->pi = mpi_calloc(m->lp.nrows ? m->lp.nrows : 1, sizeof(double));
    bw->priced = mpi_calloc(m->lp.nrows ? m->lp.nrows : 1, sizeof(size_t));
    if (!bw->s.pt || !bw->s.ub || !bw->s.at || !bw->bp || !bw->pi || !bw->priced) {
        bound_work_free(bw);
        return mpi_nomem();
    }
    return MP_OK;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The threshold over v sorted whole: the values added in ascending order. */
static mp_status threshold_sorted(const double *v, size_t n, double allowed, double *threshold)
{
    double *sorted = mpi_calloc(n ? n : 1, sizeof(double));
    if (!sorted)
        return mpi_nomem();
    memcpy(sorted, v, n * sizeof(double));
    qsort(sorted, n, sizeof(double), by_value);
    double sum = 0;
    *threshold = INFINITY;
    for (size_t i = 0; i < n; i++) {
        sum += fmax(sorted[i], 0);
        if (sum > allowed) {
            *threshold = sorted[i];
            break;
        }
    }
    free(sorted);
    return MP_OK;
}

static void swap_values(double *a, size_t i, size_t j)
{
    double t = a[i];
    a[i] = a[j];
    a[j] = t;
}

/* Three-way partition of a[lo, hi) around p: below p in [lo, *lt), equal in
 * [*lt, *gt), above in [*gt, hi); *below_sum: the part below's values (at
 * least 0) added up. */
static void partition3(double *a, size_t lo, size_t hi, double p, size_t *lt, size_t *gt,
                       double *below_sum)
{
    size_t i = lo, l = lo, g = hi;
    double sum = 0;
    while (i < g) {
        if (a[i] < p) {
            sum += fmax(a[i], 0);
            swap_values(a, l++, i++);
        } else if (a[i] > p) {
            swap_values(a, i, --g);
        } else {
            i++;
        }
    }
    *lt = l;
    *gt = g;
    *below_sum = sum;
}

static double median3(double a, double b, double c)
{
    return a < b ? (b < c ? b : fmax(a, c)) : (a < c ? a : fmax(b, c));
}

/* Quickselect for the threshold: keep the part of a that holds it, the
 * values below it summed, until few are left, which are sorted. The sums
 * are the same values added in another order than a whole sort's, equal to
 * it but for rounding; when the few left do not reach allowed after all
 * (rounding at the very boundary), *found stays 0. */
static void threshold_select(double *a, size_t n, double allowed, double *threshold, int *found)
{
    size_t lo = 0, hi = n;
    double acc = 0;
    *found = 0;
    while (hi - lo > 32) {
        double p = median3(a[lo], a[lo + (hi - lo) / 2], a[hi - 1]), below;
        size_t lt, gt;
        partition3(a, lo, hi, p, &lt, &gt, &below);
        if (acc + below > allowed) {
            hi = lt;
            continue;
        }
        acc += below;
        for (size_t i = lt; i < gt; i++) {
            acc += fmax(p, 0);
            if (acc > allowed) {
                *threshold = p;
                *found = 1;
                return;
            }
        }
        lo = gt;
    }
    qsort(a + lo, hi - lo, sizeof(double), by_value);
    for (size_t i = lo; i < hi; i++) {
        acc += fmax(a[i], 0);
        if (acc > allowed) {
            *threshold = a[i];
            *found = 1;
            return;
        }
    }
    *found = hi == n; /* all of them add up to at most allowed */
    *threshold = INFINITY;
}

/* The refinement and the bound's search ask this of a million curves a
 * round to pick the few that miss most: a selection, not a whole sort. */
mp_status mpi_small_sum_threshold(const double *v, size_t n, double allowed, double *threshold)
{
    for (size_t i = 0; i < n; i++)
        if (isnan(v[i]))
            return threshold_sorted(v, n, allowed, threshold);
    double *a = mpi_malloc((n ? n : 1) * sizeof(double));
    if (!a)
        return mpi_nomem();
    memcpy(a, v, n * sizeof(double));
    int found;
    threshold_select(a, n, allowed, threshold, &found);
    free(a);
    return found ? MP_OK : threshold_sorted(v, n, allowed, threshold);
}

/* How much of the gap asked for the 1-D searches may leave open, at least. */
#define MPI_BOUND_SLACK 0.1

/* One half of a bound pass over the curves [from, to): each curve settled
 * from its breakpoints (its ub, lb0, arg, and its best point in best), or
 * with search, the curves at least threshold open searched until they keep
 * shrink of it open. Every curve's figures are its own: the halves write
 * apart and share nothing but what they read. */
typedef struct bound_half {
    bound_work *bw;
    size_t from, to;
    int search;
    double threshold, shrink;
    double *ub, *lb0, *arg, *open, *best;
    double *fill;    /* each curve's LP spend, summed by the first pass for the search's */
    double *fill_pn; /* [2 * curves] P and N there, evaluated once for both passes */
} bound_half;

static void *bound_half_run(void *arg)
{
    bound_half *h = arg;
    const mpi_curve_list *cl = &h->bw->m->curves;
    for (size_t i = h->from; i < h->to; i++) {
        const mpi_curve *c = &cl->v[i];
        if (i + 2 < h->to) /* its segments asked for ahead: the search's reads jump */
            mpi_curve_prefetch(&cl->v[i + 2]);
        if (!h->search) {
            h->fill[i] = curve_fill(h->bw, c);
            h->fill_pn[2 * i] = NAN; /* not evaluated yet */
            h->ub[i] =
                bound_curve(h->bw, c, 0, 0, &h->lb0[i], &h->arg[i], h->fill[i], &h->fill_pn[2 * i]);
            h->best[i] = h->bw->s.best;
            h->open[i] = h->ub[i] - h->best[i];
        } else if (h->open[i] >= h->threshold) {
            double best, eps = h->shrink * h->open[i];
            h->ub[i] = fmin(h->ub[i], bound_curve(h->bw, c, eps, MPI_BOUND_EVALS, &best, &h->arg[i],
                                                  h->fill[i], &h->fill_pn[2 * i]));
        }
    }
    return NULL;
}

/* A second work area beside bw, with its prices, for the other half. */
static mp_status bound_work_twin(const bound_work *bw, bound_work *twin)
{
    mp_status st = bound_work_init(twin, bw->m, bw->sc, bw->x);
    if (st != MP_OK)
        return st;
    memcpy(twin->pi, bw->pi, bw->m->lp.nrows * sizeof(double));
    memcpy(twin->priced, bw->priced, bw->npriced * sizeof(size_t));
    twin->npriced = bw->npriced;
    return MP_OK;
}

/* Run a bound pass in two halves (bound_half_run). */
static void bound_pass(bound_half proto, bound_work *bw, bound_work *twin)
{
    bound_half h[2] = {proto, proto};
    size_t n = bw->m->curves.n;
    h[0].bw = bw;
    h[1].bw = twin;
    h[0].from = 0;
    h[0].to = h[1].from = n / 2;
    h[1].to = n;
    mpi_halves_run(n, bound_half_run, &h[0], &h[1]);
}

/* Settle every curve from its breakpoints (and fill point). When the bound
 * they give is not within gap of value, search the curves that leave most
 * open. The searches may leave open what the gap leaves beyond the
 * Lagrangian at the points found (but at least a tenth of the gap, so that
 * they find where the curves need breakpoints; with tight, only that): the curves not searched half
 * of it, the others the other half, each in proportion to what it left open.
 * ub[] and lb0[] per curve; open[] and best[] are room. Each pass runs in two
 * halves; the sums are taken after, in curve order. */
static mp_status bound_curves(bound_work *bw, double base, double value, double gap, int tight,
                              double *ub, double *lb0, double *arg, double *open, double *best)
{
    const mpi_curve_list *cl = &bw->m->curves;
    bound_work twin;
    mp_status st = bound_work_twin(bw, &twin);
    double *fill = st == MP_OK ? mpi_calloc(3 * cl->n + 1, sizeof(double)) : NULL;
    if (st == MP_OK && !fill)
        st = mpi_nomem();
    if (st != MP_OK) {
        bound_work_free(&twin);
        return st;
    }
    bound_half proto = {.ub = ub,
                        .lb0 = lb0,
                        .arg = arg,
                        .open = open,
                        .best = best,
                        .fill = fill,
                        .fill_pn = fill + cl->n};
    bound_pass(proto, bw, &twin);
    double sense = bw->m->lp.sense, total = 0, sum_ub = 0, sum_best = 0;
    for (size_t i = 0; i < cl->n; i++) {
        total += fmax(open[i], 0);
        sum_ub += ub[i];
        sum_best += best[i];
    }
    double scale = isfinite(value) && value != 0 ? fabs(value) : 1;
    double room = gap * scale - (sense * (base - value) + sum_best);
    double slack =
        tight ? MPI_BOUND_SLACK * gap * scale : fmax(0.8 * room, MPI_BOUND_SLACK * gap * scale);
    int search = !(sense * (base - value) + sum_ub <= gap * scale) && total > slack;
    if (search)
        st = mpi_small_sum_threshold(open, cl->n, 0.5 * slack, &proto.threshold);
    if (st == MP_OK && search) {
        double searched = 0;
        for (size_t i = 0; i < cl->n; i++)
            searched += open[i] >= proto.threshold ? open[i] : 0;
        proto.shrink = 0.5 * slack / searched; /* each searched curve keeps this share open */
        proto.search = 1;
        bound_pass(proto, bw, &twin);
    }
    bound_work_free(&twin);
    free(fill);
    return st;
}

mp_status mpi_lagrange_bound(const mpi_model *m, const mpi_scenario *sc, const double *pi,
                             const double *x, double value, double gap, int tight, mpi_bound *out)
{
    size_t nc = m->curves.n;
    bound_work bw;
    mp_status st = bound_work_init(&bw, m, sc, x);
    double *ub = mpi_calloc(nc ? nc : 1, sizeof(double));
    double *lb0 = mpi_calloc(nc ? nc : 1, sizeof(double));
    double *open = mpi_calloc(nc ? nc : 1, sizeof(double));
    double *best = mpi_calloc(nc ? nc : 1, sizeof(double));
    double *arg = out->arg ? out->arg : mpi_calloc(nc ? nc : 1, sizeof(double));
    if (st == MP_OK && (!ub || !lb0 || !open || !best || !arg))
        st = mpi_nomem();
    double base = mpi_obj_shift(m); /* the objective's constant (carryover) */
    if (st == MP_OK) {
        out->clamped = clamp_prices(&bw, pi);
        for (size_t k = 0; k < bw.npriced; k++)
            base += bw.pi[bw.priced[k]] * mpi_row_rhs(m, sc, bw.priced[k]);
        st = bound_curves(&bw, base, value, gap, tight, ub, lb0, arg, open, best);
    }
    if (st == MP_OK) {
        double sum_ub = 0, sum_lb = 0;
        for (size_t i = 0; i < nc; i++) {
            sum_ub += ub[i];
            sum_lb += lb0[i];
            if (out->miss)
                out->miss[i] = ub[i] - lb0[i];
        }
        out->bound = base + m->lp.sense * sum_ub;
        out->lagr_pwl = base + m->lp.sense * sum_lb;
    }
    bound_work_free(&bw);
    free(ub);
    free(lb0);
    free(open);
    free(best);
    if (arg != out->arg)
        free(arg);
    return st;
}

/* ---- the solution ------------------------------------------------------- */

/* Whether sol->bound was computed from prices pi already (the refinement's
 * last round, when nothing changed them since). */
static int bound_known(const mp_solution *sol, const double *pi)
{
    size_t n = sol->model.lp.nrows;
    return sol->bound_pi && !isnan(sol->bound) && !memcmp(sol->bound_pi, pi, n * sizeof(double));
}

mp_status mpi_solution_bound(mp_solution *sol)
{
    const double *pi = sol->lp.mip ? sol->relax_dual : sol->lp.row_dual;
    if (!pi || !sol->lp.x || !isfinite(sol->objective)) {
        sol->bound = sol->gap = NAN;
        return MP_OK;
    }
    if (!bound_known(sol, pi)) {
        mpi_bound b;
        memset(&b, 0, sizeof b);
        mp_status st = mpi_lagrange_bound(&sol->model, sol->sc, pi, sol->lp.x, sol->objective,
                                          sol->plan->gap, 0, &b);
        if (st != MP_OK)
            return st;
        /* a bound found while refining (other prices) holds as well */
        sol->bound =
            sol->model.lp.sense > 0 ? fmin(sol->bound, b.bound) : fmax(sol->bound, b.bound);
    }
    sol->gap = mpi_gap_of(sol->bound, sol->objective);
    return MP_OK;
}
