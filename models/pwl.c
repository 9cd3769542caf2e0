/* Adaptive piecewise-linear approximation of concave response curves. */
#include "models.h"

#include <stdlib.h>
#include <string.h>

void mpi_curve_list_free(mpi_curve_list *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i].w);
        if (l->v[i].borrowed)
            continue;
        free(l->v[i].y);
        free(l->v[i].param);
        free(l->v[i].bw);
        free(l->v[i].cum);
    }
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
    c->capped = 1;
    return c;
}

typedef struct pt {
    double p, x, v[MPI_NKPI];
    double err;   /* chord error of the interval from this point to the next */
    double split; /* parameter where that error was largest */
} pt;

/* Largest relative chord error over a few interior probes of [a, b]. Concave
 * functions have a unimodal chord error, so the probes bracket its maximum. */
static void interval_error(mpi_curve_fn f, void *ctx, pt *a, const pt *b, const double *range)
{
    static const double probes[5] = {0.1, 0.3, 0.5, 0.7, 0.9};
    a->err = 0;
    a->split = 0.5 * (a->p + b->p);
    double dx = b->x - a->x;
    if (!(dx > 0))
        return;
    for (int i = 0; i < 5; i++) {
        double p = a->p + probes[i] * (b->p - a->p);
        double x, v[MPI_NKPI];
        f(ctx, p, &x, v);
        double t = (x - a->x) / dx;
        for (int q = 0; q < MPI_NKPI; q++) {
            if (!(range[q] > 0))
                continue;
            double chord = a->v[q] + t * (b->v[q] - a->v[q]);
            double e = fabs(v[q] - chord) / range[q];
            if (e > a->err) {
                a->err = e;
                a->split = p;
            }
        }
    }
}

/* Segments between consecutive points: widths and yields per unit of spend. */
static mp_status make_segments(const pt *pts, int n, int want_param, mpi_curve *out)
{
    double xspan = pts[n - 1].x - pts[0].x;
    out->w = mpi_malloc(sizeof(double) * (size_t)(n - 1));
    out->y = mpi_malloc(sizeof(double) * (size_t)(n - 1) * MPI_NKPI);
    out->param = want_param ? mpi_malloc(sizeof(double) * (size_t)n) : NULL;
    if (!out->w || !out->y || (want_param && !out->param)) {
        free(out->w);
        free(out->y);
        free(out->param);
        out->w = out->y = out->param = NULL;
        return mpi_fail(MP_ERR_NOMEM, "out of memory building a curve");
    }
    int s = 0;
    int prev = 0;
    if (out->param)
        out->param[0] = pts[0].p;
    for (int i = 1; i < n; i++) {
        double w = pts[i].x - pts[prev].x;
        if (!(w > 1e-9 * xspan) && i < n - 1)
            continue; /* merge slivers into the next segment */
        if (!(w > 0))
            break;
        out->w[s] = w;
        for (int q = 0; q < MPI_NKPI; q++)
            out->y[s * MPI_NKPI + q] = (pts[i].v[q] - pts[prev].v[q]) / w;
        if (out->param)
            out->param[s + 1] = pts[i].p;
        s++;
        prev = i;
    }
    out->nseg = s;
    return MP_OK;
}

mp_status mpi_pwl_build(mpi_curve_fn f, void *ctx, double p0, double p1, double tol, int want_param,
                        const double *seeds, size_t nseeds, mpi_curve *out)
{
    pt pts[MPI_MAX_SEGMENTS + 1];
    int n = 1;
    memset(pts, 0, sizeof pts);
    pts[0].p = p0;
    for (size_t i = 0; i < nseeds && n < MPI_MAX_SEGMENTS / 2; i++)
        if (seeds[i] > pts[n - 1].p && seeds[i] < p1)
            pts[n++].p = seeds[i];
    pts[n++].p = p1;
    for (int i = 0; i < n; i++)
        f(ctx, pts[i].p, &pts[i].x, pts[i].v);
    double range[MPI_NKPI];
    for (int q = 0; q < MPI_NKPI; q++)
        range[q] = fabs(pts[n - 1].v[q] - pts[0].v[q]);
    for (int i = 0; i < n - 1; i++)
        interval_error(f, ctx, &pts[i], &pts[i + 1], range);
    while (n < MPI_MAX_SEGMENTS + 1) {
        int worst = 0;
        for (int i = 1; i < n - 1; i++)
            if (pts[i].err > pts[worst].err)
                worst = i;
        if (pts[worst].err <= tol)
            break;
        memmove(&pts[worst + 2], &pts[worst + 1], sizeof(pt) * (size_t)(n - worst - 1));
        pt *np = &pts[worst + 1];
        memset(np, 0, sizeof *np);
        np->p = pts[worst].split;
        f(ctx, np->p, &np->x, np->v);
        n++;
        interval_error(f, ctx, &pts[worst], np, range);
        interval_error(f, ctx, np, &pts[worst + 2], range);
    }
    return make_segments(pts, n, want_param, out);
}

mp_status mpi_pwl_at(mpi_curve_fn f, void *ctx, const double *p, int n, int want_param,
                     mpi_curve *out)
{
    pt pts[MPI_MAX_SEGMENTS + 1];
    if (n < 2 || n > MPI_MAX_SEGMENTS + 1)
        return mpi_fail(MP_ERR_INTERNAL, "a curve needs 2 to %d breakpoints", MPI_MAX_SEGMENTS + 1);
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
        return mpi_fail(MP_ERR_NOMEM, "out of memory building curves");
    cv->kind = MPI_CURVE_SPEND;
    cv->period = t->index;
    size_t nk;
    const double *kinks = mpi_resp_kinks(&ch->resp, &nk);
    return mpi_pwl_build(spend_eval, &c, 0, spend_max, ctx->precision, 0, kinks, nk, cv);
}

void mpi_spend_exact(mpi_spend_fn f, const void *params, const mpi_channel *ch, const mpi_period *t,
                     double x, double *v)
{
    for (int q = 0; q < MPI_NKPI; q++)
        v[q] = 0;
    f(params, ch, t, x, v);
    v[MPI_SPEND] = x;
}
