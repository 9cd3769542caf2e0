/* Adaptive piecewise-linear approximation of concave response curves. */
#include "models.h"

#include <stdlib.h>
#include <string.h>

void mpi_curve_release(mpi_curve *c)
{
    free(c->w); /* a curve always owns its widths */
    if (c->borrowed || c->shaped)
        return;
    free(c->y);
    free(c->y1);
    free(c->yf);
    free(c->param);
    free(c->bw);
}

static double *dup_array(const double *v, size_t n)
{
    double *d = mpi_malloc((n ? n : 1) * sizeof(double));
    if (d && v && n)
        memcpy(d, v, n * sizeof(double));
    return d;
}

/* The curve's yields in full, [nseg * MPI_NKPI] (NULL on OOM). */
static double *full_yields(const mpi_curve *c)
{
    size_t n = (size_t)c->nseg;
    if (c->y || !c->y1)
        return dup_array(c->y, n * MPI_NKPI);
    double *y = mpi_malloc((n ? n : 1) * MPI_NKPI * sizeof(double));
    for (int s = 0; y && s < c->nseg; s++)
        for (int q = 0; q < MPI_NKPI; q++)
            y[(size_t)s * MPI_NKPI + (size_t)q] = mpi_curve_data_yield(c, s, q);
    return y;
}

mp_status mpi_curve_own(mpi_curve *c)
{
    size_t n = (size_t)c->nseg;
    double *w = mpi_malloc((n ? n : 1) * sizeof(double)), *y = full_yields(c);
    for (int s = 0; w && s < c->nseg; s++)
        w[s] = mpi_curve_width(c, s); /* refinement sets them one by one */
    double *param = mpi_curve_has_bids(c) ? mpi_malloc((n + 1) * sizeof(double)) : NULL;
    for (int b = 0; param && b <= c->nseg; b++)
        param[b] = mpi_curve_data_bid(c, b);
    double *bw = c->bw ? dup_array(c->bw, n) : NULL;
    for (int s = 0; bw && s < c->nseg; s++)
        bw[s] = mpi_curve_base_width(c, s); /* a shaped curve's scale is in them */
    if (!w || !y || (mpi_curve_has_bids(c) && !param) || (c->bw && !bw)) {
        free(w);
        free(y);
        free(param);
        free(bw);
        return mpi_nomem();
    }
    c->w = w;
    c->y = y;
    c->y1 = c->yf = NULL;
    c->param = param;
    c->bids = NULL;
    c->bw = bw;
    c->bscale = 1;
    c->borrowed = c->shaped = 0;
    return MP_OK;
}

mp_status mpi_curve_borrow(const mpi_curve *base, mpi_curve *c)
{
    double *w = base->w ? dup_array(base->w, (size_t)base->nseg) : NULL;
    if (base->w && !w)
        return mpi_nomem();
    *c = *base;
    c->w = w; /* a curve always owns its widths at its level */
    c->borrowed = 1;
    return MP_OK;
}

mp_status mpi_curve_copy(const mpi_curve *src, mpi_curve *c)
{
    *c = *src;
    mp_status st = mpi_curve_own(c); /* reads src's arrays through c, then replaces them */
    if (st != MP_OK) {
        c->w = NULL; /* c still points at src's arrays: release must free none of them */
        c->borrowed = 1;
    }
    return st;
}

void mpi_curve_keep_base(mpi_curve *c)
{
    c->kept = 1;
}

mp_status mpi_curve_set_width(mpi_curve *c, int s, double w)
{
    if (!c->w) {
        double *v = mpi_malloc((c->nseg ? (size_t)c->nseg : 1) * sizeof(double));
        if (!v)
            return mpi_nomem();
        for (int k = 0; k < c->nseg; k++)
            v[k] = mpi_curve_width(c, k);
        c->w = v;
    }
    c->w[s] = w;
    return MP_OK;
}

void mpi_curve_sum_end(mpi_curve *c)
{
    double end = 0;
    for (int s = 0; s < c->nseg; s++)
        end += mpi_curve_width(c, s);
    c->end = end;
}

void mpi_curve_set_mono(mpi_curve *c)
{
    int mono = 1;
    for (int q = 0; mono && q < MPI_NKPI; q++) {
        /* a compact curve's yield of factor 0 is its constant on every segment */
        if (!c->y && c->yf && c->yf[MPI_NKPI + q] == 0)
            continue;
        double y0 = c->nseg > 0 ? mpi_curve_data_yield(c, 0, q) : 0;
        for (int s = 0; mono && s + 1 < c->nseg; s++) {
            double y1 = mpi_curve_data_yield(c, s + 1, q);
            mono = q == MPI_SPEND ? y1 == y0 : y1 <= y0;
            y0 = y1;
        }
    }
    c->mono = mono != 0;
}

void mpi_curve_set_level(mpi_curve *c, double mult)
{
    c->mult = mult;
    for (int s = 0; c->w && s < c->nseg; s++)
        c->w[s] = c->bw[s] * c->bscale * mult;
    mpi_curve_sum_end(c);
}

mp_status mpi_curve_split(mpi_curve *c, int s, double w1, const double *ya, const double *yb,
                          double bid)
{
    size_t n = (size_t)c->nseg, at = (size_t)s;
    double *w = mpi_realloc(c->w, (n + 1) * sizeof(double));
    if (w)
        c->w = w;
    double *y = w ? mpi_realloc(c->y, (n + 1) * MPI_NKPI * sizeof(double)) : NULL;
    if (y)
        c->y = y;
    double *bw = y && c->bw ? mpi_realloc(c->bw, (n + 1) * sizeof(double)) : NULL;
    if (bw)
        c->bw = bw;
    double *param =
        y && (!c->bw || bw) && c->param ? mpi_realloc(c->param, (n + 2) * sizeof(double)) : NULL;
    if (param)
        c->param = param;
    if (!y || (c->bw && !bw) || (c->param && !param))
        return mpi_nomem();
    double w0 = c->w[at];
    memmove(&c->w[at + 1], &c->w[at], (n - at) * sizeof(double));
    memmove(&c->y[(at + 1) * MPI_NKPI], &c->y[at * MPI_NKPI], (n - at) * MPI_NKPI * sizeof(double));
    c->w[at] = w1;
    c->w[at + 1] = w0 - w1;
    for (int q = 0; q < MPI_NKPI; q++) {
        if (q == MPI_SPEND)
            continue; /* 1 a unit of currency on spend curves, 0 on reach curves */
        c->y[at * MPI_NKPI + (size_t)q] = ya[q];
        c->y[(at + 1) * MPI_NKPI + (size_t)q] = yb[q];
    }
    if (c->bw) {
        memmove(&c->bw[at + 1], &c->bw[at], (n - at) * sizeof(double));
        c->bw[at] = w1 / c->mult;
        c->bw[at + 1] -= c->bw[at];
    }
    if (c->param) {
        memmove(&c->param[at + 2], &c->param[at + 1], (n - at) * sizeof(double));
        c->param[at + 1] = bid;
    }
    c->nseg++;
    mpi_curve_sum_end(c);
    mpi_curve_set_mono(c);
    return MP_OK;
}

void mpi_curve_list_free(mpi_curve_list *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++)
        mpi_curve_release(&l->v[i]);
    free(l->v);
    memset(l, 0, sizeof *l);
}

mpi_curve *mpi_curve_list_add(mpi_curve_list *l)
{
    mpi_curve *v = mpi_reserve(l->v, &l->cap, l->n + 1, sizeof *v);
    if (!v)
        return NULL;
    l->v = v;
    mpi_curve *c = &l->v[l->n++];
    memset(c, 0, sizeof *c);
    c->keyword = -1;
    c->group = -1;
    c->mult = 1;
    c->bscale = 1;
    c->capped = 1;
    return c;
}

void mpi_curve_list_fit(mpi_curve_list *l)
{
    if (l->cap <= l->n || l->n == 0)
        return;
    mpi_curve *v = mpi_realloc(l->v, l->n * sizeof *v);
    if (!v)
        return; /* the larger block stays: room only */
    l->v = v;
    l->cap = l->n;
}

typedef struct pt {
    double p, x, v[MPI_NKPI];
    double err;   /* chord error of the interval from this point to the next */
    double split; /* parameter where that error was largest */
    int stuck;    /* the interval is at the narrowest width allowed */
} pt;

/* What a chord error is measured against: the curve and its range per KPI. */
typedef struct pwl_fn {
    mpi_curve_fn f;
    void *ctx;
    const double *range; /* [MPI_NKPI]; 0: the KPI is not measured */
    double accept;       /* an error at most this needs no closer look (0: none) */
    int lazy;            /* an interval sure to be split is not searched (interval_error) */
} pwl_fn;

/* Probes spread over an interval: they bracket each KPI's largest gap, and
 * the interval is split at the probe with the largest gap (near the largest
 * gap, at a point that does not move with the rounding of that gap). */
#define PWL_PROBES 5
static const double probe_at[PWL_PROBES] = {0.1, 0.3, 0.5, 0.7, 0.9};
#define PWL_GOLDEN 0.6180339887498949
/* Golden-section steps: the bracket of the largest gap shrinks to 1e-7 of the
 * interval, where a smooth gap is flat to 1e-14 and a gap with a kink at its
 * top (a table point not kept) within 1e-7 of its top, inside the margin
 * below the tolerance that the builder keeps. */
#define PWL_STEPS 32

static void eval_pt(const pwl_fn *fn, double p, pt *out)
{
    memset(out, 0, sizeof *out);
    out->p = p;
    fn->f(fn->ctx, p, &out->x, out->v);
}

/* Gap of KPI q at point m to the chord of [a, b], relative to its range. */
static double gap(const pwl_fn *fn, const pt *a, const pt *b, const pt *m, int q)
{
    double t = (m->x - a->x) / (b->x - a->x);
    double chord = a->v[q] + t * (b->v[q] - a->v[q]);
    return fabs(m->v[q] - chord) / fn->range[q];
}

/* Largest gap of KPI q over [lo, hi] (parameters), where it is unimodal: a
 * golden-section search. */
static double golden_max(const pwl_fn *fn, const pt *a, const pt *b, int q, double lo, double hi)
{
    pt m1, m2;
    eval_pt(fn, hi - PWL_GOLDEN * (hi - lo), &m1);
    eval_pt(fn, lo + PWL_GOLDEN * (hi - lo), &m2);
    double g1 = gap(fn, a, b, &m1, q), g2 = gap(fn, a, b, &m2, q);
    for (int i = 0; i < PWL_STEPS; i++) {
        if (g1 >= g2) {
            hi = m2.p;
            m2 = m1;
            g2 = g1;
            eval_pt(fn, hi - PWL_GOLDEN * (hi - lo), &m1);
            g1 = gap(fn, a, b, &m1, q);
        } else {
            lo = m1.p;
            m1 = m2;
            g1 = g2;
            eval_pt(fn, lo + PWL_GOLDEN * (hi - lo), &m2);
            g2 = gap(fn, a, b, &m2, q);
        }
    }
    return g1 >= g2 ? g1 : g2;
}

/* An upper bound on a concave function over [x[k-1], x[k+1]] from its values
 * g at points x[0..n) (ascending): beyond the points of a chord a concave
 * function lies below the chord's line, so between x[k] and a neighbour it
 * lies below the lines through x[k] and the point before it, and through the
 * neighbour and the point beyond it. */
static double concave_bound(const double *x, const double *g, int n, int k)
{
    double ub = g[k];
    for (int side = -1; side <= 1; side += 2) {
        int i = k + side; /* the piece between x[k] and x[i] */
        if (i < 0 || i >= n)
            continue;
        int o = k - side, f = i + side;
        double lo = fmin(x[k], x[i]), hi = fmax(x[k], x[i]);
        double sa = o >= 0 && o < n ? (g[k] - g[o]) / (x[k] - x[o]) : NAN;
        double sb = f >= 0 && f < n ? (g[i] - g[f]) / (x[i] - x[f]) : NAN;
        double best;
        if (isnan(sa) && isnan(sb)) {
            return INFINITY;                /* no bound on this side */
        } else if (isnan(sb) || sa == sb) { /* a line's largest value is at an end */
            best = fmax(g[k] + sa * (x[i] - x[k]), g[k]);
        } else if (isnan(sa)) {
            best = fmax(g[i] + sb * (x[k] - x[i]), g[i]);
        } else {
            double xc = (g[i] - g[k] + sa * x[k] - sb * x[i]) / (sa - sb);
            xc = fmin(hi, fmax(lo, xc));
            best = fmin(g[k] + sa * (xc - x[k]), g[i] + sb * (xc - x[i]));
        }
        ub = fmax(ub, best);
    }
    return ub;
}

/* 1 when KPI q's gaps at the probes are those of KPI r (q is proportional to
 * r: its largest gap is r's, no need to search it again). */
static int same_gaps(const double *gq, const double *gr)
{
    for (int k = 0; k < PWL_PROBES; k++)
        if (fabs(gq[k] - gr[k]) > 1e-12 + 1e-9 * fabs(gr[k]))
            return 0;
    return 1;
}

/* The probe with KPI q's largest gap (the first of equal ones). */
static int best_probe(const double *gq)
{
    int best = 0;
    for (int k = 0; k < PWL_PROBES; k++)
        if (gq[k] > gq[best])
            best = k;
    return best;
}

/* The measured KPIs whose gaps at the probes g[q] are worth a search (some
 * gap above 0, not the gaps of a KPI before them) into searched; their
 * count. */
static int kpis_to_search(const pwl_fn *fn, const pt *a, const pt *b, const pt *probe,
                          double g[][PWL_PROBES], int *searched)
{
    int ns = 0;
    for (int q = 0; q < MPI_NKPI; q++) {
        if (!(fn->range[q] > 0))
            continue;
        for (int k = 0; k < PWL_PROBES; k++)
            g[q][k] = gap(fn, a, b, &probe[k], q);
        int dup = 0;
        for (int i = 0; i < ns && !dup; i++)
            dup = same_gaps(g[q], g[searched[i]]);
        if (g[q][best_probe(g[q])] > 0 && !dup)
            searched[ns++] = q;
    }
    return ns;
}

/* The true largest chord error of [a, b] over the measured KPIs, relative to
 * their ranges, and the probe where it is largest. A KPI concave (or convex) in spend has a
 * unimodal gap to a chord, and spend is monotone in the parameter: evenly
 * spread probes bracket the largest gap, which a golden-section search then
 * finds. Gaps that vanish at every probe are linear (a concave gap that is 0
 * inside the interval is 0 throughout). With fn->lazy, an interval of one
 * KPI to search whose gap at a probe already exceeds fn->accept is split
 * whatever the search finds, and at that probe: its error is that gap, a
 * bound below the true one (mpi_pwl_build says why that is enough). */
static void interval_error(const pwl_fn *fn, pt *a, const pt *b)
{
    a->err = 0;
    a->split = 0.5 * (a->p + b->p);
    if (!(b->x - a->x > 0))
        return;
    pt probe[PWL_PROBES];
    double g[MPI_NKPI][PWL_PROBES];
    int searched[MPI_NKPI];
    for (int k = 0; k < PWL_PROBES; k++)
        eval_pt(fn, a->p + probe_at[k] * (b->p - a->p), &probe[k]);
    int ns = kpis_to_search(fn, a, b, probe, g, searched);
    if (fn->lazy && ns == 1) {
        int best = best_probe(g[searched[0]]);
        if (g[searched[0]][best] > fn->accept) {
            a->err = g[searched[0]][best];
            a->split = probe[best].p;
            return;
        }
    }
    for (int i = 0; i < ns; i++) {
        int q = searched[i], best = best_probe(g[q]);
        double xs[PWL_PROBES + 2], gs[PWL_PROBES + 2];
        xs[0] = a->x;
        gs[0] = gs[PWL_PROBES + 1] = 0;
        xs[PWL_PROBES + 1] = b->x;
        for (int k = 0; k < PWL_PROBES; k++) {
            xs[k + 1] = probe[k].x;
            gs[k + 1] = g[q][k];
        }
        double ub = concave_bound(xs, gs, PWL_PROBES + 2, best + 1);
        if (ub <= fn->accept) { /* within the tolerance whatever the search finds */
            a->err = fmax(a->err, ub);
            continue;
        }
        double lo = best ? probe[best - 1].p : a->p;
        double hi = best < PWL_PROBES - 1 ? probe[best + 1].p : b->p;
        double e = fmax(golden_max(fn, a, b, q, lo, hi), g[q][best]);
        if (e > a->err) {
            a->err = e;
            a->split = probe[best].p;
        }
    }
}

/* Whether yields y[nseg][MPI_NKPI] are all, to rounding, a constant plus a
 * fixed multiple of one yield that varies: then its index in *ref (-1: none
 * varies) and the constants and factors in yf[2 * MPI_NKPI]. Rounding: the
 * yields are differences of the KPIs at the breakpoints, each rounded, so a
 * proportional yield is off its factor times the reference by a few units
 * of the last place of the values differenced; 1e-11 of the yield's largest
 * value is far below what any solve or report resolves. */
static int compact_form(const double *y, int nseg, int *ref, double *yf)
{
    int r = -1;
    if (nseg == 0) {
        memset(yf, 0, 2 * MPI_NKPI * sizeof(double));
        *ref = -1;
        return 1;
    }
    for (int q = 0; q < MPI_NKPI; q++) {
        yf[q] = y[q];
        yf[MPI_NKPI + q] = 0;
        for (int s = 1; s < nseg && r < 0; s++)
            if (y[(size_t)s * MPI_NKPI + (size_t)q] != y[q])
                r = q;
    }
    *ref = r;
    if (r < 0)
        return 1;
    yf[r] = 0;
    yf[MPI_NKPI + r] = 1;
    int top = 0; /* the segment where the reference is largest */
    for (int s = 1; s < nseg; s++)
        if (fabs(y[(size_t)s * MPI_NKPI + (size_t)r]) > fabs(y[(size_t)top * MPI_NKPI + (size_t)r]))
            top = s;
    double yr = y[(size_t)top * MPI_NKPI + (size_t)r];
    for (int q = 0; q < MPI_NKPI; q++) {
        int varies = 0;
        double big = 0;
        for (int s = 0; s < nseg; s++) {
            double v = y[(size_t)s * MPI_NKPI + (size_t)q];
            varies |= v != y[q];
            big = fmax(big, fabs(v));
        }
        if (q == r || !varies)
            continue;
        if (!(yr != 0))
            return 0;
        double f = y[(size_t)top * MPI_NKPI + (size_t)q] / yr;
        for (int s = 0; s < nseg; s++)
            if (!(fabs(y[(size_t)s * MPI_NKPI + (size_t)q] -
                       f * y[(size_t)s * MPI_NKPI + (size_t)r]) <= 1e-11 * big))
                return 0;
        yf[q] = 0;
        yf[MPI_NKPI + q] = f;
    }
    return 1;
}

/* Store yields y[nseg][MPI_NKPI] in out: compact when they allow it. */
static mp_status store_yields(const double *y, int nseg, mpi_curve *out)
{
    double yf[2 * MPI_NKPI];
    int ref;
    size_t n = nseg ? (size_t)nseg : 1;
    if (compact_form(y, nseg, &ref, yf)) {
        out->y1 = mpi_malloc(sizeof(double) * n);
        out->yf = mpi_malloc(sizeof yf);
        if (!out->y1 || !out->yf)
            return mpi_nomem();
        memcpy(out->yf, yf, sizeof yf);
        for (int s = 0; s < nseg; s++)
            out->y1[s] = ref < 0 ? 0 : y[(size_t)s * MPI_NKPI + (size_t)ref];
        return MP_OK;
    }
    out->y = dup_array(y, (size_t)nseg * MPI_NKPI);
    return out->y ? MP_OK : mpi_nomem();
}

/* Segments between consecutive points: widths and yields per unit of spend.
 * Only segments of no width merge into the next: a merge would change a
 * chord, and the builder keeps every segment wide enough to be solved. */
static mp_status make_segments(const pt *pts, int n, int want_param, mpi_curve *out)
{
    double y[MPI_MAX_SEGMENTS * MPI_NKPI];
    out->bw = mpi_malloc(sizeof(double) * (size_t)(n - 1));
    out->param = want_param ? mpi_malloc(sizeof(double) * (size_t)n) : NULL;
    if (!out->bw || (want_param && !out->param)) {
        free(out->bw);
        free(out->param);
        out->bw = out->param = NULL;
        return mpi_fail(MP_ERR_NOMEM, N_("out of memory building a curve"));
    }
    int s = 0;
    int prev = 0;
    if (out->param)
        out->param[0] = pts[0].p;
    for (int i = 1; i < n; i++) {
        double w = pts[i].x - pts[prev].x;
        if (!(w > 0))
            continue;
        out->bw[s] = w;
        for (int q = 0; q < MPI_NKPI; q++)
            y[s * MPI_NKPI + q] = (pts[i].v[q] - pts[prev].v[q]) / w;
        if (out->param)
            out->param[s + 1] = pts[i].p;
        s++;
        prev = i;
    }
    out->nseg = s;
    out->w = NULL; /* bw times the level */
    out->mult = 1;
    out->bscale = 1;
    if (store_yields(y, s, out) != MP_OK) {
        free(out->bw);
        free(out->param);
        free(out->y1);
        free(out->yf);
        out->bw = out->param = out->y1 = out->yf = NULL;
        out->nseg = 0;
        return mpi_fail(MP_ERR_NOMEM, N_("out of memory building a curve"));
    }
    mpi_curve_sum_end(out);
    mpi_curve_set_mono(out);
    return MP_OK;
}

/* The interval with the largest error that can still be split, or -1. */
static int worst_interval(const pt *pts, int n, double tol)
{
    int worst = -1;
    for (int i = 0; i < n - 1; i++)
        if (!pts[i].stuck && pts[i].err > tol && (worst < 0 || pts[i].err > pts[worst].err))
            worst = i;
    return worst;
}

/* Whether a piece of spend [a, b] is wide enough to keep (MPI_PWL_MIN_WIDTH). */
static int wide_enough(double a, double b)
{
    return b - a >= MPI_PWL_MIN_WIDTH * fabs(b) && b > a;
}

/* Split interval i at its largest error, unless that leaves a piece too
 * narrow: then it is split in the middle of its parameter, or, when that is
 * too narrow too, marked stuck. Returns the new point count. */
static int split_interval(const pwl_fn *fn, pt *pts, int n, int i)
{
    pt np;
    eval_pt(fn, pts[i].split, &np);
    if (!(wide_enough(pts[i].x, np.x) && wide_enough(np.x, pts[i + 1].x)))
        eval_pt(fn, 0.5 * (pts[i].p + pts[i + 1].p), &np);
    if (!(wide_enough(pts[i].x, np.x) && wide_enough(np.x, pts[i + 1].x))) {
        pts[i].stuck = 1;
        return n;
    }
    memmove(&pts[i + 2], &pts[i + 1], sizeof(pt) * (size_t)(n - i - 1));
    pts[i + 1] = np;
    interval_error(fn, &pts[i], &pts[i + 1]);
    interval_error(fn, &pts[i + 1], &pts[i + 2]);
    return n + 1;
}

/* Split the worst interval of pts[0..n) over fn->accept until none is or
 * the curve has MPI_MAX_SEGMENTS; the point count. */
static int refine_points(const pwl_fn *fn, pt *pts, int n)
{
    for (int i = 0; i < n - 1; i++)
        interval_error(fn, &pts[i], &pts[i + 1]);
    int worst;
    /* past the run's deadline the curve stays as coarse as it is (a curve of
     * many draws costs seconds to refine); checked every 8th split, which
     * costs a clock read */
    while (n < MPI_MAX_SEGMENTS + 1 && (worst = worst_interval(pts, n, fn->accept)) >= 0 &&
           ((n & 7) || !mpi_deadline_passed()))
        n = split_interval(fn, pts, n, worst);
    return n;
}

/* Whether a lazy refinement left the points the full search would: every
 * interval over the tolerance split until each is within it or cannot be
 * split (each interval is split at a point of its own, so the order of the
 * splits does not change the points), unless the segments ran out first,
 * when the order chose which intervals were split. The errors of intervals
 * left over the tolerance (too narrow to split) are searched again. */
static int lazy_points_hold(pwl_fn *fn, pt *pts, int n)
{
    fn->lazy = 0;
    for (int i = 0; i < n - 1; i++) {
        if (!(pts[i].err > fn->accept))
            continue;
        if (!pts[i].stuck)
            return 0; /* the segments ran out */
        interval_error(fn, &pts[i], &pts[i + 1]);
    }
    return 1;
}

mp_status mpi_pwl_build(mpi_curve_fn f, void *ctx, double p0, double p1, double tol, int want_param,
                        const double *seeds, size_t nseeds, mpi_curve *out)
{
    pt pts[MPI_MAX_SEGMENTS + 1];
    pt end;
    double range[MPI_NKPI];
    /* a margin for the rounding of the yields, so that a chord recomputed
     * from them is within tol too */
    pwl_fn fn = {f, ctx, range, tol * (1 - 1e-6), 1};
    eval_pt(&fn, p0, &pts[0]);
    eval_pt(&fn, p1, &end);
    int n = 1;
    for (size_t i = 0; i < nseeds && n < MPI_MAX_SEGMENTS / 2; i++) {
        if (!(seeds[i] > pts[n - 1].p && seeds[i] < p1))
            continue;
        eval_pt(&fn, seeds[i], &pts[n]);
        if (wide_enough(pts[n - 1].x, pts[n].x) && wide_enough(pts[n].x, end.x))
            n++; /* kinks closer than that are measured, not kept */
    }
    pts[n++] = end;
    for (int q = 0; q < MPI_NKPI; q++)
        range[q] = fabs(end.v[q] - pts[0].v[q]);
    pt first[MPI_MAX_SEGMENTS / 2 + 1]; /* the seeds and the ends, for a full refinement */
    int nfirst = n;
    memcpy(first, pts, (size_t)n * sizeof(pt));
    n = refine_points(&fn, pts, n);
    if (!lazy_points_hold(&fn, pts, n)) { /* again in full, from the first points */
        memcpy(pts, first, (size_t)nfirst * sizeof(pt));
        n = refine_points(&fn, pts, nfirst);
    }
    double err = 0;
    for (int i = 0; i < n - 1; i++)
        err = fmax(err, pts[i].err);
    out->err = (float)err;
    return make_segments(pts, n, want_param, out);
}

int mpi_pwl_within(mpi_curve_fn f, void *ctx, const double *p, int n, double tol)
{
    pt a, b;
    double range[MPI_NKPI];
    /* a gap the concave bound keeps within tol needs no search: it cannot
     * exceed tol, and a gap that can is searched as mpi_pwl_build does */
    pwl_fn fn = {f, ctx, range, tol, 0};
    if (n < 2)
        return 1;
    eval_pt(&fn, p[0], &a);
    eval_pt(&fn, p[n - 1], &b);
    for (int q = 0; q < MPI_NKPI; q++)
        range[q] = fabs(b.v[q] - a.v[q]);
    for (int i = 1; i < n; i++) {
        eval_pt(&fn, p[i], &b);
        interval_error(&fn, &a, &b);
        if (!(a.err <= tol))
            return 0;
        a = b;
    }
    return 1;
}

mp_status mpi_pwl_at(mpi_curve_fn f, void *ctx, const double *p, int n, int want_param,
                     mpi_curve *out)
{
    pt pts[MPI_MAX_SEGMENTS + 1];
    if (n < 2 || n > MPI_MAX_SEGMENTS + 1)
        return mpi_fail(MP_ERR_INTERNAL, N_("a curve needs 2 to %d breakpoints"),
                        MPI_MAX_SEGMENTS + 1);
    for (int i = 0; i < n; i++) {
        pts[i].p = p[i];
        f(ctx, p[i], &pts[i].x, pts[i].v);
    }
    return make_segments(pts, n, want_param, out);
}

double mpi_norm_cdf(double z)
{
    return 0.5 * erfc(-z / sqrt(2.0));
}

/* Adapter from a plain function of spend to the parametric builder. */
typedef struct spend_ctx {
    mpi_spend_fn f;
    const void *params;
    const mpi_channel *ch;
    const mpi_period *t;
} spend_ctx;

static void spend_eval(void *vctx, double p, double *x, double *v)
{
    spend_ctx *c = vctx;
    for (int q = 0; q < MPI_NKPI; q++)
        v[q] = 0;
    *x = p;
    c->f(c->params, c->ch, c->t, p, v);
    v[MPI_SPEND] = p;
}

mp_status mpi_spend_curve(mpi_spend_fn f, const void *params, const mpi_model_ctx *ctx,
                          const mpi_channel *ch, const mpi_period *t, double spend_max,
                          mpi_curve_list *out)
{
    if (!(spend_max > 0))
        return MP_OK;
    spend_ctx c = {f, params, ch, t};
    mpi_curve *cv = mpi_curve_list_add(out);
    if (!cv)
        return mpi_fail(MP_ERR_NOMEM, N_("out of memory building curves"));
    cv->kind = MPI_CURVE_SPEND;
    cv->period = t->index;
    size_t nk;
    const double *kinks = mpi_resp_kinks(&ch->resp, &nk);
    return mpi_pwl_build(spend_eval, &c, 0, spend_max, ctx->precision, 0, kinks, nk, cv);
}

void mpi_spend_exact(const void *params, const mpi_model_ctx *ctx, const mpi_channel *ch,
                     const mpi_period *t, long keyword, double x, double *v, double *bid)
{
    (void)ctx;
    (void)keyword;
    for (int q = 0; q < MPI_NKPI; q++)
        v[q] = 0;
    ch->ops->spend(params, ch, t, x, v);
    v[MPI_SPEND] = x;
    if (bid)
        *bid = NAN;
}
