/* Media as they are bought: flights (a channel airs in a period or not),
 * whole spots and whole insertions make the plan a MIP. The LP relaxation
 * (every channel continuous, no on/off) is solved first, as for any plan: its
 * optimum and its Lagrangian bound (bound.c, from the relaxation's prices
 * kept in sol->relax_dual) bound the booked optimum from above, since every
 * booked plan is a plan of the relaxation. Then the explicit LP with, for
 * each booked channel c and period t:
 *
 *   x_ct   the money paid in t: its curves' columns over the adstock,
 *          a_t - lambda a_{t-1} (build.c's row functions, mpi_model_paid_*)
 *   z_ct   binary, the channel airs in t (flight keys, min_spend_active):
 *            L_t z_ct <= x_ct <= U_t z_ct, L_t = max(min_grp x cpp_t,
 *            min_spend_active), U_t the most the period's curves hold;
 *            z_ct fixed at 0 outside the flight; sum_t z_ct <= max_active;
 *            min_burst B: s_t >= z_t - z_{t-1} (s_t a run's start) and
 *            sum_{j=t}^{t+B-1} z_j >= B s_t, the window cut at the plan's
 *            end: a run must fit in the plan (one starting fewer than B
 *            periods before the end cannot be booked; what follows the plan
 *            is not booked by it)
 *   n_ct   whole spots (spot_cost) or insertions (press unless continuous):
 *            x_ct = unit_t n_ct, unit_t the unit's price in period t;
 *            N_c = sum_t n_ct, integer too (units_total: what the search
 *            branches on first over alike periods)
 *
 * solved by GLPK's branch and cut. Keyword segments stay continuous. The
 * columns of every curve keep their order (concave curves fill in order at
 * a fixed spend), so the plan is read as any other. */
#include "solution.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define NONE ((size_t)-1)

int mpi_plan_books_channels(const mp_plan *plan)
{
    for (size_t c = 0; c < plan->nch; c++)
        if (mpi_channel_booked(&plan->ch[c]))
            return 1;
    return 0;
}

int mpi_plan_booked(const mp_plan *plan)
{
    /* effective reach over several channels: its grid */
    return mpi_plan_eff_grid(plan) || mpi_plan_books_channels(plan);
}

int mpi_booked_onoff(const mpi_channel *ch)
{
    const mpi_booking *b = &ch->book;
    return b->min_grp > 0 || b->min_spend_active > 0 || b->flight || b->max_active > 0 ||
           b->min_burst > 1;
}

int mpi_booked_units(const mpi_channel *ch)
{
    return ch->book.spot_cost > 0 || (mpi_channel_press(ch) && !ch->book.continuous);
}

/* The spend curves of channel c in period t: [*lo, *hi) (curves come in
 * channel, then period order). */
static void period_range(const mpi_model *m, int c, int t, size_t *lo, size_t *hi)
{
    size_t a = 0, b = m->nspend_curves;
    while (a < b) {
        size_t mid = a + (b - a) / 2;
        const mpi_curve *v = &m->curves.v[mid];
        if (v->channel < c || (v->channel == c && v->period < t))
            a = mid + 1;
        else
            b = mid;
    }
    *lo = a;
    while (b < m->nspend_curves && m->curves.v[b].channel == c && m->curves.v[b].period == t)
        b++;
    *hi = b < a ? a : b;
}

/* Room for one more entry of out's matrix. */
static mp_status put(mpi_lp *out, size_t col, double v)
{
    void *arrays[] = {out->ind, out->val};
    const size_t sizes[] = {sizeof *out->ind, sizeof *out->val};
    mp_status st = mpi_reserve_all(&out->nzcap, out->nnz + 1, 2, arrays, sizes);
    out->ind = arrays[0];
    out->val = arrays[1];
    if (st != MP_OK)
        return mpi_fail(MP_ERR_NOMEM, N_("out of memory building the MIP"));
    out->ind[out->nnz] = col;
    out->val[out->nnz++] = v;
    return MP_OK;
}

/* A new row of out (its entries follow with put, columns ascending not
 * needed by GLPK), named name. */
static mp_status open_row(mpi_lp *out, int op, double rhs, char *name)
{
    mpi_row *rows = name ? mpi_reserve(out->rows, &out->rcap, out->nrows + 1, sizeof *rows) : NULL;
    if (!rows) {
        free(name);
        return mpi_fail(MP_ERR_NOMEM, N_("out of memory building the MIP"));
    }
    out->rows = rows;
    mpi_row *r = &rows[out->nrows++];
    memset(r, 0, sizeof *r);
    r->kind = MPI_ROW_ORDER; /* a row of the model's own, not the plan's */
    r->ref = -1;             /* period_rows: its channel-period */
    r->op = op;
    r->rhs = rhs;
    r->name = name;
    r->label = mpi_strdup(name);
    r->start = out->nnz;
    return r->label ? MP_OK : mpi_fail(MP_ERR_NOMEM, N_("out of memory building the MIP"));
}

static void close_row(mpi_lp *out)
{
    mpi_row *r = &out->rows[out->nrows - 1];
    r->len = out->nnz - r->start;
}

/* A new column of out: its kind and upper bound, objective 0. */
static mp_status add_col(mpi_lp *out, size_t *cap, int kind, double ub, size_t *j)
{
    void *arrays[] = {out->obj, out->ub, out->binary};
    const size_t sizes[] = {sizeof *out->obj, sizeof *out->ub, sizeof *out->binary};
    size_t old = *cap;
    mp_status st = mpi_reserve_all(cap, out->ncols + 1, 3, arrays, sizes);
    out->obj = arrays[0];
    out->ub = arrays[1];
    out->binary = arrays[2];
    if (st != MP_OK)
        return mpi_fail(MP_ERR_NOMEM, N_("out of memory building the MIP"));
    if (*cap > old)
        memset(out->binary + old, 0, *cap - old);
    *j = out->ncols++;
    out->obj[*j] = 0;
    out->ub[*j] = ub;
    out->binary[*j] = (unsigned char)kind;
    return MP_OK;
}

/* The money paid by channel c in period t, as terms on the open row (with
 * coefficient k), and the most it can be (*cap). x = terms - shift. map[j]:
 * model column j's column in out (NULL: the same). */
static mp_status paid_terms(const mpi_model *m, const size_t *map, int c, int t, double k,
                            mpi_lp *out, double *cap)
{
    *cap = 0;
    mp_status st = MP_OK;
    for (int p = t > 0 ? t - 1 : t; st == MP_OK && p <= t; p++) {
        size_t lo, hi;
        period_range(m, c, p, &lo, &hi);
        for (size_t i = lo; st == MP_OK && i < hi; i++) {
            const mpi_curve *cv = &m->curves.v[i];
            for (int s = 0; st == MP_OK && s < cv->nseg; s++) {
                double a = mpi_model_paid_coef(m, c, t, cv, s);
                if (a == 0)
                    continue;
                if (a > 0)
                    *cap += a * mpi_curve_width(cv, s);
                size_t j = cv->col + (size_t)s;
                st = put(out, map ? map[j] : j, k * a);
            }
        }
    }
    return st;
}

/* A curve of channel c in period t (its price level), or NULL. */
static const mpi_curve *level_curve(const mpi_model *m, int c, int t)
{
    size_t lo, hi;
    period_range(m, c, t, &lo, &hi);
    return lo < hi ? &m->curves.v[lo] : NULL;
}

void mpi_booked_need(const mpi_model *m, int c, int t, double *floor_cur, double *price)
{
    const mpi_channel *ch = &m->plan->ch[c];
    const mpi_curve *cv = level_curve(m, c, t);
    double mult = cv ? cv->mult : 1;
    double unit = ch->ops->unit_cost ? ch->ops->unit_cost(ch->params) * mult : 0;
    *floor_cur = fmax(ch->book.min_grp * unit, ch->book.min_spend_active);
    *price = !mpi_booked_units(ch) ? 0 : ch->book.spot_cost > 0 ? ch->book.spot_cost * mult : unit;
}

/* Rows of one booked channel-period: the money paid between its floor and
 * cap when z airs, and whole units. cols[k]: z, n, s of the period or NONE. */
static mp_status period_rows(const mpi_model *m, const size_t *map, int c, int t,
                             const size_t *cols, mpi_lp *out)
{
    const mpi_channel *ch = &m->plan->ch[c];
    double cap = 0, shift = mpi_model_paid_shift(m, c, t), floor_cur, price;
    mpi_booked_need(m, c, t, &floor_cur, &price);
    mp_status st = MP_OK;
    size_t first = out->nrows;
    char clean[128];
    mpi_sanitize_name(clean, sizeof clean, ch->name);
    if (cols[0] != NONE) {
        if ((st = open_row(out, MPI_LE, shift, mpi_aprintf("air_max_%s_t%d", clean, t + 1))) ==
                MP_OK &&
            (st = paid_terms(m, map, c, t, 1, out, &cap)) == MP_OK)
            st = put(out, cols[0], -cap);
        if (st == MP_OK)
            close_row(out);
        if (st == MP_OK && floor_cur > 0 &&
            (st = open_row(out, MPI_GE, shift, mpi_aprintf("air_min_%s_t%d", clean, t + 1))) ==
                MP_OK &&
            (st = paid_terms(m, map, c, t, 1, out, &cap)) == MP_OK)
            st = put(out, cols[0], -floor_cur);
        if (st == MP_OK && floor_cur > 0)
            close_row(out);
    }
    if (st == MP_OK && cols[1] != NONE) {
        if ((st = open_row(out, MPI_EQ, shift, mpi_aprintf("units_%s_t%d", clean, t + 1))) ==
                MP_OK &&
            (st = paid_terms(m, map, c, t, 1, out, &cap)) == MP_OK)
            st = put(out, cols[1], -price);
        if (st == MP_OK) {
            close_row(out);
            out->ub[cols[1]] = price > 0 ? floor(cap / price + 1e-9) : 0;
        }
    }
    for (size_t r = first; st == MP_OK && r < out->nrows; r++)
        out->rows[r].ref = c * m->plan->periods + t; /* rows over its money paid */
    return st;
}

/* The columns of channel c: z, n and s of each period into cols[3 t + k]. */
static mp_status channel_cols(const mpi_model *m, int c, mpi_lp *out, size_t *cap, size_t *cols)
{
    const mpi_channel *ch = &m->plan->ch[c];
    const mpi_booking *b = &ch->book;
    mp_status st = MP_OK;
    for (int t = 0; st == MP_OK && t < m->plan->periods; t++) {
        size_t *k = cols + 3 * (size_t)t;
        k[0] = k[1] = k[2] = NONE;
        double may = b->on && !b->on[t] ? 0 : 1;
        if (mpi_booked_onoff(ch))
            st = add_col(out, cap, MPI_COL_BINARY, may, &k[0]);
        if (st == MP_OK && mpi_booked_units(ch))
            st = add_col(out, cap, MPI_COL_INT, 0, &k[1]); /* ub from its row */
        if (st == MP_OK && b->min_burst > 1)
            st = add_col(out, cap, MPI_COL_CONT, 1, &k[2]);
    }
    return st;
}

/* max_active_periods and min_burst over channel c's z columns. */
static mp_status run_rows(const mpi_model *m, int c, const size_t *cols, mpi_lp *out)
{
    const mpi_booking *b = &m->plan->ch[c].book;
    int np = m->plan->periods;
    char clean[128];
    mpi_sanitize_name(clean, sizeof clean, m->plan->ch[c].name);
    mp_status st = MP_OK;
    if (b->max_active > 0 &&
        (st = open_row(out, MPI_LE, b->max_active, mpi_aprintf("active_%s", clean))) == MP_OK) {
        for (int t = 0; st == MP_OK && t < np; t++)
            st = put(out, cols[3 * (size_t)t], 1);
        if (st == MP_OK)
            close_row(out);
    }
    for (int t = 0; st == MP_OK && b->min_burst > 1 && t < np; t++) {
        const size_t *k = cols + 3 * (size_t)t;
        if ((st = open_row(out, MPI_GE, 0, mpi_aprintf("start_%s_t%d", clean, t + 1))) == MP_OK &&
            (st = put(out, k[2], 1)) == MP_OK && (st = put(out, k[0], -1)) == MP_OK && t > 0)
            st = put(out, cols[3 * (size_t)(t - 1)], 1);
        if (st == MP_OK)
            close_row(out);
        if (st == MP_OK &&
            (st = open_row(out, MPI_GE, 0, mpi_aprintf("burst_%s_t%d", clean, t + 1))) == MP_OK)
            st = put(out, k[2], -(double)b->min_burst);
        for (int j = t; st == MP_OK && j < t + b->min_burst && j < np; j++)
            st = put(out, cols[3 * (size_t)j], 1);
        if (st == MP_OK)
            close_row(out);
    }
    return st;
}

/* The whole units of channel c over the plan as one more integer column,
 * its row sum_t n_ct - N_c = 0. Redundant for the plans, it closes the search:
 * the periods of a channel are alike, so a floor met by 13.2 spots leaves
 * every spread of them fractional somewhere, and branching period by period
 * proved 14 spots the least only after thousands of nodes (an 80 kEUR radio
 * plan ran for minutes); branching on N_c settles it in one step. */
static mp_status units_total(const mpi_model *m, int c, const size_t *cols, size_t *cap,
                             mpi_lp *out)
{
    char clean[128];
    mpi_sanitize_name(clean, sizeof clean, m->plan->ch[c].name);
    size_t total;
    double most = 0;
    mp_status st = MP_OK;
    for (int t = 0; t < m->plan->periods; t++)
        most += out->ub[cols[3 * (size_t)t + 1]];
    if ((st = add_col(out, cap, MPI_COL_INT, most, &total)) != MP_OK ||
        (st = open_row(out, MPI_EQ, 0, mpi_aprintf("units_total_%s", clean))) != MP_OK)
        return st;
    for (int t = 0; st == MP_OK && t < m->plan->periods; t++)
        st = put(out, cols[3 * (size_t)t + 1], 1);
    if (st == MP_OK && (st = put(out, total, -1)) == MP_OK)
        close_row(out);
    return st;
}

/* ---- effective reach over several channels ------------------------------- */

/* effective_reach(a, b) >= X over 2 or 3 channels (expr.c) is the people
 * reached k times by the channels together, the convolution of their
 * exposures (effective.c): it rises with each channel's impressions, but the
 * plans meeting a floor on it are no convex set. On a grid of impressions
 * levels per channel, lo_c, lo_c + h_c, ..., lo_c + n h_c (n = 200 for two
 * channels, 40 for three; lo_c and h_c from the grid's box, effective_grid.c,
 * else 0 and the sum of the channel's columns' bounds over n), binaries z_cl
 * (the channel buys at least lo_c + l h_c), z_cl <= z_c,l-1, and its
 * impressions >= lo_c + sum_l h_c z_cl; the corners a (one level per channel)
 * whose effective reach is below X are "bad", and for each bad corner a no
 * other bad corner lies above, sum over the channels with a_c < n of
 * z_c,a_c+1 >= 1: the plan's levels lie above no bad corner, so its corner
 * is good and its channels buy at least that corner's impressions: its
 * effective reach is at least the corner's (it rises with each), at least X.
 * Optimal to the grid's resolution: a plan buying between levels pays for up
 * to one h_c more of each channel than it needs (effective_grid.c refines the
 * grid around the plan found). The LP relaxation holds the row's Markov
 * bound, sum of the channels' impressions >= k X (P(N >= k) <= E N / k). */

typedef struct eff_grid {
    size_t nch, ch[3], z0[3];
    int n, k;
    double lo[3], step[3];
    const double *box; /* the constraint's box (mpi_model eff_box), or NULL */
} eff_grid;

/* Channel g->ch[q]'s terms of row r (its impressions), with coefficient 1,
 * on the open row; their most (*most: each column at its bound). */
static mp_status channel_terms(mpi_lp *out, size_t r, const int *chan, int c, double *most)
{
    const mpi_row *row = &out->rows[r];
    size_t start = row->start, len = row->len;
    *most = 0;
    for (size_t i = start; i < start + len; i++) {
        if (chan[out->ind[i]] != c)
            continue;
        *most += out->val[i] * out->ub[out->ind[i]];
        mp_status st = put(out, out->ind[i], out->val[i]);
        if (st != MP_OK)
            return st;
    }
    return MP_OK;
}

/* Channel q's binaries, the link of its impressions to them and their order. */
static mp_status grid_channel(const mpi_model *m, size_t r, const int *chan, size_t *cap,
                              eff_grid *g, size_t q, mpi_lp *out)
{
    int c = (int)g->ch[q];
    char clean[128];
    mpi_sanitize_name(clean, sizeof clean, m->plan->ch[c].name);
    mp_status st = MP_OK;
    for (int l = 1; st == MP_OK && l <= g->n; l++) {
        size_t j;
        st = add_col(out, cap, MPI_COL_BINARY, 1, &j);
        if (l == 1)
            g->z0[q] = j;
    }
    double most = 0;
    g->lo[q] = g->box ? g->box[2 * q] : 0;
    if (st == MP_OK &&
        (st = open_row(out, MPI_GE, g->lo[q], mpi_aprintf("eff_link_%s_r%zu", clean, r))) == MP_OK)
        st = channel_terms(out, r, chan, c, &most);
    g->step[q] = ((g->box ? g->box[2 * q + 1] : most) - g->lo[q]) / g->n;
    for (int l = 1; st == MP_OK && l <= g->n; l++)
        st = put(out, g->z0[q] + (size_t)l - 1, -g->step[q]);
    if (st == MP_OK)
        close_row(out);
    for (int l = 2; st == MP_OK && l <= g->n; l++) {
        if ((st = open_row(out, MPI_LE, 0, mpi_aprintf("eff_order_%s_r%zu_%d", clean, r, l))) ==
                MP_OK &&
            (st = put(out, g->z0[q] + (size_t)l - 1, 1)) == MP_OK)
            st = put(out, g->z0[q] + (size_t)l - 2, -1);
        if (st == MP_OK)
            close_row(out);
    }
    return st;
}

/* People reached k times at corner a of the grid (levels a[q]), from the
 * channels' exposures at those levels (pmf[q][l][j]). */
static double corner_reach(const mp_plan *plan, const eff_grid *g, const double *pmf, const int *a)
{
    double pt[MPI_MAX_FREQUENCY] = {1}, nt[MPI_MAX_FREQUENCY];
    for (size_t q = 0; q < g->nch; q++) {
        const double *pc = pmf + ((size_t)q * (size_t)(g->n + 1) + (size_t)a[q]) * (size_t)g->k;
        for (int j = 0; j < g->k; j++) {
            nt[j] = 0;
            for (int i = 0; i <= j; i++)
                nt[j] += pt[i] * pc[j - i];
        }
        memcpy(pt, nt, (size_t)g->k * sizeof(double));
    }
    double below = 0;
    for (int j = 0; j < g->k; j++)
        below += pt[j];
    return plan->universe * (1 - below);
}

/* The corner of index idx, levels a[q]. */
static void corner_levels(const eff_grid *g, size_t idx, int *a)
{
    for (size_t q = 0; q < g->nch; q++) {
        a[q] = (int)(idx % (size_t)(g->n + 1));
        idx /= (size_t)(g->n + 1);
    }
}

/* A cover row for bad corner a: some channel above its level. */
static mp_status cover_row(const eff_grid *g, size_t r, const int *a, size_t ncover, mpi_lp *out)
{
    mp_status st = open_row(out, MPI_GE, 1, mpi_aprintf("eff_cover_r%zu_%zu", r, ncover));
    for (size_t q = 0; st == MP_OK && q < g->nch; q++)
        if (a[q] < g->n)
            st = put(out, g->z0[q] + (size_t)a[q], 1);
    if (st == MP_OK)
        close_row(out);
    return st;
}

/* The corners' verdicts, then a cover row for each bad corner with no bad
 * corner a level above it in any channel. */
static mp_status grid_covers(const mp_plan *plan, const eff_grid *g, double target,
                             const double *pmf, int shift, size_t r, mpi_lp *out)
{
    size_t side = (size_t)(g->n + 1), ncorner = 1;
    for (size_t q = 0; q < g->nch; q++)
        ncorner *= side;
    unsigned char *good = mpi_malloc(ncorner);
    if (!good)
        return mpi_fail(MP_ERR_NOMEM, N_("out of memory building the MIP"));
    int a[3];
    for (size_t idx = 0; idx < ncorner; idx++) {
        corner_levels(g, idx, a);
        for (size_t q = 0; shift && q < g->nch; q++) /* what a plan above a can reach */
            a[q] += a[q] < g->n;
        good[idx] = corner_reach(plan, g, pmf, a) >= target;
    }
    mp_status st = MP_OK;
    size_t ncover = 0;
    for (size_t idx = 0; st == MP_OK && idx < ncorner; idx++) {
        if (good[idx])
            continue;
        corner_levels(g, idx, a);
        int maximal = 1;
        size_t stride = 1;
        for (size_t q = 0; q < g->nch; q++, stride *= side)
            if (a[q] < g->n && !good[idx + stride])
                maximal = 0;
        if (maximal)
            st = cover_row(g, r, a, ncover++, out);
    }
    free(good);
    return st;
}

/* The exposures of each channel of g at each level, pmf[q][l][0..k). */
static double *grid_pmfs(const mp_plan *plan, const eff_grid *g)
{
    size_t per = (size_t)(g->n + 1) * (size_t)g->k;
    double *pmf = mpi_malloc(g->nch * per * sizeof *pmf);
    for (size_t q = 0; pmf && q < g->nch; q++)
        for (int l = 0; l <= g->n; l++)
            mpi_effective_pmf(plan, g->ch[q], g->k, g->lo[q] + l * g->step[q],
                              pmf + q * per + (size_t)l * (size_t)g->k);
    return pmf;
}

/* Constraint i's grid: its binaries, links, order and cover rows. */
static mp_status eff_grid_rows(const mpi_model *m, size_t i, const int *chan, size_t *cap,
                               mpi_lp *out)
{
    const mp_plan *plan = m->plan;
    const mpi_expr *e = &plan->cons[i].e;
    eff_grid g = {0};
    g.k = e->eff_k;
    for (size_t c = 0; c < plan->nch && g.nch < 3; c++)
        if (e->in[c])
            g.ch[g.nch++] = c;
    g.n = mpi_effective_grid_levels(g.nch);
    g.box = m->eff_box ? m->eff_box + 6 * i : NULL;
    size_t r = mpi_constraint_row(out, i);
    mp_status st = MP_OK;
    for (size_t q = 0; st == MP_OK && q < g.nch; q++)
        st = grid_channel(m, r, chan, cap, &g, q, out);
    double *pmf = st == MP_OK ? grid_pmfs(plan, &g) : NULL;
    if (st == MP_OK && !pmf)
        st = mpi_fail(MP_ERR_NOMEM, N_("out of memory building the MIP"));
    if (st == MP_OK)
        st = grid_covers(plan, &g, out->rows[r].param, pmf, m->eff_shift, r, out);
    free(pmf);
    return st;
}

/* Every effective_reach row over several channels as its grid (map: none,
 * such plans take the whole MIP). */
static mp_status eff_grids(const mpi_model *m, size_t *cap, mpi_lp *out)
{
    const mp_plan *plan = m->plan;
    if (!mpi_plan_eff_grid(plan))
        return MP_OK;
    int *chan = mpi_column_channels(m);
    if (!chan)
        return mpi_fail(MP_ERR_NOMEM, N_("out of memory building the MIP"));
    mp_status st = MP_OK;
    for (size_t i = 0; st == MP_OK && i < plan->ncons; i++)
        if (plan->cons[i].e.eff_multi)
            st = eff_grid_rows(m, i, chan, cap, out);
    free(chan);
    return st;
}

mp_status mpi_booked_append(const mpi_model *m, const size_t *map, size_t *cap, size_t *book_cols,
                            mpi_lp *out)
{
    const mp_plan *plan = m->plan;
    size_t per = 3 * (size_t)plan->periods;
    mp_status st = MP_OK;
    for (size_t c = 0; st == MP_OK && c < plan->nch; c++) {
        size_t *cols = book_cols + c * per;
        for (size_t k = 0; k < per; k++)
            cols[k] = NONE;
        if (!mpi_channel_booked(&plan->ch[c]))
            continue;
        st = channel_cols(m, (int)c, out, cap, cols);
        for (int t = 0; st == MP_OK && t < plan->periods; t++)
            st = period_rows(m, map, (int)c, t, cols + 3 * (size_t)t, out);
        if (st == MP_OK && mpi_booked_onoff(&plan->ch[c]))
            st = run_rows(m, (int)c, cols, out);
        if (st == MP_OK && mpi_booked_units(&plan->ch[c]))
            st = units_total(m, (int)c, cols, cap, out);
    }
    if (st == MP_OK && !map) /* a restricted MIP (mip_band.c) is not made for such plans */
        st = eff_grids(m, cap, out);
    return st;
}

mp_status mpi_model_booked(const mpi_model *m, size_t *book_cols, mpi_lp *out)
{
    mp_status st = mpi_model_explicit(m, out);
    if (st != MP_OK)
        return st;
    size_t cap = out->ncols;
    out->binary = mpi_calloc(cap ? cap : 1, 1);
    if (!out->binary)
        st = mpi_fail(MP_ERR_NOMEM, N_("out of memory building the MIP"));
    if (st == MP_OK)
        st = mpi_booked_append(m, NULL, &cap, book_cols, out);
    if (st != MP_OK)
        mpi_lp_free(out);
    return st;
}

/* A row of a pattern's model: channel c's money paid in period t (the terms
 * of an MPI_ROW_ADSTOCK row, which are that for any channel: build.c) op v. */
static mp_status pattern_row(mpi_model *pm, int c, int t, int op, double v)
{
    mpi_lp *lp = &pm->lp;
    const mpi_channel *ch = &pm->plan->ch[c];
    char clean[128];
    mpi_sanitize_name(clean, sizeof clean, ch->name);
    char *name = mpi_aprintf("book_%s_t%d", clean, t + 1);
    char *label = mpi_aprintf("%s: spend in period %d as booked", ch->name, t + 1);
    mpi_row *rows =
        name && label ? mpi_reserve(lp->rows, &lp->rcap, lp->nrows + 1, sizeof *rows) : NULL;
    if (!rows) {
        free(name);
        free(label);
        return mpi_fail(MP_ERR_NOMEM, N_("out of memory building the MIP"));
    }
    lp->rows = rows;
    mpi_row *r = &rows[lp->nrows++];
    memset(r, 0, sizeof *r);
    r->kind = MPI_ROW_ADSTOCK;
    r->ref = c * pm->plan->periods + t;
    r->op = op;
    r->rhs = v + mpi_model_paid_shift(pm, c, t);
    r->name = name;
    r->label = label;
    r->len = MPI_ROW_HEADER;
    return MP_OK;
}

/* The rows fixing channel c's period t at the booking of xb (an LP whose
 * booked columns are book_cols): whole units fix the money paid, a period off
 * the air holds none, one on it at least its floor. */
static mp_status pattern_period(mpi_model *pm, int c, int t, const size_t *k, const double *xb)
{
    double floor_cur, price;
    mpi_booked_need(pm, c, t, &floor_cur, &price);
    if (k[1] != NONE)
        return pattern_row(pm, c, t, MPI_EQ, floor(xb[k[1]] + 0.5) * price);
    if (k[0] != NONE && xb[k[0]] < 0.5)
        return pattern_row(pm, c, t, MPI_LE, 0);
    if (k[0] != NONE && floor_cur > 0)
        return pattern_row(pm, c, t, MPI_GE, floor_cur);
    return MP_OK;
}

mp_status mpi_model_pattern(const mpi_model *m, const size_t *book_cols, const double *xb,
                            mpi_model *pm)
{
    *pm = *m;
    memset(&pm->lp, 0, sizeof pm->lp);
    pm->lp.sense = m->lp.sense;
    pm->lp.ncols = m->lp.ncols;
    pm->lp.rows = mpi_calloc(m->lp.nrows + 1, sizeof *pm->lp.rows);
    if (!pm->lp.rows)
        return mpi_fail(MP_ERR_NOMEM, N_("out of memory building the MIP"));
    pm->lp.rcap = m->lp.nrows + 1;
    mp_status st = MP_OK;
    for (size_t r = 0; st == MP_OK && r < m->lp.nrows; r++) {
        pm->lp.rows[r] = m->lp.rows[r];
        pm->lp.rows[r].name = mpi_strdup(m->lp.rows[r].name);
        pm->lp.rows[r].label = mpi_strdup(m->lp.rows[r].label);
        pm->lp.nrows++;
        if (!pm->lp.rows[r].name || !pm->lp.rows[r].label)
            st = mpi_fail(MP_ERR_NOMEM, N_("out of memory building the MIP"));
    }
    const mp_plan *plan = m->plan;
    for (size_t c = 0; st == MP_OK && c < plan->nch; c++)
        for (int t = 0; st == MP_OK && t < plan->periods; t++)
            st = pattern_period(pm, (int)c, t,
                                book_cols + 3 * (c * (size_t)plan->periods + (size_t)t), xb);
    if (st != MP_OK)
        mpi_lp_free(&pm->lp);
    return st;
}

/* The booked columns' values: whole units and airing of each channel and
 * period (NAN and 0 where the channel has none). */
static mp_status keep_booking(mp_solution *sol, const size_t *cols, const double *x)
{
    const mp_plan *plan = sol->plan;
    size_t n = plan->nch * (size_t)plan->periods;
    free(sol->book_units);
    free(sol->book_airs);
    sol->book_units = mpi_malloc((n ? n : 1) * sizeof(double));
    sol->book_airs = mpi_calloc(n ? n : 1, 1);
    if (!sol->book_units || !sol->book_airs)
        return mpi_nomem();
    for (size_t i = 0; i < n; i++) {
        const size_t *k = cols + 3 * i;
        sol->book_units[i] = k[1] != NONE ? floor(x[k[1]] + 0.5) : NAN;
        sol->book_airs[i] = k[0] != NONE ? x[k[0]] >= 0.5 : 0;
    }
    return MP_OK;
}

/* The MIP's plan in place of the relaxation's: its spends on the model's
 * columns, no row prices (the relaxation's kept for the bound). */
static mp_status take_plan(mp_solution *sol, mpi_lp_sol *ms)
{
    const mpi_model *m = &sol->model;
    memcpy(sol->lp.x, ms->x, m->lp.ncols * sizeof(double));
    memcpy(sol->lp.row_act, ms->row_act, m->lp.nrows * sizeof(double));
    sol->lp.obj = ms->obj;
    sol->lp.status = ms->status;
    if (!sol->relax_dual)
        sol->relax_dual = sol->lp.row_dual;
    else
        free(sol->lp.row_dual);
    sol->lp.row_dual = mpi_calloc(m->lp.nrows ? m->lp.nrows : 1, sizeof(double));
    sol->lp.mip = 1;
    return sol->lp.row_dual ? MP_OK : mpi_nomem();
}

int mpi_booked_margin(const mp_solution *sol, const mpi_curve *cv, double *unit)
{
    *unit = 0;
    if (!sol->booked || !sol->book_airs || mpi_booked_none(sol) || cv->period < 0)
        return MPI_MARGIN_PLAIN;
    const mpi_channel *ch = &sol->plan->ch[cv->channel];
    size_t i = (size_t)cv->channel * (size_t)sol->plan->periods + (size_t)cv->period;
    if (mpi_booked_onoff(ch) && !sol->book_airs[i])
        return MPI_MARGIN_OFF_AIR;
    double floor_cur;
    if (!mpi_booked_units(ch) ||
        ch->adstock > 0) /* one more unit also carries over: its derivative */
        return MPI_MARGIN_PLAIN;
    mpi_booked_need(&sol->model, cv->channel, cv->period, &floor_cur, unit);
    return *unit > 0 ? MPI_MARGIN_UNIT : MPI_MARGIN_PLAIN;
}

int mpi_booked_none(const mp_solution *sol)
{
    return sol->booked && sol->mip_status == MPI_LP_TIME_LIMIT && sol->mip_gap_glpk == INFINITY;
}

/* The time limit ran out before any booked plan was found: the relaxation's
 * spends are no booked plan, so the solution has none (mpi_booked_none). */
static void none_found(mp_solution *sol)
{
    sol->booked = 1;
    sol->mip_status = sol->lp.status = MPI_LP_TIME_LIMIT;
    sol->mip_gap_glpk = INFINITY;
}

/* The whole MIP (mpi_model_booked) by branch and cut into ms, its
 * effective-reach grids (if any) where the channels can buy, then refined
 * (effective_grid.c); a max effective_reach plan's on the grid of its
 * bisection (effective_obj.c), which found its floor met there. */
static mp_status solve_whole(mp_solution *sol, const mp_solve_opts *opts, size_t *cols,
                             mpi_lp_sol *ms)
{
    double *box = NULL; /* max effective_reach: on the grid its bisection met */
    mp_status st = sol->plan->obj_eff ? MP_OK : mpi_eff_boxes(&sol->model, opts, &box);
    if (st == MP_OK)
        st = mpi_eff_solve(sol, opts, box ? box : sol->eff_box, cols, ms);
    if (st == MP_OK && !sol->plan->obj_eff)
        st = mpi_eff_refine(sol, opts, box, cols, ms);
    if (st == MP_OK)
        st = mpi_eff_spread(sol, ms);
    free(box);
    return st;
}

mp_status mpi_solve_booked(mp_solution *sol, const mp_solve_opts *opts)
{
    const mp_plan *plan = sol->plan;
    if (!mpi_plan_booked(plan))
        return MP_OK;
    if (sol->lp.status == MPI_LP_TIME_LIMIT) {
        sol->mip_relax = NAN;
        none_found(sol);
        return MP_OK;
    }
    if (sol->lp.status != MPI_LP_OPTIMAL)
        return MP_OK;
    sol->booked = 1;
    sol->mip_relax = sol->lp.obj;
    sol->mip_band_cols = 0;
    sol->mip_band_rounds = sol->mip_band_settled = 0;
    size_t n = 3 * plan->nch * (size_t)plan->periods;
    size_t *cols = mpi_malloc((n ? n : 1) * sizeof *cols);
    if (!cols)
        return mpi_nomem();
    mpi_lp_sol ms, band_plan;
    memset(&ms, 0, sizeof ms);
    memset(&band_plan, 0, sizeof band_plan);
    int whole = 1;
    mp_status st = MP_OK;
    if (sol->lp.row_dual && mpi_mip_band_fits(&sol->model, opts) && !mpi_plan_eff_grid(plan))
        st = mpi_mip_band(sol, opts, cols, &ms, &band_plan, &whole);
    if (st == MP_OK && whole) {
        mpi_lp_sol_free(&ms);
        sol->mip_band_cols = 0;
        st = solve_whole(sol, opts, cols, &ms);
    }
    if (st == MP_OK) {
        sol->mip_status = ms.status;
        sol->mip_nodes = ms.mip_nodes;
        sol->mip_gap_glpk = ms.mip_gap;
        if (ms.status == MPI_LP_INFEASIBLE)
            sol->lp.status = MPI_LP_INFEASIBLE;
        else if (mpi_lp_sol_pointless(&ms) || (ms.status == MPI_LP_TIME_LIMIT && !ms.mip))
            none_found(sol); /* stopped before an incumbent, or before loading the MIP */
        else if ((st = mpi_units_spread(sol, cols, &ms, whole ? ms.x : band_plan.x)) == MP_OK &&
                 (st = take_plan(sol, whole ? &ms : &band_plan)) == MP_OK)
            st = keep_booking(sol, cols, ms.x);
    }
    mpi_lp_sol_free(&band_plan);
    mpi_lp_sol_free(&ms);
    free(cols);
    return st;
}
