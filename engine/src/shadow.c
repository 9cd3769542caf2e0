/* Shadow prices of the exact model: what one more unit of a bound is worth
 * to the plan on the exact curves, not on the LP's chords.
 *
 * The LP's row dual is a ratio of chord slopes. At the default precision the
 * chords around the plan are coarse, and a price that rests on a difference
 * of slopes (a share floor: offline's return against digital's) can be off
 * by half (spring example, offline floor at 40 %: dual 8.0 conversions per
 * point, finite differences of re-solved plans 4.8). By the envelope theorem
 * the true marginal of a bound is the exact model's Lagrange multiplier at
 * its optimum, which the chords only bracket.
 *
 * Of the two ways to get it (refine the curves at x (1 +- d) and re-solve
 * the LP, or the KKT conditions with exact derivatives) this takes the
 * second, because it needs no LP solve and nothing of the LP core but row
 * prices and curves (issue 14's implicit core has both), and because it
 * corrects the spends as well as the prices: the LP's spends are within a
 * segment of the exact optimum, and an exact derivative taken at the LP's
 * spend is off by curvature x segment width, as much as the chord slope is.
 * So with the LP's active set (its binding rows, its curves at 0 or at
 * their end held there) Newton's method solves, from the LP's spends and
 * duals,
 *
 *     g_i(x_i, pi) = o_i'(x_i) - sum_r pi_r G_ri(x_i) = 0   every free curve i
 *     R_r(x)       = sum_i row_r over curve i - rhs_r = 0    every binding row r
 *
 * (o_i the objective on curve i, G_ri = d row_r / d x_i, exact derivatives by
 * central differences of mpi_curve_exact). The curves decouple: with h_i =
 * d g_i / d x_i the step solves the rows' Schur complement M dpi = b, M_rs =
 * sum_i G_ri G_si / h_i, an nb x nb system (nb the binding rows, a handful).
 * A curve the step would take out of its domain is held at the end it
 * reaches; a row whose price comes out of the wrong sign did not bind on the
 * exact curves and is dropped; a curve on a straight piece (h 0: a reach
 * curve only its link row prices) borders the system with its own
 * condition on the prices. A curve the step moves by more than half its
 * spend (one near 0 climbing a steep start) is first settled alone at the
 * new prices by its own Newton steps: left to the rounds it would crawl
 * there, dragging the prices with it, and the rounds would converge only
 * linearly. The rounds stop once the last two steps certify every price to
 * MPI_SHADOW_CERT of itself. Each round costs three exact evaluations per
 * free curve; three rounds settle the prices of the 10,000-keyword, 13-week
 * benchmark plan (six before the far curves were settled alone). When the system cannot be
 * solved (a curve of the wrong curvature, no convergence, too many binding
 * rows) the LP's duals stay the prices, as before. The reported plan, objective and gap are not
 * touched: only the prices. */
#include "bound.h"

#include <stdlib.h>
#include <string.h>

/* Newton rounds at most, and binding rows at most (the Schur complement is
 * dense). */
#define MPI_SHADOW_ROUNDS   25
#define MPI_SHADOW_MAX_ROWS 48
/* The step's system at most: the rows and the curves on a straight piece. */
#define MPI_SHADOW_MAXN 64
/* Stationarity and rows met to this, relative to their terms. */
#define MPI_SHADOW_TOL 1e-9
/* Or the prices settled: a step that moves them by less than this share of
 * the objective (the curves still moving then are tiny ones, near 0, whose
 * spends weigh nothing in the prices). */
#define MPI_SHADOW_PRICE_TOL 1e-5
/* A price is final once what further rounds could move it is below this
 * share of it (the figures show three digits; the finite differences the
 * tests compare with hold six). */
#define MPI_SHADOW_CERT 1e-6
/* Newton steps at most on one curve far from its stationary point. */
#define MPI_SHADOW_SETTLE 20

/* 1 on a spend curve, 0 on a reach curve (its spend is counted by the link). */
static double spend_yield(const mpi_curve *c)
{
    return c->nseg > 0 ? mpi_curve_data_yield(c, 0, MPI_SPEND) : 1;
}

/* Exact KPIs of c at x as the rows weigh them (spend counted as the LP does). */
static void exact_at(const mpi_model *m, const mpi_curve *c, double x, double sy, double *v)
{
    mpi_curve_exact(m, c, x, v);
    v[MPI_SPEND] = x * sy;
}

/* exact_at at x0, x0 + h and x0 + 2 h (a, b and z; b NULL: the outer two),
 * the curve set up once (mpi_curve_exact_n). */
static void exact3_at(const mpi_model *m, const mpi_curve *c, double x0, double h, double sy,
                      double *a, double *b, double *z)
{
    double xs[3] = {x0, x0 + 2 * h, x0 + h}, v[3 * MPI_NKPI];
    int n = b ? 3 : 2;
    mpi_curve_exact_n(m, c, xs, n, v);
    double *out[3] = {a, z, b};
    for (int i = 0; i < n; i++) {
        memcpy(out[i], v + i * MPI_NKPI, sizeof v[0] * MPI_NKPI);
        out[i][MPI_SPEND] = xs[i] * sy;
    }
}

/* Every KPI (a bit each, for the KPIs a caller reads). */
#define ALL_KPIS ((1u << MPI_NKPI) - 1)

/* mpi_curve_slopes on a curve whose end and spend yield sy are known (the
 * passes keep them: reading them from the curve's segments misses the cache),
 * for the KPIs in need only (the others are left as they were). */
static void slopes_to(const mpi_model *m, const mpi_curve *c, double x, double end, double sy,
                      unsigned need, double *v, double *d1, double *d2)
{
    double h = 1e-3 * fmax(x, 1e-3 * end);
    double a[MPI_NKPI], b[MPI_NKPI], z[MPI_NKPI];
    if (!(h > 0)) { /* an empty curve */
        for (int q = 0; q < MPI_NKPI; q++) {
            d1[q] = 0;
            if (d2)
                d2[q] = 0;
        }
        if (v)
            exact_at(m, c, 0, sy, v);
        return;
    }
    /* central differences inside, one-sided ones (second order) at the ends */
    double x0 = x - h < 0 ? x : x + h > end ? x - 2 * h : x - h;
    exact3_at(m, c, x0, h, sy, a, b, z);
    const double *vx = x0 == x ? a : x0 + h == x ? b : z;
    double t = (x - x0) / h - 1; /* -1, 0 or 1: where x is among the three */
    for (int q = 0; q < MPI_NKPI; q++) {
        if (!(need >> q & 1))
            continue;
        double dd = (z[q] - 2 * b[q] + a[q]) / (h * h);
        d1[q] = (z[q] - a[q]) / (2 * h) + t * h * dd;
        if (d2)
            d2[q] = dd;
        if (v)
            v[q] = vx[q];
    }
}

void mpi_curve_slopes(const mpi_model *m, const mpi_curve *c, double x, double *v, double *d1,
                      double *d2)
{
    slopes_to(m, c, x, mpi_curve_end(c), spend_yield(c), ALL_KPIS, v, d1, d2);
}

void mpi_curve_slopes_at(const mpi_model *m, const mpi_curve *c, double x, double end, double *d1)
{
    double h = 1e-3 * fmax(x, 1e-3 * end), sy = spend_yield(c);
    if (!(h > 0) || x - h < 0 || x + h > end) {
        slopes_to(m, c, x, end, sy, ALL_KPIS, NULL, d1, NULL);
        return;
    }
    /* slopes_to's outer points; the middle one only serves d2 */
    double x0 = x - h, a[MPI_NKPI], z[MPI_NKPI];
    exact3_at(m, c, x0, h, sy, a, NULL, z);
    for (int q = 0; q < MPI_NKPI; q++)
        d1[q] = (z[q] - a[q]) / (2 * h);
}

/* ---- the KKT system -------------------------------------------------------- */

/* Row terms of the last curve a pass met (rows weigh a curve by its kind,
 * channel, period and group). */
typedef struct terms_memo {
    int kind, channel, period, group;
    double *a;     /* [nb * (MPI_NKPI + 1)] */
    unsigned need; /* the KPIs a row weighs, and the objective's: a bit each */
    double o0;     /* the objective's term on spend (mpi_obj_carry: over the money paid) */
} terms_memo;

struct kkt;

/* One half of a pass over the curves: the held curves' activity (is_free
 * given: the curves [from, to) not free) or the free curves' stationarity
 * (free curves [from, to)). Sums over the half from 0; the caller adds the
 * halves in order. */
typedef struct kkt_half {
    struct kkt *k;
    size_t from, to;
    const int *is_free;
    terms_memo memo;
    double *res, *scale; /* [nb] */
    double gsize, gmax;
    size_t straight[MPI_SHADOW_MAXN], ns; /* free curves on a straight piece */
    int bad; /* a curve of the wrong curvature, or too many straight ones */
} kkt_half;

typedef struct kkt {
    const mpi_model *m;
    const mpi_scenario *sc;
    size_t nb;     /* binding rows */
    size_t *row;   /* [nb] their LP indexes */
    double *pi;    /* [nb] their prices */
    size_t nf;     /* free curves */
    size_t *curve; /* [nf] their indexes */
    double *x;     /* [ncurves] spends: the LP's, then the KKT point's */
    double *end;   /* [ncurves] */
    double *sy;    /* [ncurves] spend yields */
    double *g, *h; /* [nf] stationarity and its derivative */
    double *G;     /* [nf * nb] d row / d x */
    /* the step's system over the rows' prices and the straight curves'
     * spends: [MPI_SHADOW_MAXN * MPI_SHADOW_MAXN], [MPI_SHADOW_MAXN], [MPI_SHADOW_MAXN] */
    double *M, *b;
    double *res, *scale;   /* [nb] rows' residuals at x and their sizes */
    double *res0, *scale0; /* [nb] the same over the held curves alone */
    double objective;      /* its size, for the tolerance */
    double *dpi;      /* [MPI_SHADOW_MAXN] the step: nb prices, then the straight curves' spends */
    size_t *straight; /* [MPI_SHADOW_MAXN] free curves (their f) on a straight piece */
    size_t ns;
    double *dprev; /* [nb] the last round's step, when have_prev */
    int have_prev;
    kkt_half half[2];  /* the passes' halves */
    double *half_room; /* their memos and sums, a cache line apart (each thread writes its own) */
} kkt;

static void kkt_free(kkt *k)
{
    free(k->row);
    free(k->pi);
    free(k->curve);
    free(k->x);
    free(k->end);
    free(k->sy);
    free(k->g);
    free(k->h);
    free(k->G);
    free(k->M);
    free(k->b);
    free(k->res);
    free(k->scale);
    free(k->res0);
    free(k->scale0);
    free(k->dpi);
    free(k->dprev);
    free(k->straight);
    free(k->half_room);
}

static const double *curve_terms(const kkt *k, terms_memo *memo, const mpi_curve *c)
{
    if (c->kind != memo->kind || c->channel != memo->channel || c->period != memo->period ||
        c->group != memo->group) {
        memo->need = 1u << k->m->plan->obj_kpi;
        memo->o0 = mpi_obj_carry(k->m, c);
        for (size_t r = 0; r < k->nb; r++) {
            double *a = &memo->a[r * (MPI_NKPI + 1)];
            mpi_row_terms(k->m, k->sc, k->row[r], c, a);
            for (int q = 0; q < MPI_NKPI; q++)
                memo->need |= a[q] != 0 ? 1u << q : 0;
        }
        memo->kind = c->kind;
        memo->channel = c->channel;
        memo->period = c->period;
        memo->group = c->group;
    }
    return memo->a;
}

static mp_status kkt_alloc(kkt *k, size_t nrows, size_t ncurves)
{
    size_t nb = nrows ? nrows : 1, nc = ncurves ? ncurves : 1;
    k->row = mpi_calloc(nb, sizeof(size_t));
    k->pi = mpi_calloc(nb, sizeof(double));
    k->curve = mpi_calloc(nc, sizeof(size_t));
    k->x = mpi_calloc(nc, sizeof(double));
    k->end = mpi_calloc(nc, sizeof(double));
    k->sy = mpi_calloc(nc, sizeof(double));
    k->g = mpi_calloc(nc, sizeof(double));
    k->h = mpi_calloc(nc, sizeof(double));
    k->M = mpi_calloc(MPI_SHADOW_MAXN * MPI_SHADOW_MAXN, sizeof(double));
    k->b = mpi_calloc(MPI_SHADOW_MAXN, sizeof(double));
    k->straight = mpi_calloc(MPI_SHADOW_MAXN, sizeof(size_t));
    k->res = mpi_calloc(nb, sizeof(double));
    k->scale = mpi_calloc(nb, sizeof(double));
    k->res0 = mpi_calloc(nb, sizeof(double));
    k->scale0 = mpi_calloc(nb, sizeof(double));
    k->dpi = mpi_calloc(MPI_SHADOW_MAXN, sizeof(double));
    k->dprev = mpi_calloc(MPI_SHADOW_MAXN, sizeof(double));
    int ok = k->dprev && k->row && k->pi && k->curve && k->x && k->end && k->sy && k->g && k->h &&
             k->M && k->b && k->res && k->scale && k->res0 && k->scale0 && k->dpi && k->straight;
    size_t stride = nb * (MPI_NKPI + 3) + 8; /* 8 doubles: a cache line between the halves */
    k->half_room = mpi_calloc(2 * stride, sizeof(double));
    for (int i = 0; k->half_room && i < 2; i++) {
        kkt_half *h = &k->half[i];
        h->k = k;
        h->memo.kind = -1; /* no curve yet */
        h->memo.a = k->half_room + (size_t)i * stride;
        h->res = h->memo.a + nb * (MPI_NKPI + 1);
        h->scale = h->res + nb;
    }
    return ok && k->half_room ? MP_OK : mpi_nomem();
}

/* One half of the walk of every curve's segments for its spend (its end
 * the curve keeps). */
typedef struct fill_half {
    const mpi_model *m;
    const double *lp_x;
    size_t from, to;
    double *x, *end;
} fill_half;

static void *fill_half_run(void *arg)
{
    const fill_half *h = arg;
    for (size_t i = h->from; i < h->to; i++) {
        const mpi_curve *c = &h->m->curves.v[i];
        double x = 0;
        for (int s = 0; s < c->nseg; s++)
            x += h->lp_x[c->col + (size_t)s];
        h->x[i] = x;
        h->end[i] = mpi_curve_end(c);
    }
    return NULL;
}

/* Every curve's spend x[i] and end[i], in two halves. */
static void curve_fills(const mpi_model *m, const double *lp_x, double *x, double *end)
{
    size_t n = m->curves.n;
    fill_half h[2] = {{m, lp_x, 0, n / 2, x, end}, {m, lp_x, n / 2, n, x, end}};
    mpi_halves_run(n, fill_half_run, &h[0], &h[1]);
}

/* The binding rows (at most MPI_SHADOW_MAX_ROWS: else 0 rows, no system),
 * every curve's spend and end, and the curves strictly inside their domain. */
static mp_status kkt_init(kkt *k, const mp_solution *sol)
{
    const mpi_model *m = &sol->model;
    memset(k, 0, sizeof *k);
    k->m = m;
    k->sc = sol->sc;
    k->objective = fabs(sol->objective);
    mp_status st = kkt_alloc(k, m->lp.nrows, m->curves.n);
    if (st != MP_OK)
        return st;
    for (size_t r = 0; r < m->lp.nrows; r++)
        if (sol->rows[r].binding || m->lp.rows[r].kind == MPI_ROW_REACH_LINK) {
            k->row[k->nb] = r;
            k->pi[k->nb++] = sol->lp.row_dual[r];
        }
    if (k->nb > MPI_SHADOW_MAX_ROWS)
        k->nb = 0;
    k->G = mpi_calloc((k->nb ? k->nb : 1) * (m->curves.n ? m->curves.n : 1), sizeof(double));
    if (!k->G)
        return mpi_nomem();
    curve_fills(m, sol->lp.x, k->x, k->end);
    for (size_t i = 0; i < m->curves.n; i++) {
        k->sy[i] = spend_yield(&m->curves.v[i]);
        if (k->x[i] > 1e-9 * k->end[i] && k->x[i] < k->end[i] * (1 - 1e-9))
            k->curve[k->nf++] = i;
    }
    return MP_OK;
}

/* Row r's activity over curve c at x, from its terms a and the KPIs v
 * (those in need: the others have no term). */
static double term_activity(const double *a, double x, const double *v, unsigned need)
{
    double s = a[MPI_NKPI] * x;
    for (int q = 0; q < MPI_NKPI; q++)
        if (need >> q & 1)
            s += a[q] * v[q];
    return s;
}

/* Whether any of the rows weighs a curve whose terms are a. */
static int weighed(const kkt *k, const double *a)
{
    for (size_t i = 0; i < k->nb * (MPI_NKPI + 1); i++)
        if (a[i] != 0)
            return 1;
    return 0;
}

/* Add the rows' activity over held curve i (at k->x[i]) to res and scale. */
static void held_curve(const kkt *k, terms_memo *memo, size_t i, double *res, double *scale)
{
    const mpi_curve *c = &k->m->curves.v[i];
    if (!(k->x[i] > 0))
        return;
    const double *a = curve_terms(k, memo, c);
    if (!weighed(k, a))
        return;
    double v[MPI_NKPI];
    exact_at(k->m, c, k->x[i], k->sy[i], v);
    for (size_t r = 0; r < k->nb; r++) {
        double t = term_activity(&a[r * (MPI_NKPI + 1)], k->x[i], v, memo->need);
        res[r] += t;
        scale[r] += fabs(t);
    }
}

/* The rows' activity over the held curves of a half. */
static void held_half(kkt_half *h)
{
    for (size_t i = h->from; i < h->to; i++)
        if (!h->is_free[i])
            held_curve(h->k, &h->memo, i, h->res, h->scale);
}

static void eval_half(kkt_half *h);

static void *run_half(void *arg)
{
    kkt_half *h = arg;
    memset(h->res, 0, h->k->nb * sizeof(double));
    memset(h->scale, 0, h->k->nb * sizeof(double));
    if (h->is_free)
        held_half(h);
    else
        eval_half(h);
    return NULL;
}

/* A pass over n curves (or free curves) in two halves, their sums added to
 * res and scale in order. */
static void run_pass(kkt *k, size_t n, const int *is_free, double *res, double *scale)
{
    kkt_half *h = k->half;
    h[0].is_free = h[1].is_free = is_free;
    h[0].from = 0;
    h[0].to = h[1].from = n / 2;
    h[1].to = n;
    mpi_halves_run(n, run_half, &h[0], &h[1]);
    for (size_t r = 0; r < k->nb; r++) {
        res[r] = res[r] + h[0].res[r] + h[1].res[r];
        scale[r] = scale[r] + h[0].scale[r] + h[1].scale[r];
    }
}

/* The rows' right-hand sides and their activity over the curves held where
 * they are (res0, scale0: the part of the residuals no round changes). */
static void held_activity(kkt *k, const int *is_free)
{
    const mpi_model *m = k->m;
    for (size_t r = 0; r < k->nb; r++) {
        double rhs = mpi_row_rhs(m, k->sc, k->row[r]);
        k->res0[r] = -rhs;
        k->scale0[r] = fabs(rhs);
    }
    run_pass(k, m->curves.n, is_free, k->res0, k->scale0);
}

/* Stationarity of free curve f at its spend: g, h and G, and the rows'
 * activity over it. 1 when the Lagrangian is strictly concave there (max
 * plans; convex for min), 2 when straight (h 0: the spend is not set by the
 * prices but by the rows, and the prices must meet g = 0 on their own, as a
 * reach curve's link row's), 0 when of the wrong curvature (no optimum of
 * the exact model there). *gscale gets the size of g's terms. */
/* Stationarity of curve i at spend x under the prices k->pi from its
 * terms a and its KPIs' slopes d1, d2: *g, *h = dg / dx, and each row's
 * slope G[r] when G is given; returns the size of g's terms. */
static double stationarity(const kkt *k, const double *a, unsigned need, const double *d1,
                           const double *d2, double o0, double *G, double *g, double *h)
{
    int obj = k->m->plan->obj_kpi;
    double gg = d1[obj] + o0, hh = d2[obj], size = fabs(d1[obj] + o0);
    for (size_t r = 0; r < k->nb; r++) {
        const double *ar = &a[r * (MPI_NKPI + 1)];
        double Gr = ar[MPI_NKPI], Hr = 0;
        for (int q = 0; q < MPI_NKPI; q++) {
            if (!(need >> q & 1))
                continue; /* no term: a 0 */
            Gr += ar[q] * d1[q];
            Hr += ar[q] * d2[q];
        }
        if (G)
            G[r] = Gr;
        gg -= k->pi[r] * Gr;
        hh -= k->pi[r] * Hr;
        size += fabs(k->pi[r] * Gr);
    }
    *g = gg;
    *h = hh;
    return size;
}

/* Curve i's KPIs v at x and their slopes d1, d2 (those in need), spend
 * counted as the rows count it. */
static void curve_slopes(const kkt *k, size_t i, double x, unsigned need, double *v, double *d1,
                         double *d2)
{
    slopes_to(k->m, &k->m->curves.v[i], x, k->end[i], k->sy[i], need, v, d1, d2);
    if (v)
        v[MPI_SPEND] = x * k->sy[i];
    d1[MPI_SPEND] = k->sy[i];
    d2[MPI_SPEND] = 0;
}

static int curve_kkt(kkt_half *half, size_t f, double *gscale)
{
    kkt *k = half->k;
    size_t i = k->curve[f];
    double v[MPI_NKPI], d1[MPI_NKPI], d2[MPI_NKPI], x = k->x[i];
    const double *a = curve_terms(k, &half->memo, &k->m->curves.v[i]);
    unsigned need = half->memo.need;
    curve_slopes(k, i, x, need, v, d1, d2);
    double size =
        stationarity(k, a, need, d1, d2, half->memo.o0, &k->G[f * k->nb], &k->g[f], &k->h[f]);
    for (size_t r = 0; r < k->nb; r++) {
        double t = term_activity(&a[r * (MPI_NKPI + 1)], x, v, need);
        half->res[r] += t;
        half->scale[r] += fabs(t);
    }
    *gscale = size;
    double flat = 1e-9 * size / fmax(x, 1e-300), h = k->h[f];
    return k->m->lp.sense * h < -flat ? 1 : fabs(h) <= flat ? 2 : 0;
}

/* Solve M dpi = b of order n in place by Gauss-Jordan elimination with
 * partial pivoting, the columns from first on taken first (the straight
 * curves' spends: their columns hold the rows' slopes, of plain size, where
 * the prices' columns hold 1 / h, which may be huge). A column left without
 * a pivot (no free curve in the row, or a row that others imply: the
 * budget and every period's) keeps its value: dpi 0. Columns are compared
 * with their own size, as their scales differ by orders. */
static void solve_dense(double *M, double *b, double *dpi, size_t n, size_t first)
{
    size_t piv[MPI_SHADOW_MAXN];
    int used[MPI_SHADOW_MAXN] = {0};
    double size[MPI_SHADOW_MAXN] = {0};
    for (size_t i = 0; i < n * n; i++)
        size[i % n] = fmax(size[i % n], fabs(M[i]));
    for (size_t k = 0; k < n; k++) {
        size_t col = (first + k) % n, best = n;
        for (size_t r = 0; r < n; r++)
            if (!used[r] && (best == n || fabs(M[r * n + col]) > fabs(M[best * n + col])))
                best = r;
        piv[col] = n;
        if (best == n || !(fabs(M[best * n + col]) > 1e-11 * size[col]))
            continue;
        used[best] = 1;
        piv[col] = best;
        for (size_t r = 0; r < n; r++) {
            if (r == best || M[r * n + col] == 0)
                continue;
            double f = M[r * n + col] / M[best * n + col];
            for (size_t j = 0; j < n; j++)
                M[r * n + j] -= f * M[best * n + j];
            b[r] -= f * b[best];
        }
    }
    for (size_t col = 0; col < n; col++)
        dpi[col] = piv[col] == n ? 0 : b[piv[col]] / M[piv[col] * n + col];
}

/* ---- Newton's method --------------------------------------------------------- */

/* Every free curve's stationarity at k->x and the rows' residuals; 0 when a
 * curve is straight where it is. *done: both within MPI_SHADOW_TOL. */
static void eval_half(kkt_half *h)
{
    double gsize = 0, gmax = 0;
    h->ns = 0;
    h->bad = 0;
    for (size_t f = h->from; f < h->to && !h->bad; f++) {
        double size;
        int kind = curve_kkt(h, f, &size);
        if (kind == 2 && h->ns < MPI_SHADOW_MAXN)
            h->straight[h->ns++] = f;
        else if (kind == 2 || !kind)
            h->bad = 1;
        /* every g is in objective units per currency unit: one scale for all */
        gsize = fmax(gsize, size);
        gmax = fmax(gmax, fabs(h->k->g[f]));
    }
    h->gsize = gsize;
    h->gmax = gmax;
}

static int kkt_eval(kkt *k, int *done)
{
    memcpy(k->res, k->res0, k->nb * sizeof(double));
    memcpy(k->scale, k->scale0, k->nb * sizeof(double));
    run_pass(k, k->nf, NULL, k->res, k->scale);
    k->ns = 0;
    for (int i = 0; i < 2; i++) {
        const kkt_half *h = &k->half[i];
        if (h->bad || k->nb + k->ns + h->ns > MPI_SHADOW_MAXN)
            return 0;
        memcpy(&k->straight[k->ns], h->straight, h->ns * sizeof(size_t));
        k->ns += h->ns;
    }
    double gsize = fmax(k->half[0].gsize, k->half[1].gsize);
    double gmax = fmax(k->half[0].gmax, k->half[1].gmax);
    *done = gmax <= MPI_SHADOW_TOL * gsize;
    for (size_t r = 0; r < k->nb; r++)
        *done &= fabs(k->res[r]) <= MPI_SHADOW_TOL * k->scale[r];
    return 1;
}

/* The step: the rows' Schur complement over the smooth curves, bordered by
 * the straight curves' conditions (G_L their rows' slopes),
 *
 *     [ M      G_L ] [ dpi  ]   [ -R + sum_i G_i g_i / h_i ]
 *     [ G_L^T  0   ] [ dx_L ] = [ g_L                      ]
 *
 * then each smooth curve's dx_i = (G_i . dpi - g_i) / h_i. Every dx goes to
 * k->g, which it replaces. */
static void kkt_step(kkt *k)
{
    size_t nb = k->nb, n = nb + k->ns, j = 0;
    memset(k->M, 0, n * n * sizeof(double));
    memset(k->b, 0, n * sizeof(double));
    for (size_t r = 0; r < nb; r++)
        k->b[r] = -k->res[r];
    for (size_t f = 0; f < k->nf; f++) {
        const double *G = &k->G[f * nb];
        if (j < k->ns && k->straight[j] == f) {
            for (size_t r = 0; r < nb; r++)
                k->M[r * n + nb + j] = k->M[(nb + j) * n + r] = G[r];
            k->b[nb + j++] = k->g[f];
            continue;
        }
        double ih = 1 / k->h[f];
        for (size_t r = 0; r < nb; r++) {
            if (G[r] == 0)
                continue;
            k->b[r] += G[r] * k->g[f] * ih;
            for (size_t s = 0; s < nb; s++)
                k->M[r * n + s] += G[r] * G[s] * ih;
        }
    }
    solve_dense(k->M, k->b, k->dpi, n, nb % (n ? n : 1));
    j = 0;
    for (size_t f = 0; f < k->nf; f++) {
        if (j < k->ns && k->straight[j] == f) {
            k->g[f] = k->dpi[nb + j++];
            continue;
        }
        double s = -k->g[f];
        for (size_t r = 0; r < nb; r++)
            s += k->G[f * nb + r] * k->dpi[r];
        k->g[f] = s / k->h[f];
    }
}

/* A curve the step moved by more than half its spend was far from its
 * stationary point, where its linear model is poor: it would keep pulling
 * the prices round after round. Newton's method on it alone at the new
 * prices takes it near that point first. Returns 1 when it left its domain
 * (held at the end it reached). */
static int settle_one(kkt *k, terms_memo *memo, size_t f)
{
    size_t i = k->curve[f];
    double x = k->x[i], end = k->end[i];
    const double *a = curve_terms(k, memo, &k->m->curves.v[i]);
    unsigned need = memo->need;
    for (int it = 0; it < MPI_SHADOW_SETTLE; it++) {
        double g, h, d1[MPI_NKPI], d2[MPI_NKPI];
        curve_slopes(k, i, x, need, NULL, d1, d2);
        stationarity(k, a, need, d1, d2, memo->o0, NULL, &g, &h);
        if (!(k->m->lp.sense * h < 0))
            break;
        double to = x - g / h;
        if (to <= 0 || to >= end) {
            k->x[i] = to <= 0 ? 0 : end;
            return 1;
        }
        double dx = to - x;
        x = to;
        if (fabs(dx) <= 1e-3 * x)
            break;
    }
    k->x[i] = x;
    return 0;
}

/* One half of settle_far's pass: free curves [from, to), each settled on
 * its own (its spend, step and freedom only; the prices are read). */
typedef struct settle_half {
    kkt *k;
    terms_memo *memo; /* the half's own */
    int *is_free;
    size_t from, to;
} settle_half;

static void *settle_half_run(void *arg)
{
    const settle_half *h = arg;
    kkt *k = h->k;
    for (size_t f = h->from; f < h->to; f++) {
        size_t i = k->curve[f];
        double to = k->x[i] + k->g[f];
        if (to < 0 || to > k->end[i] || !(fabs(k->g[f]) > 0.5 * k->x[i]))
            continue;
        k->x[i] = to;
        k->g[f] = 0;
        if (settle_one(k, h->memo, f))
            h->is_free[i] = 0;
    }
    return NULL;
}

/* Every free curve the step moved far settled alone, in two halves: each
 * curve's result depends on it and the prices only, the same on one thread
 * or two. */
static void settle_far(kkt *k, int *is_free)
{
    size_t n = k->nf;
    settle_half h[2] = {{k, &k->half[0].memo, is_free, 0, n / 2},
                        {k, &k->half[1].memo, is_free, n / 2, n}};
    mpi_halves_run(n, settle_half_run, &h[0], &h[1]);
}

/* Whether every price is known to MPI_SHADOW_CERT of itself (or to a worth
 * below MPI_SHADOW_TOL of the objective) without another round: the steps
 * shrink at least geometrically (quadratically near the point) by the
 * ratio rho of the last two, so what is left after this one is at most
 * |dpi| rho / (1 - rho). */
static int prices_certified(const kkt *k)
{
    if (!k->have_prev)
        return 0;
    for (size_t r = 0; r < k->nb; r++) {
        double step = fabs(k->dpi[r]), rho = step / fabs(k->dprev[r]);
        if (step == 0)
            continue;
        if (!(rho < 0.5))
            return 0;
        double left = step * rho / (1 - rho);
        if (left > MPI_SHADOW_CERT * fabs(k->pi[r]) &&
            left * k->scale[r] > MPI_SHADOW_TOL * k->objective)
            return 0;
    }
    return 1;
}

/* Take the step (dx in k->g). A curve it would take out of its domain
 * stops at the end it passes and is held there from then on (the exact
 * optimum has it there: past its bid ceiling, or not bought); the others
 * take the whole step, and the next round corrects for the held ones. */
static int kkt_move(kkt *k, int *is_free)
{
    double moved = 0; /* the step's worth, in objective units */
    for (size_t r = 0; r < k->nb; r++) {
        k->pi[r] += k->dpi[r];
        moved += fabs(k->dpi[r]) * k->scale[r];
    }
    settle_far(k, is_free);
    size_t kept = 0;
    for (size_t f = 0; f < k->nf; f++) {
        size_t i = k->curve[f];
        double to = k->x[i] + k->g[f];
        if (is_free[i]) {
            k->x[i] = to < 0 ? 0 : to > k->end[i] ? k->end[i] : to;
            is_free[i] = !(to < 0 || to > k->end[i]);
        }
        if (is_free[i])
            k->curve[kept++] = i;
        else /* its activity is the held curves' from now on */
            held_curve(k, &k->half[0].memo, i, k->res0, k->scale0);
    }
    if (kept < k->nf) {
        k->nf = kept;
        k->have_prev = 0;
        return 0;
    }
    int certified = prices_certified(k);
    k->have_prev = 1;
    memcpy(k->dprev, k->dpi, k->nb * sizeof(double));
    return certified || moved <= MPI_SHADOW_PRICE_TOL * k->objective;
}

/* Newton's method from the LP's point; 1 when it converged. */
static int kkt_solve(kkt *k, int *is_free)
{
    held_activity(k, is_free);
    for (int round = 0; round < MPI_SHADOW_ROUNDS; round++) {
        int done;
        if (!kkt_eval(k, &done))
            return 0;
        if (done)
            return 1;
        kkt_step(k);
        if (kkt_move(k, is_free))
            return 1;
    }
    return 0;
}

/* Rows whose price came out of the wrong sign (a <= row of a max plan that
 * would pay for less room...) do not bind on the exact curves: they leave
 * the system. Returns how many left. */
static size_t drop_wrong_signs(kkt *k)
{
    const mpi_lp *lp = &k->m->lp;
    size_t kept = 0, nb = k->nb;
    for (size_t r = 0; r < nb; r++) {
        double v = k->pi[r] * lp->sense;
        int op = lp->rows[k->row[r]].op;
        if ((op == MPI_LE && v < 0) || (op == MPI_GE && v > 0))
            continue;
        k->row[kept] = k->row[r];
        k->pi[kept++] = k->pi[r];
    }
    k->nb = kept;
    k->have_prev = 0;
    k->half[0].memo.kind = k->half[1].memo.kind = -1; /* the memos' rows moved */
    return nb - kept;
}

/* How row r's activity moves per unit of its constraint's value X (share,
 * CPA and ROAS rows are linear in X: in - X total, spend - X conversions,
 * revenue - X spend), at the spends x: the terms at X = 1 less those at 0. */
/* One half of bound_slope's pass: row r's terms at the bound's value 0
 * and 1 (one scenario each) and their difference's activity summed over
 * the curves [from, to). */
typedef struct slope_half {
    const mp_solution *sol;
    const mpi_scenario *at[2];
    size_t r, from, to;
    const double *x, *sy;
    double sum;
} slope_half;

static void *slope_half_run(void *arg)
{
    slope_half *h = arg;
    const mpi_model *m = &h->sol->model;
    double a0[MPI_NKPI + 1], a1[MPI_NKPI + 1], v[MPI_NKPI], s = 0;
    int any = 0;
    const mpi_curve *last = NULL; /* the terms' curve: the next of its kind reuses them */
    for (size_t i = h->from; i < h->to; i++) {
        const mpi_curve *c = &m->curves.v[i];
        if (!(h->x[i] > 0))
            continue;
        if (!last || c->kind != last->kind || c->channel != last->channel ||
            c->period != last->period || c->group != last->group) {
            mpi_row_terms(m, h->at[0], h->r, c, a0);
            mpi_row_terms(m, h->at[1], h->r, c, a1);
            any = 0;
            for (int q = 0; q <= MPI_NKPI; q++)
                any |= (a1[q] -= a0[q]) != 0;
            last = c;
        }
        if (!any)
            continue;
        exact_at(m, c, h->x[i], h->sy[i], v);
        s += term_activity(a1, h->x[i], v, ALL_KPIS);
    }
    h->sum = s;
    return NULL;
}

/* How row r's activity moves per unit of its constraint's value X (share,
 * CPA and ROAS rows are linear in X: in - X total, spend - X conversions,
 * revenue - X spend), at the spends x (spend yields sy): the terms at X = 1
 * less those at 0, over the curves in two halves. */
static mp_status bound_slope(const mp_solution *sol, size_t r, const double *x, const double *sy,
                             double *out)
{
    const mpi_model *m = &sol->model;
    const mp_plan *plan = sol->plan;
    double *bound = mpi_calloc(2 * (plan->ncons ? plan->ncons : 1), sizeof(double));
    if (!bound)
        return mpi_nomem();
    mpi_scenario at[2];
    int ref = m->lp.rows[r].ref;
    for (int j = 0; j < 2; j++) {
        at[j] = sol->sc ? *sol->sc : (mpi_scenario){.budget = NAN};
        at[j].bound = bound + j * plan->ncons;
        for (size_t i = 0; i < plan->ncons; i++)
            at[j].bound[i] = sol->sc ? sol->sc->bound[i] : NAN;
        at[j].bound[ref] = j;
    }
    size_t n = m->curves.n;
    slope_half h[2] = {{sol, {&at[0], &at[1]}, r, 0, n / 2, x, sy, 0},
                       {sol, {&at[0], &at[1]}, r, n / 2, n, x, sy, 0}};
    mpi_halves_run(n, slope_half_run, &h[0], &h[1]);
    free(bound);
    *out = h[0].sum + h[1].sum;
    return MP_OK;
}

/* An effective_reach(channel) row's right-hand side is the impressions
 * that reach its bound X people k times (expr.c): its slope in X, by a
 * central difference of 0.1 % of X (the bisection's 1e-12 is far finer). */
static double effective_rhs_slope(const mp_plan *plan, const mpi_expr *e, double bound)
{
    double h = fmax(1e-3 * bound, 1e-6 * plan->universe);
    double lo = fmax(0, bound - h), hi = bound + h;
    return (mpi_expr_rhs(plan, e, hi) - mpi_expr_rhs(plan, e, lo)) / (hi - lo);
}

/* A reach row in its log form (expr.c): its right-hand side is
 * -ln(1 - R/U) of its bound R, whose slope in R is 1 / (U - R); 1 for
 * other rows. */
static double reach_rhs_slope(const mp_solution *sol, const mpi_row *row)
{
    const mp_plan *plan = sol->plan;
    if (row->kind != MPI_ROW_CONSTRAINT)
        return 1;
    const mpi_expr *e = &plan->cons[row->ref].e;
    double bound =
        sol->sc && !isnan(sol->sc->bound[row->ref]) ? sol->sc->bound[row->ref] : e->value;
    if (e->eff_k > 0) /* impressions per person reached k times, at the bound */
        return effective_rhs_slope(plan, e, bound);
    if (!mpi_reach_log(plan) || e->measure != MPI_M_KPI || e->kpi != MPI_REACH)
        return 1;
    return bound < plan->universe ? 1 / (plan->universe - bound) : 0;
}

/* d objective / d bound of row r from its price pi (d objective / d rhs):
 * the same for a row whose right-hand side is the bound, -pi times the
 * row's slope in its value for share, CPA and ROAS rows. In people where the
 * LP has reach in its log form: max reach's objective s is U (1 - e^-s)
 * people (dR/ds = U e^-s at the plan's s), a reach row's right-hand side
 * moves by 1 / (U - R) a person of its bound R. */
static mp_status bound_price(mp_solution *sol, size_t r, double pi, const double *x,
                             const double *sy)
{
    const mpi_row *row = &sol->model.lp.rows[r];
    if (mpi_objective_log(sol->plan))
        pi *= sol->plan->universe * exp(-sol->objective);
    sol->rows[r].shadow = pi * reach_rhs_slope(sol, row);
    sol->rows[r].price = pi;
    if (row->kind != MPI_ROW_CONSTRAINT || pi == 0 ||
        sol->plan->cons[row->ref].e.measure == MPI_M_KPI)
        return MP_OK;
    double slope = 0;
    mp_status st = bound_slope(sol, r, x, sy, &slope);
    sol->rows[r].shadow = -pi * slope;
    return st;
}

/* The prices: Newton's (k solved) or the LP's duals (not), at the spends x
 * (k's spend yields either way). */
static mp_status set_prices(mp_solution *sol, const kkt *k, int solved, const double *x)
{
    const mpi_lp *lp = &sol->model.lp;
    double *pi = mpi_calloc(lp->nrows ? lp->nrows : 1, sizeof(double));
    if (!pi)
        return mpi_nomem();
    for (size_t r = 0; r < lp->nrows; r++)
        pi[r] = solved ? 0 : sol->lp.row_dual[r];
    for (size_t j = 0; solved && j < k->nb; j++)
        pi[k->row[j]] = k->pi[j];
    mp_status st = MP_OK;
    for (size_t r = 0; st == MP_OK && r < lp->nrows; r++)
        st = bound_price(sol, r, pi[r], x, k->sy);
    free(pi);
    return st;
}

/* Newton's method, then again without the rows it finds of the wrong sign. */
static mp_status exact_prices(kkt *k, const mp_solution *sol, int *solved)
{
    size_t n = sol->model.curves.n;
    int *is_free = mpi_calloc(n ? n : 1, sizeof(int));
    if (!is_free)
        return mpi_nomem();
    for (size_t f = 0; f < k->nf; f++)
        is_free[k->curve[f]] = 1;
    *solved = 0;
    for (int tries = 0; tries < 3 && !*solved; tries++) {
        if (!kkt_solve(k, is_free))
            break;
        *solved = !drop_wrong_signs(k);
    }
    free(is_free);
    return MP_OK;
}

mp_status mpi_shadow_prices(mp_solution *sol)
{
    const mpi_lp *lp = &sol->model.lp;
    for (size_t r = 0; r < lp->nrows; r++)
        sol->rows[r].shadow = sol->rows[r].price = NAN;
    if (sol->lp.mip || !sol->lp.row_dual || !sol->lp.x)
        return MP_OK; /* a MIP has no prices */
    kkt k;
    mp_status st = kkt_init(&k, sol);
    int solved = 0;
    double *lp_x = st == MP_OK ? mpi_calloc(sol->model.curves.n + 1, sizeof(double)) : NULL;
    if (st == MP_OK && !lp_x)
        st = mpi_nomem();
    if (st == MP_OK) {
        memcpy(lp_x, k.x, sol->model.curves.n * sizeof(double));
        if (sol->result == MP_RESULT_OPTIMAL && k.nb > 0)
            st = exact_prices(&k, sol, &solved);
    }
    if (st == MP_OK)
        st = set_prices(sol, &k, solved, solved ? k.x : lp_x);
    free(lp_x);
    kkt_free(&k);
    return st;
}
